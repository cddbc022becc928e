import { describe, expect, it } from 'vitest';
import { pointInPolygon } from '../../core/geo.ts';
import { anqingCounties, decodeEchartsMap, decodeEchartsRing, gcjToWgs, wgsToGcj } from './anqing.ts';

describe('ECharts compressed coordinates', () => {
  it('decodes zigzag deltas from the offset, 1/1024 degree', () => {
    // '@' = 64 → 0; 'A' = 65 → zigzag 1 → −1; 'I' = 73 → zigzag 9 → −5; 'B' = 66 → 2 → +1
    expect(decodeEchartsRing('@@A@I@@B', [119851, 31227])).toEqual([
      [119851 / 1024, 31227 / 1024], // 117.0419921875, 30.4951171875
      [119850 / 1024, 31227 / 1024],
      [119845 / 1024, 31227 / 1024],
      [119845 / 1024, 31228 / 1024],
    ]);
    expect(decodeEchartsRing('@@A@', [119851, 31227])[1]).toEqual([117.041015625, 30.4951171875]);
  });

  it('rejects a ring with an odd number of characters', () => {
    expect(() => decodeEchartsRing('@@A', [0, 0])).toThrow(/odd number/);
  });

  it('decodes Polygon and MultiPolygon features with their own offsets', () => {
    const counties = decodeEchartsMap({
      UTF8Encoding: true,
      features: [
        { id: '1', properties: { name: 'p' }, geometry: { type: 'Polygon', coordinates: ['@@B@'], encodeOffsets: [[1024, 2048]] } },
        { id: '2', properties: { name: 'm' }, geometry: { type: 'MultiPolygon', coordinates: [['@@'], ['@B']], encodeOffsets: [[[0, 0]], [[512, 512]]] } },
      ],
    });
    expect(counties).toEqual([
      { code: '1', name: 'p', polygons: [[[[1, 2], [1 + 1 / 1024, 2]]]] },
      { code: '2', name: 'm', polygons: [[[[0, 0]]], [[[0.5, 0.5 + 1 / 1024]]]] },
    ]);
    expect(() => decodeEchartsMap({ features: [] })).toThrow(/UTF8Encoding/);
  });
});

describe('GCJ-02 ↔ WGS84 around Anqing', () => {
  // Expected values worked out with the published GCJ-02 formula (Krasovsky ellipsoid, a = 6378245,
  // ee = 0.00669342162296594323), independently of gcoord.
  const KNOWN: Array<{ wgs: [number, number]; gcj: [number, number] }> = [
    { wgs: [117.03, 30.52], gcj: [117.035353709, 30.517638079] }, // 大观区 old city
    { wgs: [117.06, 30.51], gcj: [117.065445603, 30.507701494] }, // 振风塔, 迎江区
    { wgs: [116.9, 30.45], gcj: [116.904962408, 30.447344363] }, // 海口镇 by the Yangtze
  ];
  it('WGS84 → GCJ-02 matches the formula to 1e-8°', () => {
    for (const { wgs, gcj } of KNOWN) {
      const g = wgsToGcj(wgs);
      expect(g[0]).toBeCloseTo(gcj[0], 8);
      expect(g[1]).toBeCloseTo(gcj[1], 8);
    }
  });
  it('GCJ-02 → WGS84 returns the surveyed point within 1 m', () => {
    for (const { wgs, gcj } of KNOWN) {
      const w = gcjToWgs(gcj);
      expect(Math.abs(w[0] - wgs[0]) * 96_000).toBeLessThan(1);
      expect(Math.abs(w[1] - wgs[1]) * 111_000).toBeLessThan(1);
    }
  });
  it('moves Anqing points ~500 m: +0.005° lon, −0.002…−0.003° lat into GCJ-02', () => {
    const g = wgsToGcj([117.0, 30.5]);
    expect(g[0] - 117.0).toBeGreaterThan(0.004);
    expect(g[0] - 117.0).toBeLessThan(0.006);
    expect(g[1] - 30.5).toBeLessThan(-0.002);
    expect(g[1] - 30.5).toBeGreaterThan(-0.003);
  });
});

describe('anqingCounties', () => {
  const counties = anqingCounties();
  it('has 大观区 and the nine other counties of 安庆市 (潜山 by its name since 2018)', () => {
    expect(counties.map((c) => `${c.code} ${c.name}`)).toEqual([
      '340802 迎江区', '340803 大观区', '340811 宜秀区', '340822 怀宁县', '340882 潜山市',
      '340825 太湖县', '340826 宿松县', '340827 望江县', '340828 岳西县', '340881 桐城市',
    ]);
  });
  it('gives 大观区 and 迎江区 in WGS84, each holding its own places', () => {
    const daguan = counties.find((c) => c.code === '340803')!;
    expect(daguan.polygons).toHaveLength(1);
    expect(daguan.polygons[0][0].length).toBeGreaterThan(300);
    // 石化路 (WGS84 116.995 E 30.515 N) is in 大观区, 迎江区's 振风塔 is not.
    expect(pointInPolygon(116.995, 30.515, daguan.polygons[0])).toBe(true);
    expect(pointInPolygon(117.06, 30.51, daguan.polygons[0])).toBe(false);
    const yingjiang = counties.find((c) => c.code === '340802')!;
    expect(pointInPolygon(117.06, 30.51, yingjiang.polygons[0])).toBe(true);
  });
  it('keeps shared borders shared (the same conversion for every vertex)', () => {
    const daguan = counties.find((c) => c.code === '340803')!.polygons[0][0];
    const yixiu = new Set(counties.find((c) => c.code === '340811')!.polygons[0][0].map((p) => p.join()));
    expect(daguan.filter((p) => yixiu.has(p.join())).length).toBeGreaterThan(20);
  });
});
