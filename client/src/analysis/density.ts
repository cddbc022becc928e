// The pure parts of the case density view (案件热力): case points as one typed array for deck.gl's
// HexagonLayer, the cool → hot colour ramp and its domain, and paging past the drill-down's cap of
// 500 cases per request (GET /api/analysis/cases returns the newest 500 of a window).

/** Hexagon radius (centre to corner) in metres. */
export const DENSITY_RADIUS_M = 200;
/** The window the view covers, in days (ending now). */
export const DENSITY_DAYS = 7;
/** The colour domain's top never goes below this: a few cases in a week is not a hot spot. */
export const DENSITY_MIN_TOP = 5;

/** Cool → hot (ColorBrewer Spectral, reversed): readable on the dark basemap at ~0.55 opacity. */
export const DENSITY_RAMP: [number, number, number][] = [
  [50, 136, 189],
  [102, 194, 165],
  [171, 221, 164],
  [230, 245, 152],
  [254, 224, 139],
  [253, 174, 97],
  [244, 109, 67],
  [213, 62, 79],
];

/** The same ramp as a CSS gradient (the layer panel's swatch and legend). */
export function rampCss(ramp: readonly (readonly number[])[] = DENSITY_RAMP): string {
  const n = ramp.length;
  const stops = ramp.map((c, i) => `rgb(${c[0]}, ${c[1]}, ${c[2]}) ${n > 1 ? Math.round((i / (n - 1)) * 100) : 0}%`);
  return `linear-gradient(90deg, ${stops.join(', ')})`;
}

/**
 * The colour domain (cases per hexagon) from the one deck.gl found while binning ([min, max] of the
 * bins, or [Infinity, -Infinity] / null before any): from 1 (a drawn hexagon has a case) to the
 * biggest bin, but at least DENSITY_MIN_TOP so a quiet week stays cool.
 */
export function densityColorDomain(binDomain: readonly [number, number] | null | undefined, minTop = DENSITY_MIN_TOP): [number, number] {
  const max = binDomain && Number.isFinite(binDomain[1]) ? Math.ceil(binDomain[1]) : 0;
  return [1, Math.max(minTop, max)];
}

/**
 * Case positions from lon,lat pairs (GET /api/analysis/points), as [lon, lat, 0, lon, lat, 0, …];
 * pairs that are not finite are left out. Three per point, not two: HexagonLayer's position attribute has size 3 and works out
 * its bins from the attribute's bounds, which deck.gl 9.4 only computes when the binary value has
 * the attribute's own size (with size 2 they come out null and every case falls in a bin or two).
 */
export function casePositions(lonlat: readonly number[]): Float64Array {
  const out = new Float64Array((lonlat.length >> 1) * 3);
  let n = 0;
  for (let i = 0; i + 1 < lonlat.length; i += 2) {
    if (!Number.isFinite(lonlat[i]) || !Number.isFinite(lonlat[i + 1])) continue;
    out[n] = lonlat[i];
    out[n + 1] = lonlat[i + 1];
    n += 3;
  }
  return n === out.length ? out : out.slice(0, n);
}

/** deck.gl binary data: `length` points whose positions come straight from the typed array. */
export interface BinaryPoints {
  length: number;
  attributes: { getPosition: { value: Float64Array; size: 3 } };
}

export const binaryPoints = (positions: Float64Array): BinaryPoints => ({ length: positions.length / 3, attributes: { getPosition: { value: positions, size: 3 } } });

export function samePositions(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
