import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../core/protocol.ts';
import { FakeClock, tinyDataset } from '../fixture.ts';
import type { Pt } from '../geo.ts';
import { Rng } from '../../core/random.ts';
import { CollectingSink } from '../types.ts';
import { DRONES, DronesModel } from './drones.ts';
import { Compile } from 'typebox/compile';
import { MissionReportSchema, type MissionReport } from '../../core/drones.ts';
import type { CommandKind, UplinkStream } from '../../core/field.ts';
import type { FieldChannel } from '../field.ts';
import { distanceM } from '../geo.ts';

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

/** An in-memory FieldChannel: commands are handed to the model, published reports are kept. */
class FakeChannel implements FieldChannel {
  reports: MissionReport[] = [];
  private handler: ((id: string, payload: unknown) => void) | null = null;
  async publish(stream: UplinkStream, records: object[]) {
    expect(stream).toBe('drone-missions');
    this.reports.push(...(records as MissionReport[]));
  }
  onCommand(kind: CommandKind, handler: (deviceId: string, payload: unknown) => void) {
    expect(kind).toBe('drone');
    this.handler = handler;
  }
  send(id: string, payload: unknown) {
    this.handler!(id, payload);
  }
}

const checkReport = Compile(MissionReportSchema);

function missionRig(speed = 10) {
  const ds = tinyDataset();
  const dev = ds.devices.drone[0];
  dev.maxFlightMin = 40;
  const channel = new FakeChannel();
  // No patrols of their own in these tests: only the missions.
  const model = new DronesModel(ds.devices.drone, new Rng(5), { ...DRONES, meanGapH: 1000, daytimeOnly: false }, channel);
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 2, 0, 0), speed);
  const out = new CollectingSink();
  model.start(clock.ctx(), out);
  model.drones[0].nextFlight = Infinity;
  const base: Pt = [dev.lon, dev.lat];
  const east = (m: number) => ({ lon: base[0] + m / (111_320 * Math.cos((base[1] * Math.PI) / 180)), lat: base[1] });
  const mission = (over: Record<string, unknown> = {}) => ({ type: 'mission', id: 'M-1', droneId: dev.id, target: east(2000), action: 'orbit', loiterS: 120, altM: 100, issuedAt: clock.now, ...over });
  // Reports are published asynchronously (after the previous PUBACK): wait for them after each tick.
  const runUntil = async (done: () => boolean, maxWallS = 3600) => {
    for (let i = 0; i < maxWallS && !done(); i++) {
      model.tick(clock.step(1), out);
      await model.flushed();
    }
  };
  return { dev, base, channel, model, clock, out, mission, east, runUntil, phases: () => channel.reports.map((r) => r.phase) };
}

describe('drone missions from the field channel', () => {
  it('flies a mission: takes off, orbits the target, returns, lands, reporting every phase', async () => {
    const rig = missionRig();
    rig.channel.send(rig.dev.id, rig.mission());
    await rig.runUntil(() => rig.phases().includes('docked'));
    await rig.model.flushed();
    expect(rig.phases()).toEqual(['takeoff', 'enroute', 'on-station', 'returning', 'landing', 'docked']);
    for (const r of rig.channel.reports) expect(checkReport.Check(r), JSON.stringify(r)).toBe(true);
    expect(rig.channel.reports.every((r) => r.missionId === 'M-1' && r.droneId === rig.dev.id)).toBe(true);
    // While on station the drone circles the target at ~150 m.
    const onAt = rig.channel.reports.find((r) => r.phase === 'on-station')!.ts;
    const offAt = rig.channel.reports.find((r) => r.phase === 'returning')!.ts;
    const orbit = rig.out.devices.filter((r) => r.ts > onAt && r.ts < offAt);
    expect(orbit.length).toBeGreaterThan(5);
    const target: Pt = [rig.mission().target.lon, rig.mission().target.lat];
    for (const r of orbit) expect(Math.abs(distanceM([r.lon!, r.lat!], target) - 150)).toBeLessThan(2);
    // 120 s of loiter at speed 10 is 12 wall seconds.
    expect(offAt - onAt).toBeGreaterThanOrEqual(11_000);
    expect(offAt - onAt).toBeLessThanOrEqual(13_000);
    // Telemetry every wall second while flying; docked at the base at the end.
    const flying = rig.out.devices.filter((r) => r.ts > rig.channel.reports[0].ts && r.ts < rig.channel.reports.at(-1)!.ts);
    for (let i = 1; i < flying.length; i++) expect(flying[i].ts - flying[i - 1].ts).toBe(1000);
    const d = rig.model.drones[0];
    expect(d.phase).toBe('base');
    expect(d.at).toEqual(rig.base);
    expect(d.mission).toBeNull();
    expect(d.battery).toBeGreaterThan(50);
  });

  it('refuses a mission its battery cannot fly, with the reason, and stays docked', async () => {
    const rig = missionRig();
    rig.model.drones[0].battery = 20;
    rig.channel.send(rig.dev.id, rig.mission({ loiterS: 600 }));
    await rig.runUntil(() => false, 30);
    await rig.model.flushed();
    expect(rig.channel.reports).toEqual([expect.objectContaining({ missionId: 'M-1', phase: 'refused', reason: expect.stringMatching(/电量不足：需 \d+%，当前 20%/) })]);
    expect(rig.model.drones[0].phase).toBe('base');
    expect(rig.out.devices.every((r) => r.alt === 0)).toBe(true);
  });

  it('comes home early when the battery runs short on station, saying why', async () => {
    const rig = missionRig();
    rig.channel.send(rig.dev.id, rig.mission({ action: 'hover', loiterS: 1500 }));
    await rig.runUntil(() => rig.phases().includes('on-station'));
    // The battery drains faster than planned (wind, cold): it must not stay out until it is empty.
    rig.model.drones[0].dev.maxFlightMin = 12;
    await rig.runUntil(() => rig.phases().includes('docked'));
    await rig.model.flushed();
    expect(rig.phases()).toEqual(['takeoff', 'enroute', 'on-station', 'returning', 'landing', 'docked']);
    expect(rig.channel.reports[3].reason).toContain('电量不足');
    const landed = rig.out.devices.at(-1)!;
    expect(landed.battery!).toBeGreaterThan(5);
  });

  it('goes home when recalled, and a mission pre-empts a patrol flight', async () => {
    const rig = missionRig();
    rig.channel.send(rig.dev.id, rig.mission({ loiterS: 600 }));
    await rig.runUntil(() => rig.phases().includes('on-station'));
    rig.channel.send(rig.dev.id, { type: 'recall', droneId: rig.dev.id, missionId: 'M-1', at: rig.clock.now });
    await rig.runUntil(() => rig.phases().includes('docked'));
    await rig.model.flushed();
    expect(rig.phases()).toEqual(['takeoff', 'enroute', 'on-station', 'returning', 'landing', 'docked']);
    expect(rig.channel.reports[3].reason).toBe('调度员召回');

    // On patrol: the mission takes over in the air (straight to enroute).
    const d = rig.model.drones[0];
    d.nextFlight = 0;
    await rig.runUntil(() => d.phase === 'cruise');
    d.nextFlight = Infinity;
    // At the patrol's altitude (a random draw): no climb first.
    rig.channel.send(rig.dev.id, rig.mission({ id: 'M-2', loiterS: 30, altM: d.alt }));
    await rig.runUntil(() => rig.phases().filter((p) => p === 'docked').length === 2);
    await rig.model.flushed();
    expect(rig.channel.reports.filter((r) => r.missionId === 'M-2').map((r) => r.phase)).toEqual(['enroute', 'on-station', 'returning', 'landing', 'docked']);
  });
});
