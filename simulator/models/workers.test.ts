import { describe, expect, it } from 'vitest';
import { FakeClock, tinyDataset } from '../fixture.ts';
import { distanceM, inArea, type Pt } from '../geo.ts';
import { Rng } from '../../core/random.ts';
import { CollectingSink } from '../types.ts';
import { WORKERS, WorkersModel } from './workers.ts';

describe('grid workers', () => {
  it('walk inside their grid (leaders inside their community) at walking pace', () => {
    const ds = tinyDataset();
    const model = new WorkersModel(ds, new Rng(5), { ...WORKERS, shift: 'always' });
    const clock = new FakeClock();
    const out = new CollectingSink();
    model.start(clock.ctx(), out);
    for (let t = 0; t < 4 * 3600; t++) model.tick(clock.step(1), out);
    const last = new Map<string, { p: Pt; ts: number }>();
    let moved = 0;
    for (const r of out.devices) {
      const w = ds.devices.worker.find((x) => x.id === r.id)!;
      const p: Pt = [r.lon!, r.lat!];
      if (w.role === 'worker') expect(inArea(p, ds.grids[w.gridIndex].area)).toBe(true);
      else expect(ds.grids.some((g) => g.props.communityCode === w.communityCode && inArea(p, g.area))).toBe(true);
      const prev = last.get(r.id);
      if (prev) {
        const v = distanceM(prev.p, p) / ((r.ts - prev.ts) / 1000);
        expect(v).toBeLessThanOrEqual(1.25);
        if (v > 0) moved++;
      }
      last.set(r.id, { p, ts: r.ts });
    }
    expect(moved).toBeGreaterThan(100);
    const perWorker = out.devices.length / ds.devices.worker.length / (4 * 3600);
    expect(perWorker).toBeGreaterThan(1 / 30);
    expect(perWorker).toBeLessThan(1 / 10 + 0.01);
  });

  it('clock out after 17:30 and in at 08:30 Asia/Shanghai', () => {
    const ds = tinyDataset();
    ds.devices.worker = Array.from({ length: 100 }, (_, i) => ({ ...ds.devices.worker[i % 4], id: `W-${i}` }));
    const model = new WorkersModel(ds, new Rng(9), { ...WORKERS, shift: 'hours', nightDutyShare: 0 });
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 1, 0, 0)); // 09:00 Shanghai
    const out = new CollectingSink();
    model.start(clock.ctx(), out);
    expect(out.devices.every((r) => r.status === 'online')).toBe(true);
    for (let t = 0; t < 10 * 3600; t += 5) model.tick(clock.step(5), out); // to 19:00
    expect(model.walkers.every((v) => !v.on)).toBe(true);
    out.clear();
    for (let t = 0; t < 3600; t += 5) model.tick(clock.step(5), out); // 19:00-20:00: silent
    expect(out.devices).toHaveLength(0);
    for (let t = 0; t < 14 * 3600; t += 5) model.tick(clock.step(5), out); // to 10:00 next day
    expect(model.walkers.every((v) => v.on)).toBe(true);
  });
});
