import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../core/cases/model.ts';
import { EVENT_CLASSES } from '../../core/taxonomy.ts';
import { ApiClient, type FetchLike } from '../api.ts';
import { FakeClock, tinyDataset } from '../fixture.ts';
import { CasesModel } from '../models/cases.ts';
import { Rng } from '../../core/random.ts';
import { Staff } from '../staff.ts';
import type { Sink } from '../types.ts';
import { LoopDriver } from './driver.ts';
import { FakeServer } from './fake-server.ts';

const T0 = Date.UTC(2026, 10, 23, 0, 0, 0);
const MIN = 60_000;
const DAY = 86_400_000;
const VIDEO_CLASSES = EVENT_CLASSES.filter((c) => c.videoAi).map((c) => c.code);

interface RunOptions {
  speed: number;
  intakeMs: number; // wall time with new cases coming in
  totalMs: number; // wall time in all
  tickMs: (t: number) => number;
  wrap?: (f: FetchLike, clock: { now: number }) => FetchLike;
  pollMs?: number;
  onTick?: (server: FakeServer) => void;
}

/** The whole loop against the fake server, on a fake clock: intake model, server-made cases, escalation timer, driver. */
async function run(o: RunOptions) {
  const ds = tinyDataset();
  const time = { now: T0 };
  const clock = new FakeClock(T0, o.speed);
  const server = new FakeServer(ds, time);
  const warnings: { obj: any; msg: string }[] = [];
  const log = { warn: (obj: any, msg: string) => warnings.push({ obj, msg }) } as never;
  const api = new ApiClient({ baseUrl: 'http://fake', key: 'k', fetch: o.wrap ? o.wrap(server.fetch, time) : server.fetch, sleep: async () => {}, maxAttempts: 3 });
  const driver = new LoopDriver({ api, staff: new Staff(ds), seed: 5, speed: o.speed, clock: () => time.now, pollMs: o.pollMs ?? 5000, log });
  const intake = new CasesModel(ds, new Rng(8), 'd');
  const sink: Sink = { device() {}, video() {}, weather() {}, case: (r) => void server.report(r) };
  const rng = new Rng(9);
  let serverMade = 0;
  while (time.now - T0 < o.totalMs) {
    const ctx = clock.step(o.tickMs(time.now - T0) / 1000);
    time.now = ctx.now;
    if (ctx.now - T0 < o.intakeMs) {
      intake.tick(ctx, sink);
      // The server opens video-AI (~9.6/day) and sensor (~2.4/day) cases from alarms by itself.
      for (let k = rng.poisson((12 / 86_400) * ctx.dtSim); k > 0; k--) {
        const g = rng.pick(ds.grids);
        const video = rng.chance(0.8);
        server.report({
          id: `SRV-${++serverMade}`, source: video ? 'video-ai' : 'sensor', eventClass: video ? rng.pick(VIDEO_CLASSES) : rng.pick(['0503', '0601', '0602']),
          title: 'alarm', urgency: 'normal', lon: g.area.center[0], lat: g.area.center[1], reportedAt: ctx.now,
        });
      }
    }
    server.escalate();
    o.onTick?.(server);
    driver.tick();
    await driver.idle();
  }
  return { server, driver, warnings, serverMade, cases: [...server.cases.values()] };
}

function expectAllDone(cases: CaseState[], server: FakeServer, driver: LoopDriver) {
  const open = cases.filter((c) => c.stage !== 'closed' && c.stage !== 'voided');
  expect(open.map((c) => `${c.id} ${c.stage}`)).toEqual([]);
  for (const c of cases.filter((x) => x.hotline && x.stage === 'closed')) {
    expect(c.hotline!.repliedAt).not.toBeNull();
    expect(c.hotline!.callbackAt).not.toBeNull();
  }
  for (const w of server.whistles.values()) expect(w.closedAt).not.toBeNull();
  expect(driver.tracked).toBe(0);
}

describe('loop driver against a fake server', () => {
  it('three days of intake at speed 1: every case reaches closed or voided, only escalation races refused', async () => {
    const { server, driver, cases, serverMade } = await run({
      speed: 1, intakeMs: 3 * DAY, totalMs: 20 * DAY, pollMs: 5 * MIN,
      tickMs: (t) => (t < 4 * DAY ? MIN : 10 * MIN),
    });
    expect(cases.length).toBeGreaterThan(180);
    expect(serverMade).toBeGreaterThan(15);
    expectAllDone(cases, server, driver);
    // The only refusals we accept: an owner step given just after an escalation the driver had not yet seen.
    for (const e of server.errors) expect(e.code).toBe('FORBIDDEN');
    const commands = Object.values(driver.stats.commands).reduce((a, b) => a + b, 0);
    expect(server.errors.length).toBeLessThan(commands * 0.01);
    for (const type of ['close-on-spot', 'file', 'dispatch', 'accept', 'feedback', 'recheck', 'close', 'reply', 'callback']) expect(driver.stats.commands[type]).toBeGreaterThan(0);
    const patrol = cases.filter((c) => c.source === 'patrol');
    expect(patrol.filter((c) => c.onSpot).length / patrol.length).toBeGreaterThan(0.45);
    expect(patrol.filter((c) => c.onSpot).length / patrol.length).toBeLessThan(0.75);
    const dispatched = cases.filter((c) => c.dispatchedAt !== null);
    const onTime = dispatched.filter((c) => c.handledAt! <= c.deadline!).length / dispatched.length;
    expect(onTime).toBeGreaterThan(0.78);
    expect(onTime).toBeLessThan(0.95);
    // The server-made cases were found by polling and worked like the others.
    expect(cases.filter((c) => c.source === 'video-ai' || c.source === 'sensor').every((c) => c.stage === 'closed' || c.stage === 'voided')).toBe(true);
    expect(driver.stats.discovered).toBe(cases.length);
    expect(server.requests['GET /api/cases']).toBeGreaterThan(20 * 24 * 6);
    const s = driver.summary();
    expect(s.shares.handledOnTime).toBeCloseTo(onTime, 1);
  });

  it('--speed 60 compresses the loop: five simulated days of cases are all done within hours of wall time', async () => {
    const { server, driver, cases } = await run({ speed: 60, intakeMs: 2 * 3_600_000, totalMs: 8 * 3_600_000, tickMs: () => 2000 });
    expect(cases.length).toBeGreaterThan(250);
    expectAllDone(cases, server, driver);
    expect(server.errors).toEqual([]);
    // An on-the-spot closure takes 3–12 simulated minutes: 3–12 wall seconds, plus a tick and a poll.
    const spot = cases.filter((c) => c.onSpot).map((c) => c.closedAt! - c.reportedAt);
    expect(Math.max(...spot)).toBeLessThan(12_000 + 2000 + 5000 + 1);
  });

  it('a refused command is logged, the case re-read and planned again; an outage is waited out', async () => {
    let refuseNext = true;
    let downFrom = 0;
    const wrap = (f: FetchLike, clock: { now: number }): FetchLike => async (url, init) => {
      // Someone else changed the case under us once; later the server is down for ten minutes.
      if (refuseNext && init.method === 'POST' && url.includes('/commands')) {
        refuseNext = false;
        downFrom = clock.now + 3_600_000;
        return { status: 409, text: async () => JSON.stringify({ ok: false, code: 'CONFLICT', message: 'case changed since you saw it' }) };
      }
      if (downFrom && clock.now >= downFrom && clock.now < downFrom + 10 * MIN) throw new Error('ECONNREFUSED');
      return f(url, init);
    };
    const { server, driver, cases, warnings } = await run({ speed: 60, intakeMs: 3_600_000, totalMs: 6 * 3_600_000, tickMs: () => 2000, wrap });
    expectAllDone(cases, server, driver);
    expect(warnings.filter((w) => w.msg === 'command refused')).toHaveLength(1);
    expect(warnings[0].obj).toMatchObject({ status: 409, code: 'CONFLICT', message: 'case changed since you saw it' });
    expect(server.requests['GET /api/cases/:id']).toBeGreaterThanOrEqual(1);
    expect(driver.stats.refused.CONFLICT).toBe(1);
    expect(driver.stats.refused.UNAVAILABLE ?? 0).toBeGreaterThan(0);
    expect(driver.stats.pollFailures).toBeGreaterThan(0);
  });

  it('departments answer a whistle an operator blew on the dashboard; closing it is left to the operator', async () => {
    const operator = { id: 'op-1', name: '值班员', role: 'township-operator' as const, org: '340803001' };
    let blown: string | null = null;
    const { server } = await run({
      speed: 60, intakeMs: 3_600_000, totalMs: 3 * 3_600_000, tickMs: () => 2000,
      onTick: (srv) => {
        const c = blown ? null : [...srv.cases.values()].find((x) => x.stage === 'handling' && !x.whistleId && x.townshipCode);
        if (!c) return;
        const r = srv.whistle('W-OP-1', { type: 'blow', whistleId: 'W-OP-1', caseId: c.id, kind: 'quick', lead: 'DEPT-CG', supporting: ['DEPT-GA', 'DEPT-HB'] }, operator);
        if (r.ok) blown = c.id;
      },
    });
    expect(blown).not.toBeNull();
    const w = server.whistles.get('W-OP-1')!;
    expect(w.supporting.map((s) => s.by)).toEqual(['SIM-DEPT-GA', 'SIM-DEPT-HB']);
    expect(w.closedAt).toBeNull();
    expect(server.errors).toEqual([]);
  });

  it('leaves the cases of the reporters it is told to leave to people, and works the others', async () => {
    const ds = tinyDataset();
    const time = { now: T0 };
    const server = new FakeServer(ds, time);
    const api = new ApiClient({ baseUrl: 'http://fake', key: 'k', fetch: server.fetch, sleep: async () => {}, maxAttempts: 3 });
    const driver = new LoopDriver({ api, staff: new Staff(ds), seed: 5, speed: 1, clock: () => time.now, pollMs: 5 * MIN, leaveToPeople: ['dispatcher-'] });
    const g = ds.grids[0].area.center;
    const report = (id: string, reporter: string) =>
      server.report({ id, source: 'citizen', eventClass: '0101', title: id, urgency: 'normal', lon: g[0], lat: g[1], reportedAt: time.now, reporter });
    report('BY-PERSON', 'dispatcher-340803');
    report('BY-FIELD', '12345');
    for (let t = 0; t < 2 * DAY; t += MIN) {
      time.now = T0 + t;
      server.escalate();
      driver.tick();
      await driver.idle();
    }
    expect(server.cases.get('BY-FIELD')!.stage).not.toBe('reported');
    expect(server.cases.get('BY-PERSON')!.stage).toBe('reported');
  });
});
