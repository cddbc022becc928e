import { describe, expect, it } from 'vitest';
import { FakeClock } from '../fixture.ts';
import { Rng } from '../../core/random.ts';
import { CollectingSink } from '../types.ts';
import { CAMERA, FixedDevicesModel } from './fixed.ts';

describe('cameras', () => {
  it('full pass at start, 2-4% offline, heartbeats every 60 s, a few status changes a minute', () => {
    const ids = Array.from({ length: 3700 }, (_, i) => `CAM-${i}`);
    const m = new FixedDevicesModel(ids, CAMERA, new Rng(7));
    const clock = new FakeClock();
    const out = new CollectingSink();
    m.start(clock.ctx(), out);
    expect(out.devices).toHaveLength(3700);
    const down = out.devices.filter((r) => r.status !== 'online').length / 3700;
    expect(down).toBeGreaterThan(0.015);
    expect(down).toBeLessThan(0.045);
    out.clear();
    const last = new Map<string, string>();
    for (const r of out.devices) last.set(r.id, r.status!);
    let changes = 0;
    const status = new Map<string, string>(ids.map((id, i) => [id, m.status(i)]));
    for (let t = 0; t < 3600; t++) {
      m.tick(clock.step(1), out);
      for (const r of out.devices) {
        if (status.get(r.id) !== r.status) changes++;
        status.set(r.id, r.status!);
      }
      out.devices.length = 0;
    }
    const perMin = changes / 60;
    expect(perMin).toBeGreaterThan(0.5);
    expect(perMin).toBeLessThan(8);
    expect(m.downCount() / 3700).toBeLessThan(0.06);
  });

  it('heartbeat volume is ~1 per device per minute', () => {
    const ids = Array.from({ length: 600 }, (_, i) => `B-${i}`);
    const m = new FixedDevicesModel(ids, { ...CAMERA, kind: 'broadcast' }, new Rng(3));
    const clock = new FakeClock();
    const out = new CollectingSink();
    m.start(clock.ctx(), out);
    out.clear();
    for (let t = 0; t < 600; t++) m.tick(clock.step(1), out);
    expect(out.devices.length).toBeGreaterThan(5900);
    expect(out.devices.length).toBeLessThan(6200);
  });
});
