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

  it('stays cheap for 100,000 components', () => {
    const n = 100_000;
    const idx = townshipIndex({ ...src, componentGrid: Array.from({ length: n }, (_, i) => i % 3) });
    const status = { component: new Uint8Array(n), camera: new Uint8Array(4), broadcast: new Uint8Array(0), worker: new Uint8Array(1) };
    onlineRateTable(idx, status);
    const t = performance.now();
    for (let k = 0; k < 20; k++) onlineRateTable(idx, status);
    // ~0.3 ms on an idle core; the bound leaves room for a machine shared with other test runs.
    expect((performance.now() - t) / 20).toBeLessThan(40);
  });
});
