import { describe, expect, it } from 'vitest';
import { mapColumns, parseCsv, planLedger, toWgs84, type LedgerView } from './ledger.ts';
import type { RegisteredDevice } from './registry.ts';

const R = 6_371_000;
const metres = (a: [number, number], b: [number, number]) => {
  const dLat = ((b[1] - a[1]) * Math.PI) / 180;
  const dLon = ((b[0] - a[0]) * Math.PI * Math.cos((a[1] * Math.PI) / 180)) / 180;
  return R * Math.hypot(dLat, dLon);
};

describe('coordinate systems', () => {
  // A point of 大观区 near 振风塔 in WGS84, and its GCJ-02 and BD-09 forms written by hand from the
  // regional offsets (GCJ-02 about 0.0054° east and 0.0023° south of WGS84 here, some 570 m; BD-09 a
  // further ~0.0065° east and 0.006° north): the conversions must land within tens of metres of it.
  it('WGS84 passes through; GCJ-02 and BD-09 come back to the surveyed point within a metre', () => {
    const wgs: [number, number] = [117.0573, 30.5118];
    expect(toWgs84(...wgs, 'WGS84')).toEqual(wgs);
    const gcj: [number, number] = [117.0627, 30.5095];
    expect(metres(toWgs84(...gcj, 'GCJ02'), wgs)).toBeLessThan(60);
    const bd: [number, number] = [117.0692, 30.5155];
    expect(metres(toWgs84(...bd, 'BD09'), wgs)).toBeLessThan(80);
    // Not a no-op: the offsets are hundreds of metres.
    expect(metres(gcj, wgs)).toBeGreaterThan(400);
  });
});

describe('CSV', () => {
  it('reads quoted cells with commas, doubled quotes, CRLF and a BOM', () => {
    expect(parseCsv('\ufeff设备编码,设备名称\r\n1,"石化路,东口"\r\n2,"他说""好"""\n')).toEqual([['设备编码', '设备名称'], ['1', '石化路,东口'], ['2', '他说"好"']]);
  });
});

describe('column mapping', () => {
  it('finds the usual Chinese headers; a mapping names others; a missing column is named', () => {
    expect(mapColumns(['序号', '设备编码', '设备名称', '经度', '纬度', '类型'])).toEqual({ ok: true, columns: { id: 1, name: 2, lon: 3, lat: 4, kind: 5 } });
    expect(mapColumns(['编号X', '点位', 'X', 'Y'], { id: '编号X', name: '点位', lon: 'X', lat: 'Y' })).toEqual({ ok: true, columns: { id: 0, name: 1, lon: 2, lat: 3 } });
    expect(mapColumns(['设备编码', '设备名称', '经度'])).toMatchObject({ ok: false, message: expect.stringMatching(/no column for lat/) });
    expect(mapColumns(['a'], { id: '编码' })).toMatchObject({ ok: false, message: expect.stringMatching(/column "编码" \(for id\) is not in the header/) });
  });
});

describe('ledger plan', () => {
  const origin = { actor: null, source: 'import:test' };
  const known: RegisteredDevice = { kind: 'camera', id: '34080300001310000001', index: 0, name: '一号', lon: 117.05, lat: 30.52, ai: false, streamUrl: null, retired: false };
  const other: RegisteredDevice = { ...known, id: '34080300001310000009', index: 1, name: '九号' };
  const view: LedgerView = { bbox: [116.9, 30.4, 117.2, 30.7], get: (k, id) => [known, other].find((d) => d.kind === k && d.id === id), inService: (k) => [known, other].filter((d) => d.kind === k) };
  const table = [
    ['设备编码', '设备名称', '经度', '纬度', '类型', '所属街道'],
    ['34080300001310000001', '一号', '117.05', '30.52', '摄像机', '德宽路街道'],
    ['34080300001320000002', '二号', '117.06', '30.53', '枪机', '德宽路街道'],
    ['3408030000131000003', '坏编码', '117.06', '30.53', '摄像机', ''],
    ['34080300001310000004', '坏经度', 'east', '30.53', '摄像机', ''],
    ['34080300001310000005', '上海', '121.47', '31.23', '摄像机', ''],
    ['3408030101000001', '井盖', '117.06', '30.53', '部件', ''],
    ['34080300001320000002', '重复', '117.06', '30.53', '摄像机', ''],
    ['', '', '', '', '', ''],
    ['BC-X1', '新广播', '117.07', '30.54', '应急广播', ''],
  ];
  it('says per row what would change, and per bad row the column and why', () => {
    const r = planLedger(table, { crs: 'WGS84', county: '340803' }, view, origin);
    if (!r.ok) throw new Error(r.message);
    expect(r.plan.changes).toEqual([
      { row: 2, action: 'unchanged', kind: 'camera', id: '34080300001310000001', name: '一号' },
      { row: 3, action: 'new', kind: 'camera', id: '34080300001320000002', name: '二号' },
      { row: 10, action: 'new', kind: 'broadcast', id: 'BC-X1', name: '新广播' },
    ]);
    expect(r.plan.bad.map((b) => [b.row, b.column])).toEqual([[4, '设备编码'], [5, '经度'], [6, '经度'], [7, '类型'], [8, '设备编码']]);
    expect(r.plan.bad[0].reason).toMatch(/20 digits/);
    expect(r.plan.bad[2].reason).toMatch(/outside the district/);
    expect(r.plan.bad[4].reason).toMatch(/listed already in row 3/);
    expect(r.plan.events.map((e) => e.type)).toEqual(['provisioned', 'provisioned']);
  });
  it('a row\'s 所属街道 must name the township its point lies in (by name, short name or code); a mismatch or an unknown name costs that row only', () => {
    // Two townships split at longitude 117.055: west 德宽路街道, east 花山街道.
    const townships = {
      list: [{ code: '340803001', name: '德宽路街道' }, { code: '340803002', name: '花山街道' }],
      at: (lon: number) => (lon < 117.055 ? '340803001' : '340803002'),
    };
    const rows = [
      table[0],
      ['34080300001310000011', '西一', '117.05', '30.52', '摄像机', '德宽路'],
      ['34080300001310000012', '西二', '117.05', '30.52', '摄像机', '340803001'],
      ['34080300001310000013', '东一', '117.06', '30.52', '摄像机', '德宽路街道'],
      ['34080300001310000014', '东二', '117.06', '30.52', '摄像机', '玉琳路街道'],
      ['34080300001310000015', '东三', '117.06', '30.52', '摄像机', ' 花山街道 '],
      ['34080300001310000016', '不填', '117.06', '30.52', '摄像机', ''],
    ];
    const r = planLedger(rows, { crs: 'WGS84', county: '340803', townships }, view, origin);
    if (!r.ok) throw new Error(r.message);
    expect(r.plan.changes.map((c) => c.row)).toEqual([2, 3, 6, 7]);
    expect(r.plan.bad.map((b) => [b.row, b.column])).toEqual([[4, '所属街道'], [5, '所属街道']]);
    expect(r.plan.bad[0].reason).toMatch(/lies in 花山街道 \(340803002\), not 德宽路街道/);
    expect(r.plan.bad[1].reason).toMatch(/"玉琳路街道" is not a township of the district/);
  });
  it('a moved device is updated with only its new position; retire-if-asked retires what the ledger no longer lists', () => {
    const moved = [table[0], ['34080300001310000001', '一号', '117.051', '30.52', '摄像机', '']];
    const r = planLedger(moved, { crs: 'WGS84', county: '340803', retireMissing: true }, view, origin);
    if (!r.ok) throw new Error(r.message);
    expect(r.plan.changes).toEqual([
      { row: 2, action: 'updated', kind: 'camera', id: '34080300001310000001', name: '一号', changes: { lon: 117.051 } },
      { row: null, action: 'retired', kind: 'camera', id: '34080300001310000009', name: '九号' },
    ]);
  });
});
