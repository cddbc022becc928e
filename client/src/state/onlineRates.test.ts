import { describe, expect, it } from 'vitest';
import { onlineRateTable, townshipIndex } from './onlineRates.ts';

const src = {
  townships: [{ code: 'A' }, { code: 'B' }],
  gridTownship: ['A', 'B', 'A'],
  devices: {
    camera: [{ townshipCode: 'A' }, { townshipCode: 'A' }, { townshipCode: 'B' }, { townshipCode: 'X' }],
    broadcast: [],
    worker: [{ townshipCode: 'B' }],
  },
  componentGrid: [0, 1, 2, 2, 1],
};

describe('online rates by township', () => {
  it('counts online (status 0) over all devices of each township and the district', () => {
    const idx = townshipIndex(src);
    expect([...idx.of.component]).toEqual([0, 1, 0, 0, 1]);
    expect([...idx.of.camera]).toEqual([0, 0, 1, 255]);
    const rows = onlineRateTable(idx, {
      component: Uint8Array.from([0, 1, 2, 0, 0]),
      camera: Uint8Array.from([0, 3, 0, 0]),
      broadcast: new Uint8Array(0),
      worker: Uint8Array.from([1]),
    });
    expect(rows.map((r) => r.code)).toEqual(['A', 'B', '']);
    expect(rows[0].rate).toEqual({ component: 2 / 3, camera: 0.5, broadcast: null, worker: null });
    expect(rows[1].rate).toEqual({ component: 0.5, camera: 1, broadcast: null, worker: 0 });
    // The district row includes a device outside every township.
    expect(rows[2].rate.camera).toBe(0.75);
    expect(rows[2].total).toEqual({ component: 5, camera: 4, broadcast: 0, worker: 1 });
  });

  // Its speed is the dashboard's to show in the bench (long tasks at full rate), not a unit test's.
  it('counts 100,000 components', () => {
    const n = 100_000;
    // Grids 0 and 2 lie in A, grid 1 in B: components i % 3 === 1 are B's (33,333), the others A's (66,667).
    const idx = townshipIndex({ ...src, componentGrid: Array.from({ length: n }, (_, i) => i % 3) });
    const component = new Uint8Array(n);
    component.fill(2, 0, 10); // the first ten offline: 7 in A (0, 2, 3, 5, 6, 8, 9), 3 in B (1, 4, 7)
    const rows = onlineRateTable(idx, { component, camera: new Uint8Array(4), broadcast: new Uint8Array(0), worker: new Uint8Array(1) });
    expect(rows.map((r) => [r.code, r.total.component, r.rate.component])).toEqual([
      ['A', 66_667, 66_660 / 66_667],
      ['B', 33_333, 33_330 / 33_333],
      ['', 100_000, 99_990 / 100_000],
    ]);
  });
});
