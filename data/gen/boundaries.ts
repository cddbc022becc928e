// District, township and community polygons: by default the real district outline (anqing.ts)
// partitioned around hand-placed seats, optionally replaced level by level from a center's own
// GeoJSON file (missing units are filled in from what is left).

import type { BoundaryProps } from '../../core/dataset.ts';
import type { PolygonGeometry } from '../../core/geo.ts';
import { diff, dist2, inter, mpArea, mpBBox, mpCentroid, nearestInside, normalize, toGeometry, toKm, unionAll } from './geometry.ts';
import { districtOutline, TOWNSHIP_SEATS, URBAN_CORE } from './geography.ts';
import { partition, voronoiCells, warpCell } from './partition.ts';
import { stream } from '../../core/random.ts';
import { DEFAULT_BOUNDARY_SOURCE, DISTRICT_CODE, DISTRICT_NAME, TOWNSHIP_CODES, type AdminUnits, type FeatureCollection, type GenerateOptions, type MPoly } from './types.ts';

/** Polygons (km plane) of every administrative unit, by code, and where they came from. */
export interface Units {
  district: MPoly;
  townships: Map<string, MPoly>;
  communities: Map<string, MPoly>;
  source: string;
}

export function geometryToKm(g: PolygonGeometry): MPoly {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return normalize(polys.map((p) => p.map((r) => r.map((c) => toKm(Number(c[0]), Number(c[1]))))));
}

export function buildUnits(admin: AdminUnits, seed: number, opts: GenerateOptions, warnings: string[]): Units {
  const fileDistrict: MPoly[] = [];
  const fileT = new Map<string, MPoly>();
  const fileC = new Map<string, MPoly>();
  const communityCodes = new Set(admin.communities.map((c) => c.code));
  const townshipCodes = new Set(admin.townships.map((t) => t.code));
  for (const [i, f] of (opts.boundaries?.features ?? []).entries()) {
    const code = String(f.properties?.code ?? '');
    if (!f.geometry || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon')) {
      warnings.push(`boundaries feature ${i} (code ${code || '?'}): not a Polygon/MultiPolygon, ignored`);
      continue;
    }
    const km = geometryToKm(f.geometry);
    if (code === DISTRICT_CODE) fileDistrict.push(km);
    else if (townshipCodes.has(code)) fileT.set(code, unionAll([...(fileT.has(code) ? [fileT.get(code)!] : []), km]));
    else if (communityCodes.has(code)) fileC.set(code, unionAll([...(fileC.has(code) ? [fileC.get(code)!] : []), km]));
    else warnings.push(`boundaries feature ${i}: code '${code}' is not 340803, one of the 10 township codes or one of their community codes; ignored`);
  }
  // A township missing from the file but with all its communities given is their union.
  for (const t of admin.townships) {
    if (fileT.has(t.code)) continue;
    const cs = admin.communities.filter((c) => c.townshipCode === t.code);
    if (cs.length && cs.every((c) => fileC.has(c.code))) fileT.set(t.code, unionAll(cs.map((c) => fileC.get(c.code)!)));
  }

  const rng = stream(seed, 'boundaries');
  const synthOutline: MPoly = districtOutline();
  // Default townships: the urban core split among the 7 streets, the rest among 3 rural units.
  const urban = inter(synthOutline, [[URBAN_CORE]]);
  const rural = diff(synthOutline, urban);
  const streetCodes = TOWNSHIP_CODES.filter((c) => c < '340803100');
  const ruralCodes = TOWNSHIP_CODES.filter((c) => c >= '340803100');
  const synthT = new Map<string, MPoly>();
  const uCells = voronoiCells(streetCodes.map((c) => TOWNSHIP_SEATS[c]), mpBBox(synthOutline));
  streetCodes.forEach((c, i) => synthT.set(c, inter(urban, [[warpCell(uCells[i], 0.12)]])));
  const rCells = voronoiCells(ruralCodes.map((c) => TOWNSHIP_SEATS[c]), mpBBox(synthOutline));
  ruralCodes.forEach((c, i) => synthT.set(c, inter(rural, [[warpCell(rCells[i], 0.35, 0.25, 2)]])));

  let district: MPoly;
  if (fileDistrict.length) district = unionAll(fileDistrict);
  else if (admin.townships.every((t) => fileT.has(t.code))) district = unionAll([...fileT.values()]);
  else district = unionAll([synthOutline, ...fileT.values()]);

  const townships = new Map<string, MPoly>();
  if (!fileDistrict.length && fileT.size === 0) {
    for (const t of admin.townships) townships.set(t.code, synthT.get(t.code)!);
  } else {
    const given = [...fileT.entries()];
    for (const [code, g] of given) townships.set(code, inter(g, district));
    const missing = admin.townships.map((t) => t.code).filter((c) => !fileT.has(c));
    if (missing.length) {
      const rest = diff(district, ...given.map(([, g]) => g));
      if (mpArea(rest) < 1e-3) throw new Error(`boundaries: townships ${missing.join(', ')} are missing and no area of the district is left for them`);
      if (!fileDistrict.length) {
        const pieces = missing.map((c) => inter(synthT.get(c)!, rest));
        const leftover = diff(rest, ...pieces.filter((p) => p.length));
        for (const poly of leftover) {
          const [cx, cy] = mpCentroid([poly]);
          let best = 0;
          let bestD = Infinity;
          missing.forEach((c, i) => {
            const s = TOWNSHIP_SEATS[c];
            const d = (s[0] - cx) ** 2 + (s[1] - cy) ** 2;
            if (pieces[i].length && d < bestD) (best = i), (bestD = d);
          });
          pieces[best] = unionAll([pieces[best], [poly]]);
        }
        if (pieces.some((p) => !p.length)) {
          const parts = partition(rest, missing.length, rng, 0, missing.map((c) => nearestInside(rest, TOWNSHIP_SEATS[c], rng)));
          missing.forEach((c, i) => townships.set(c, parts[i]));
        } else missing.forEach((c, i) => townships.set(c, pieces[i]));
      } else {
        const parts = partition(rest, missing.length, rng, 0, missing.map((c) => nearestInside(rest, TOWNSHIP_SEATS[c], rng)));
        missing.forEach((c, i) => townships.set(c, parts[i]));
      }
    }
  }

  // Communities: given ones clipped to their township; the rest of the township split among the others.
  const communities = new Map<string, MPoly>();
  for (const t of admin.townships) {
    const tp = townships.get(t.code)!;
    const cs = admin.communities.filter((c) => c.townshipCode === t.code);
    const given = cs.filter((c) => fileC.has(c.code));
    for (const c of given) communities.set(c.code, inter(fileC.get(c.code)!, tp));
    const missing = cs.filter((c) => !fileC.has(c.code));
    if (!missing.length) continue;
    const rest = diff(tp, ...given.map((c) => fileC.get(c.code)!));
    if (mpArea(rest) < 1e-3) throw new Error(`boundaries: communities ${missing.map((c) => c.code).join(', ')} of ${t.code} are missing and no area of the township is left for them`);
    const crng = stream(seed, 'communities-' + t.code);
    const parts = partition(rest, missing.length, crng, 6, undefined, t.kind === 'street' ? 0.06 : 0.2);
    // The seat's residents' committees take the parts nearest the township seat; villages the rest.
    const seat = nearestInside(tp, TOWNSHIP_SEATS[t.code], crng);
    const order = parts.map((p, i) => ({ i, d: dist2(mpCentroid(p), seat) })).sort((a, b) => a.d - b.d || a.i - b.i);
    const ranked = [...missing.filter((c) => c.kind === 'community'), ...missing.filter((c) => c.kind === 'village')];
    if (t.kind === 'street') crng.shuffle(ranked);
    ranked.forEach((c, k) => communities.set(c.code, parts[order[k].i]));
  }
  for (const [code, m] of communities) if (!m.length) throw new Error(`boundaries: community ${code} ends up with no area inside its township`);
  const source = opts.boundaries ? opts.boundarySource ?? 'file' : DEFAULT_BOUNDARY_SOURCE;
  return { district, townships, communities, source };
}

/** boundaries.geojson: the district, then its townships, then their communities. */
export function boundaryFeatures(admin: AdminUnits, units: Units): FeatureCollection<BoundaryProps> {
  const districtGeom = toGeometry(units.district);
  return {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { level: 'district', code: DISTRICT_CODE, name: DISTRICT_NAME, parentCode: null }, geometry: districtGeom },
      ...admin.townships.map((t) => ({
        type: 'Feature' as const,
        properties: { level: 'township' as const, code: t.code, name: t.name, parentCode: DISTRICT_CODE },
        geometry: toGeometry(units.townships.get(t.code)!),
      })),
      ...admin.communities.map((c) => ({
        type: 'Feature' as const,
        properties: { level: 'community' as const, code: c.code, name: c.name, parentCode: c.townshipCode },
        geometry: toGeometry(units.communities.get(c.code)!),
      })),
    ],
  };
}
