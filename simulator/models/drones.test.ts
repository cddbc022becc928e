import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../core/protocol.ts';
import { FakeClock, tinyDataset } from '../fixture.ts';
import type { Pt } from '../geo.ts';
import { Rng } from '../rng.ts';
import { CollectingSink } from '../types.ts';
import { DRONES, DronesModel } from './drones.ts';

function distToSegmentM(p: Pt, a: Pt, b: Pt): number {
  const k = 111_320, kx = k * Math.cos((30.5 * Math.PI) / 180);
  const [px, py, ax, ay, bx, by] = [p[0] * kx, p[1] * k, a[0] * kx, a[1] * k, b[0] * kx, b[1] * k];
  const dx = bx - ax, dy = by - ay;
  const t = dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function run(maxFlightMin: number, hours: number, speed = 1) {
  const ds = tinyDataset();
  ds.devices.drone[0].maxFlightMin = maxFlightMin;
  const model = new DronesModel(ds.devices.drone, new Rng(11), { ...DRONES, meanGapH: 1, daytimeOnly: false });
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 0, 0, 0), speed);
  const out = new CollectingSink();
  model.start(clock.ctx(), out);
  for (let t = 0; t < (hours * 3600) / speed; t++) model.tick(clock.step(1), out);
  return { ds, model, records: out.devices };
}

describe('drones', () => {
  it('follow the patrol route and come home with battery left', () => {
    const { ds, model, records } = run(40, 6);
    const d = ds.devices.drone[0];
    const base: Pt = [d.lon, d.lat];
    const route: Pt[] = [base, ...d.patrol, base];
    let flying = 0;
    for (const r of records) {
      expect(r.battery!).toBeGreaterThan(0);
      const p: Pt = [r.lon!, r.lat!];
      let best = Infinity;
      for (let k = 0; k + 1 < route.length; k++) best = Math.min(best, distToSegmentM(p, route[k], route[k + 1]));
      expect(best).toBeLessThan(5);
      if (r.alt! > 0) {
        flying++;
        expect(r.alt!).toBeLessThanOrEqual(120.01);
      }
    }
    expect(model.drones[0].flights).toBeGreaterThanOrEqual(2);
    expect(flying).toBeGreaterThan(1000); // reports every second while flying
    const landed = records.filter((r, i) => i > 0 && r.alt === 0 && records[i - 1].alt! > 0);
    for (const r of landed) expect(r.battery!).toBeGreaterThan(5);
  });

  it('turns home early when the battery would not last the whole route', () => {
    const { records, model } = run(6, 3);
    expect(model.drones[0].flights).toBeGreaterThanOrEqual(1);
    expect(Math.min(...records.map((r: DeviceRecord) => r.battery!))).toBeGreaterThan(3);
  });

  it('cruises at 80-120 m and reports every 30 s at base', () => {
    const { records } = run(40, 2);
    const cruise = records.filter((r) => r.speed === 10);
    expect(cruise.length).toBeGreaterThan(0);
    for (const r of cruise) expect(r.alt!).toBeGreaterThanOrEqual(80);
  });
});
