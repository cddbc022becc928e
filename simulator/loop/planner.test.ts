import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../core/cases/model.ts';
import { EVENT_CLASSES } from '../../core/taxonomy.ts';
import { FakeClock, tinyDataset } from '../fixture.ts';
import { CasesModel } from '../models/cases.ts';
import { Rng } from '../../core/random.ts';
import { Staff } from '../staff.ts';
import { CollectingSink } from '../types.ts';
import { FakeServer, workingSla } from './fake-server.ts';
import { drawFate, type Fate } from './fate.ts';
import { actorFor, newMemo, plan, rightUnit, type Memo, type PlanEnv } from './planner.ts';

const ds = tinyDataset();
const staff = new Staff(ds);
const T0 = Date.UTC(2026, 10, 23, 1, 0, 0); // Monday 09:00 Asia/Shanghai
const MIN = 60_000;

/** A server with one freshly reported case of the given kind. */
function reported(source: CaseState['source'], eventClass: string, urgency: CaseState['urgency'] = 'normal', grid = 0) {
  const server = new FakeServer(ds, { now: T0 }, workingSla());
  const g = ds.grids[grid];
  const c = server.report({
    id: `C-${source}-${eventClass}`, source, eventClass, title: 't', urgency, lon: g.area.center[0], lat: g.area.center[1], reportedAt: T0,
    ...(source === 'patrol' ? { reporter: g.props.workerId } : {}),
    ...(source.startsWith('hotline') ? { hotlineOrderNo: '12345-20261123-000001' } : {}),
  });
  if (!c.ok) throw new Error(c.message);
  return { server, c: c.data };
}

const fateOf = (over: Partial<Fate> = {}): Fate => ({ ...drawFate({ id: 'x', source: 'citizen', eventClass: '0101', urgency: 'normal', townshipCode: '', communityCode: '' }, 1), whistle: null, wrongUnit: null, extension: null, defer: null, void: false, onSpot: false, recheckFails: 0, ...over });

describe('planner: the next step and who takes it', () => {
  const env: PlanEnv = { staff, speed: 1 };

  it('a grid worker closes their own patrol report on the spot; otherwise the owner’s center files it', () => {
    const { c } = reported('patrol', '0102');
    const [s] = plan(c, fateOf({ onSpot: true, onSpotDelay: 5 * MIN }), newMemo(), env);
    expect(s).toMatchObject({ kind: 'case', at: T0 + 5 * MIN, command: { type: 'close-on-spot' }, actor: { id: 'W-0', role: 'grid-worker', org: '340803001002' } });
    const [f] = plan(c, fateOf({ fileDelay: 8 * MIN }), newMemo(), env);
    expect(f).toMatchObject({ at: T0 + 8 * MIN, command: { type: 'file' }, actor: { role: 'community-operator', org: '340803001002' } });
    // --speed compresses the simulated durations
    expect(plan(c, fateOf({ fileDelay: 8 * MIN }), newMemo(), { staff, speed: 4 })[0].at).toBe(T0 + 2 * MIN);
  });

  it('the queue decides who acts: hotlines at the district dispatcher, sensing at the township', () => {
    expect(plan(reported('hotline-12345', '0602').c, fateOf(), newMemo(), env)[0].actor).toMatchObject({ role: 'dispatcher', org: '340803' });
    expect(plan(reported('video-ai', '0402').c, fateOf(), newMemo(), env)[0].actor).toMatchObject({ role: 'township-operator', org: '340803001' });
  });

  it('dispatches minor patrol matters to the community center and the rest to the class’s department; each unit accepts its own', () => {
    expect(rightUnit({ source: 'patrol', urgency: 'normal', eventClass: '0102', communityCode: '340803001002' })).toBe('LC-340803001002');
    expect(rightUnit({ source: 'patrol', urgency: 'urgent', eventClass: '0102', communityCode: '340803001002' })).toBe('DEPT-CG');
    expect(rightUnit({ source: 'sensor', urgency: 'normal', eventClass: '0503', communityCode: '340803001002' })).toBe('DEPT-SW');
    const { server, c } = reported('sensor', '0503');
    const f = fateOf();
    const memo = newMemo();
    let cur = c;
    for (const expected of ['file', 'dispatch', 'accept']) {
      const [s] = plan(cur, f, memo, env);
      expect(s.kind === 'case' && s.command.type).toBe(expected);
      server.clock.now = Math.max(server.clock.now, s.at);
      const r = server.command(cur.id, (s as Extract<typeof s, { kind: 'case' }>).command, s.actor);
      expect(r.ok).toBe(true);
      if (r.ok) cur = r.data;
      memo.done[expected as 'file'] = cur.updatedAt;
    }
    expect(cur).toMatchObject({ stage: 'handling', assignee: 'DEPT-SW' });
    expect(actorFor('feedback', cur, f, staff)).toMatchObject({ role: 'department', org: 'DEPT-SW' });
  });

  it('after an escalation the new owner’s staff re-check and close; decisions go to the duty leader at the district', () => {
    const { c } = reported('patrol', '0102');
    const handled: CaseState = { ...c, stage: 'handled', owner: '340803001', assignee: 'DEPT-CG', handledAt: T0, deadline: T0 + 3_600_000 };
    expect(actorFor('recheck', handled, fateOf({ recheckByWorker: false }), staff)).toMatchObject({ role: 'township-operator', org: '340803001' });
    expect(actorFor('recheck', handled, fateOf({ recheckByWorker: true, pick: 0 }), staff)).toMatchObject({ role: 'grid-worker', org: '340803001002' });
    expect(actorFor('decide-extension', { ...handled, owner: '340803' }, fateOf(), staff)).toMatchObject({ role: 'duty-leader' });
    expect(actorFor('close', { ...handled, owner: '340803' }, fateOf(), staff)).toMatchObject({ role: 'dispatcher' });
  });

  it('feeds back at the fate’s fraction of the server’s window, and blows the whistle first', () => {
    const { c } = reported('hotline-12345', '0502', 'urgent');
    const handling: CaseState = { ...c, stage: 'handling', assignee: 'DEPT-SW', dispatchedAt: T0, acceptedAt: T0 + MIN, deadline: T0 + 2 * 3_600_000 };
    const f = fateOf({ feedbackFrac: 0.5 });
    expect(plan(handling, f, newMemo(), env)[0]).toMatchObject({ at: T0 + 3_600_000, command: { type: 'feedback' } });
    const whistled = fateOf({ feedbackFrac: 0.5, whistle: { kind: 'emergency', lead: 'DEPT-SW', supporting: ['DEPT-GA', 'DEPT-YJ'], blowDelay: 5 * MIN, reportIn: [0.5, 1.5], closeDelay: 10 * MIN, ratings: [5, 3] } });
    const steps = plan(handling, whistled, newMemo(), env);
    expect(steps.map((s) => s.kind)).toEqual(['blow', 'case']);
    expect(steps[0]).toMatchObject({ at: T0 + 5 * MIN, actor: { role: 'township-operator', org: '340803001' }, command: { lead: 'DEPT-SW', supporting: ['DEPT-GA', 'DEPT-YJ'] } });
  });
});

// ---- Shares over many cases, through the real lifecycle rules --------------------------------

interface Outcome { c: CaseState; fate: Fate; memo: Memo; refused: string[] }

/** Runs one case to its end with infinitely fine ticks: the earliest step first, ties in plan order. */
function runToEnd(server: FakeServer, c0: CaseState, env: PlanEnv, seed: number): Outcome {
  const fate = drawFate(c0, seed);
  const memo = newMemo();
  const refused: string[] = [];
  let c = c0;
  server.clock.now = c0.reportedAt;
  for (let guard = 0; guard < 100; guard++) {
    let steps = plan(c, fate, memo, env);
    if (steps.length === 0) break;
    server.clock.now = Math.max(server.clock.now, Math.min(...steps.map((s) => s.at)));
    server.escalate(c.id); // what a poll would have shown by now
    c = server.cases.get(c.id)!;
    steps = plan(c, fate, memo, env);
    const step = steps.find((s) => s.at <= server.clock.now);
    if (!step) continue;
    if (step.kind === 'case') {
      const r = server.command(c.id, step.command, step.actor);
      if (!r.ok) { refused.push(`${step.command.type}: ${r.code} ${r.message}`); break; }
      c = r.data;
      memo.done[step.command.type] = c.updatedAt;
    } else {
      const r = server.whistle(step.kind === 'blow' ? step.command.whistleId : step.whistleId, step.command, step.actor);
      if (!r.ok) { refused.push(`${step.command.type}: ${r.code} ${r.message}`); break; }
      memo.whistle = r.data;
      c = server.cases.get(c.id)!;
    }
  }
  return { c, fate, memo, refused };
}

describe('planner: shares over 6,000 cases (working calendar, real lifecycle rules)', () => {
  const server = new FakeServer(ds, { now: T0 }, workingSla());
  const model = new CasesModel(ds, new Rng(11), 's');
  const rng = new Rng(12);
  const sink = new CollectingSink();
  const sources: [CaseState['source'], number][] = [['patrol', 44], ['hotline-12345', 16], ['hotline-12319', 6.4], ['citizen', 1], ['city-brain', 0.6], ['video-ai', 9.6], ['sensor', 2.4]];
  const env: PlanEnv = { staff, speed: 1 };
  const outcomes: Outcome[] = [];
  for (let i = 0; i < 6000; i++) {
    const source = sources[rng.weighted(sources.map((s) => s[1]))][0];
    const pool = EVENT_CLASSES.filter((e) => (source === 'patrol' ? !e.code.startsWith('05') : source === 'video-ai' ? e.videoAi : source === 'sensor' ? ['0503', '0601', '0502', '0602'].includes(e.code) : true));
    const gridIndex = rng.int(ds.grids.length);
    const clock = new FakeClock(T0 + rng.int(28 * 86_400) * 1000); // four weeks: nights, weekends
    const rec = model.report(clock.ctx(), { source, eventClass: rng.pick(pool).code, at: ds.grids[gridIndex].area.center, gridIndex }, sink);
    server.clock.now = rec.reportedAt;
    const r = server.report(rec);
    if (!r.ok) throw new Error(r.message);
    outcomes.push(runToEnd(server, r.data, env, 99));
  }
  const share = <T,>(xs: T[], p: (x: T) => boolean) => xs.filter(p).length / xs.length;
  const loop = outcomes.filter((o) => !o.c.onSpot);
  const dispatched = loop.filter((o) => o.c.dispatchedAt !== null);

  it('every case ends closed or voided, with no command refused', () => {
    expect(outcomes.flatMap((o) => o.refused)).toEqual([]);
    for (const o of outcomes) expect(['closed', 'voided']).toContain(o.c.stage);
  });

  it('60% of patrol cases are closed on the spot, 2% of the rest voided', () => {
    expect(share(outcomes.filter((o) => o.c.source === 'patrol'), (o) => o.c.onSpot)).toBeCloseTo(0.6, 1);
    expect(Math.abs(share(loop, (o) => o.c.stage === 'voided') - 0.02)).toBeLessThan(0.008);
  });

  it('dispatch on time ~90%, wrong dispatch ~3%, on-time handling ~87%, on-time closure a little lower', () => {
    expect(Math.abs(share(dispatched, (o) => o.c.dispatchedAt! <= o.c.dispatchDueAt!) - 0.9)).toBeLessThan(0.02);
    expect(Math.abs(share(dispatched, (o) => o.c.returns > 0) - 0.03)).toBeLessThan(0.01);
    const onTime = share(dispatched, (o) => o.c.handledAt! <= o.c.deadline!);
    expect(Math.abs(onTime - 0.87)).toBeLessThan(0.02);
    const closedOnTime = share(dispatched, (o) => o.c.closedAt! <= o.c.deadline!);
    expect(closedOnTime).toBeGreaterThan(0.84);
    expect(closedOnTime).toBeLessThanOrEqual(onTime);
    // late cases climb: community → township → district
    expect(dispatched.filter((o) => o.c.escalations > 0).length).toBeGreaterThan(dispatched.length * 0.05);
  });

  it('extensions, deferrals and rework happen at their rates', () => {
    expect(Math.abs(share(dispatched, (o) => o.c.extensions > 0) - 0.04 * 0.8)).toBeLessThan(0.01);
    expect(share(dispatched, (o) => o.memo.done.defer !== undefined)).toBeLessThan(0.02);
    expect(Math.abs(share(dispatched, (o) => o.c.reworks > 0) - 0.05)).toBeLessThan(0.012);
  });

  it('hotline orders are replied to before closing and every caller is called back (85% satisfied)', () => {
    const hot = loop.filter((o) => o.c.hotline && o.c.stage === 'closed');
    expect(hot.length).toBeGreaterThan(1500);
    for (const o of hot) {
      expect(o.c.hotline!.repliedAt).toBeLessThanOrEqual(o.c.closedAt!);
      expect(o.c.hotline!.callbackAt).toBeGreaterThan(o.c.closedAt!);
    }
    expect(Math.abs(share(hot, (o) => o.c.hotline!.rating === 'satisfied') - 0.85)).toBeLessThan(0.03);
    expect(Math.abs(share(hot, (o) => o.c.hotline!.resolved === true) - 0.92)).toBeLessThan(0.025);
  });

  it('about 1 in 15 urgent or 05xx cases is whistled; departments report in, 90% on time; every whistle closes rated', () => {
    const eligible = dispatched.filter((o) => o.c.urgency === 'urgent' || o.c.eventClass.startsWith('05'));
    const ws = [...server.whistles.values()];
    expect(ws.length / eligible.length).toBeGreaterThan(0.04);
    expect(ws.length / eligible.length).toBeLessThan(0.1);
    const units = ws.flatMap((w) => w.supporting.map((s) => ({ w, s })));
    for (const w of ws) {
      expect(w.closedAt).not.toBeNull();
      expect(w.supporting.length).toBeGreaterThanOrEqual(2);
      for (const s of w.supporting) expect(s.rating).toBeGreaterThanOrEqual(3);
    }
    expect(share(units, (u) => u.s.reportedAt !== null && u.s.reportedAt <= u.w.deadline)).toBeGreaterThan(0.8);
  });
});
