// Synthetic geography in the km plane: the Yangtze bank, the district outline, the urban core,
// township seats and water bodies. Hand-placed so the map resembles the real district.

import type { WaterProps } from '../../core/dataset.ts';
import { openRing } from './geometry.ts';
import { stream, type Rng } from '../../core/random.ts';
import type { MPoly, Pair, Ring } from './types.ts';

/** North bank of the Yangtze, flowing WSW→ENE past the district. */
export function bankY(x: number): number {
  return -1.2 + 0.36 * (x - 3) + 0.22 * Math.sin(x * 0.9) + 0.12 * Math.sin(x * 2.3 + 1);
}
export const BANK_WEST = -12.5;
export const BANK_EAST = 6.6;
export function bankLine(x0: number, x1: number, step = 0.25): Ring {
  const pts: Ring = [];
  const n = Math.round((x1 - x0) / step);
  for (let i = 0; i <= n; i++) {
    const x = x0 + ((x1 - x0) * i) / n;
    pts.push([x, bankY(x)]);
  }
  return pts;
}

export function syntheticOutline(): Ring {
  const north: Ring = [
    [6.9, 1.0], [6.4, 3.0], [7.0, 5.0], [6.1, 7.2], [4.6, 9.0], [2.0, 9.6], [-0.5, 9.2], [-3.0, 9.8],
    [-5.5, 8.7], [-8.0, 7.9], [-9.6, 5.6], [-10.5, 3.2], [-11.8, 1.0], [-12.3, -2.0], [-12.7, -4.6],
  ];
  return [...bankLine(BANK_WEST, BANK_EAST), ...north];
}

export const URBAN_CORE: Ring = [
  [-0.8, -3.5], [7.8, -3.5], [7.8, 3.7], [5.2, 4.0], [3.2, 3.8], [1.2, 3.3], [-0.2, 2.1], [-1.0, 0.6],
];

/** Seats (town halls) of the townships; seeds of the synthetic partition. */
export const TOWNSHIP_SEATS: Record<string, Pair> = {
  '340803001': [4.1, -0.1], // 德宽路: old centre by the river
  '340803002': [2.5, -0.7], // 玉琳路: riverside
  '340803003': [5.7, 1.0], // 龙山路: east
  '340803004': [3.9, 1.9], // 菱湖: around 菱湖
  '340803005': [2.7, 3.0], // 集贤路: north of the core
  '340803006': [0.3, -1.0], // 石化路: west, by the refinery
  '340803007': [1.1, 1.4], // 花亭路
  '340803100': [-7.5, -3.2], // 海口镇: southwest along the river
  '340803200': [2.5, 6.5], // 十里铺乡: north-northeast
  '340803201': [-5.5, 5.0], // 山口乡: northwest
};

export function ellipse(cx: number, cy: number, rx: number, ry: number, rotDeg: number, n: number, wobble: number, rng: Rng): Ring {
  const t = (rotDeg * Math.PI) / 180;
  const out: Ring = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const f = 1 + wobble * (Math.sin(3 * a + 1) * 0.5 + (rng.next() - 0.5) * 0.6);
    const x = Math.cos(a) * rx * f;
    const y = Math.sin(a) * ry * f;
    out.push([cx + x * Math.cos(t) - y * Math.sin(t), cy + x * Math.sin(t) + y * Math.cos(t)]);
  }
  return out;
}

export function waterBodies(seed: number): Array<{ name: string; kind: WaterProps['kind']; poly: MPoly }> {
  const rng = stream(seed, 'water');
  const north = bankLine(-16, 11);
  const south = north.map(([x, y]) => [x, y - 1.75 - 0.3 * Math.sin(x * 0.37 + 0.5)] as Pair).reverse();
  return [
    { name: '长江', kind: 'river', poly: [[openRing([...north, ...south], true)]] },
    { name: '菱湖', kind: 'lake', poly: [[openRing(ellipse(3.95, 2.2, 0.55, 0.3, 20, 28, 0.08, rng), true)]] },
    { name: '石塘湖', kind: 'lake', poly: [[openRing(ellipse(-7.0, 3.4, 1.6, 0.75, -30, 36, 0.12, rng), true)]] },
  ];
}

/** Vertical distance (km) from the river bank: how riverside a point is. */
export function bankDist(p: Pair): number {
  return Math.abs(p[1] - bankY(p[0]));
}
