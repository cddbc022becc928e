// Small geographic helpers for map overlays. Pure.
const M_PER_DEG_LAT = 111_320;

/**
 * View cone of a lookout camera as a closed lon/lat ring: apex at the camera, arc of `fovDeg`
 * centred on `headingDeg` (clockwise from north) at `rangeM`, `steps` arc segments.
 */
export function viewCone(lon: number, lat: number, headingDeg: number, fovDeg: number, rangeM: number, steps = 16): [number, number][] {
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
  const ring: [number, number][] = [[lon, lat]];
  const fov = Math.min(Math.max(fovDeg, 1), 360);
  const start = headingDeg - fov / 2;
  for (let i = 0; i <= steps; i++) {
    const a = ((start + (fov * i) / steps) * Math.PI) / 180;
    ring.push([lon + (Math.sin(a) * rangeM) / mPerDegLon, lat + (Math.cos(a) * rangeM) / M_PER_DEG_LAT]);
  }
  ring.push([lon, lat]);
  return ring;
}

/**
 * Padding for fitting the district into the map area, in CSS pixels. `leftInset`: how far from the
 * map's left edge a panel floats over it (the layer panel), so that it covers none of the district;
 * ignored when it would leave the district less than half the map.
 */
export function fitPadding(width: number, height: number, leftInset = 0): { top: number; bottom: number; left: number; right: number } {
  const p = Math.round(Math.min(width, height) * 0.05);
  const left = leftInset > 0 && leftInset + 2 * p <= width / 2 ? Math.round(leftInset) + p : p;
  return { top: p, bottom: p, left, right: p };
}

export type BBox = [number, number, number, number];

/** Bounding box (west, south, east, north) of the boundary feature whose `code` property is `code`, or null. */
export function featureBBox(fc: { features: Array<{ properties: unknown; geometry: unknown }> }, code: string): BBox | null {
  const f = fc.features.find((x) => (x.properties as { code?: string } | null)?.code === code);
  if (!f) return null;
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (v: unknown): void => {
    if (!Array.isArray(v)) return;
    if (typeof v[0] === 'number') {
      b[0] = Math.min(b[0], v[0]);
      b[1] = Math.min(b[1], v[1] as number);
      b[2] = Math.max(b[2], v[0]);
      b[3] = Math.max(b[3], v[1] as number);
      return;
    }
    for (const x of v) walk(x);
  };
  walk((f.geometry as { coordinates?: unknown } | null)?.coordinates);
  return Number.isFinite(b[0]) ? b : null;
}
