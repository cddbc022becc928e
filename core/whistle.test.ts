import { describe, expect, it } from 'vitest';
import type { Actor, Role } from './org.ts';
import { DEPARTMENTS } from './org.ts';
import { Rng } from './random.ts';
import type { CaseStage } from './cases/model.ts';
import {
  WHISTLE_ERROR_CODES, WHISTLE_KINDS, boardRow, decide, departmentScores, evolve,
  type WhistleCommand, type WhistleContext, type WhistleEvent, type WhistleKind, type WhistleState,
} from './whistle.ts';

const MIN = 60_000;
const T = Date.UTC(2024, 4, 6, 1, 0); // 09:00 in Anqing
const actor = (role: Role, org: string, id = `${role}@${org}`): Actor => ({ id, name: id, role, org });
const TWP = '340803001';
const COMM = '340803001002';
const twpOp = actor('township-operator', TWP);
const commOp = actor('community-operator', COMM);
const districtLeader = actor('duty-leader', '340803');
const twpLeader = actor('duty-leader', TWP);
const otherTwpOp = actor('township-operator', '340803002');
const dept = (id: string) => actor('department', id, `staff-${id}`);

type CaseInfo = { id: string; stage: CaseStage; townshipCode: string; communityCode: string };
function cases(): Map<string, CaseInfo> {
  return new Map<string, CaseInfo>([
    ['C1', { id: 'C1', stage: 'handling', townshipCode: TWP, communityCode: COMM }],
    ['C1b', { id: 'C1b', stage: 'dispatched', townshipCode: TWP, communityCode: '340803001003' }],
    ['C2', { id: 'C2', stage: 'filed', townshipCode: '340803002', communityCode: '340803002001' }],
    ['C3', { id: 'C3', stage: 'closed', townshipCode: TWP, communityCode: COMM }],
    ['C4', { id: 'C4', stage: 'voided', townshipCode: TWP, communityCode: COMM }],
    ['C5', { id: 'C5', stage: 'reported', townshipCode: '', communityCode: '' }],
    ['C6', { id: 'C6', stage: 'handled', townshipCode: TWP, communityCode: COMM }],
  ]);
}
const ctxOf = (now: number, db = cases(), limits?: WhistleContext['limits']): WhistleContext => ({ now, caseOf: (id) => db.get(id), limits });

const blowCmd = (over: Partial<Extract<WhistleCommand, { type: 'blow' }>> = {}): WhistleCommand =>
  ({ type: 'blow', whistleId: 'W1', caseId: 'C1', kind: 'quick', lead: 'DEPT-CG', supporting: ['DEPT-GA', 'DEPT-SW'], ...over });

function ok(d: ReturnType<typeof decide>): WhistleEvent {
  if (!d.ok) throw new Error(`expected ok, got ${d.code}: ${d.message}`);
  return d.event;
}
function err(d: ReturnType<typeof decide>, code: string, msg?: RegExp | string) {
  expect(d.ok).toBe(false);
  if (d.ok) return;
  expect(d.code).toBe(code);
  if (msg) expect(d.message).toMatch(msg);
}
function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') { for (const v of Object.values(o)) deepFreeze(v); Object.freeze(o); }
  return o;
}
/** Blows W1 (quick, 30 min) on C1 by the township at T. */
function blown(over: Partial<Extract<WhistleCommand, { type: 'blow' }>> = {}, by: Actor = twpOp): WhistleState {
  return deepFreeze(evolve(null, ok(decide(null, blowCmd(over), by, ctxOf(T)))));
}
const apply = (s: WhistleState, cmd: WhistleCommand, by: Actor, ctx: WhistleContext) => deepFreeze(evolve(s, ok(decide(s, cmd, by, ctx))));
const rate = (r: Record<string, number>): WhistleCommand => ({ type: 'close', ratings: r });

describe('whistle kinds', () => {
  it('has the three kinds with zh/en names and default limits in minutes', () => {
    expect(WHISTLE_KINDS).toEqual({
      quick: { zh: '快捷哨', en: 'Quick whistle', limitMin: 30 },
      emergency: { zh: '应急哨', en: 'Emergency whistle', limitMin: 15 },
      assault: { zh: '攻坚哨', en: 'Assault whistle', limitMin: 120 },
    });
  });
});

describe('blow (吹哨)', () => {
  it('a township operator blows a quick whistle on a case in its township', () => {
    const e = ok(decide(null, blowCmd({ note: '占道经营' }), twpOp, ctxOf(T)));
    expect(e).toMatchObject({ type: 'blown', whistleId: 'W1', at: T, caseId: 'C1', center: TWP, deadline: T + 30 * MIN, note: '占道经营' });
    const s = evolve(null, e);
    expect(s).toEqual({
      id: 'W1', caseId: 'C1', kind: 'quick', blownAt: T, blownBy: { id: twpOp.id, name: twpOp.name, role: 'township-operator', org: TWP },
      center: TWP, lead: 'DEPT-CG', deadline: T + 30 * MIN, closedAt: null, note: '占道经营', version: 1,
      supporting: [
        { unit: 'DEPT-GA', reportedAt: null, by: null, rating: null },
        { unit: 'DEPT-SW', reportedAt: null, by: null, rating: null },
      ],
    });
  });

  it.each<[WhistleKind, number]>([['quick', 30], ['emergency', 15], ['assault', 120]])('%s whistle: deadline = blownAt + %i min', (kind, min) => {
    expect(blown({ kind }).deadline).toBe(T + min * MIN);
  });

  it('limits in ctx override the defaults', () => {
    const e = ok(decide(null, blowCmd({ kind: 'quick' }), twpOp, ctxOf(T, cases(), { quick: 45 })));
    expect(e.type === 'blown' && e.deadline).toBe(T + 45 * MIN);
    const e2 = ok(decide(null, blowCmd({ kind: 'assault' }), twpOp, ctxOf(T, cases(), { quick: 45 })));
    expect(e2.type === 'blown' && e2.deadline).toBe(T + 120 * MIN);
    err(decide(null, blowCmd(), twpOp, ctxOf(T, cases(), { quick: 0 })), 'INVALID_COMMAND', /quick whistle limit.*got 0/);
  });

  it('a community operator whistles in its own community only', () => {
    expect(blown({}, commOp).center).toBe(COMM);
    err(decide(null, blowCmd({ caseId: 'C1b' }), commOp, ctxOf(T)), 'FORBIDDEN', /C1b \(340803001003\) is outside the area of center 340803001002/);
  });

  it('the district duty leader whistles anywhere, even outside every grid; a township duty leader in its township', () => {
    expect(blown({ caseId: 'C2' }, districtLeader).center).toBe('340803');
    expect(blown({ caseId: 'C5' }, districtLeader).caseId).toBe('C5');
    expect(blown({}, twpLeader).center).toBe(TWP);
    err(decide(null, blowCmd({ caseId: 'C2' }), twpLeader, ctxOf(T)), 'FORBIDDEN', /outside the area/);
    err(decide(null, blowCmd({ caseId: 'C5' }), twpOp, ctxOf(T)), 'FORBIDDEN', /outside every grid/);
  });

  it('the lead may be the whistling center itself, but not another center', () => {
    expect(blown({ lead: 'LC-340803001' }).lead).toBe('LC-340803001');
    err(decide(null, blowCmd({ lead: 'LC-340803002' }), twpOp, ctxOf(T)), 'INVALID_COMMAND', /lead "LC-340803002" must be a department or this center LC-340803001/);
    err(decide(null, blowCmd({ lead: 'DEPT-XX' }), twpOp, ctxOf(T)), 'INVALID_COMMAND', /lead "DEPT-XX"/);
  });

  it.each<[string, Actor]>([
    ['dispatcher', actor('dispatcher', '340803')],
    ['grid worker', actor('grid-worker', COMM)],
    ['department', dept('DEPT-CG')],
    ['display', actor('display', '340803')],
    ['system', actor('system', '340803')],
    ['township operator with a community org', actor('township-operator', COMM)],
    ['duty leader of a community', actor('duty-leader', COMM)],
  ])('forbids a %s', (_, who) => {
    err(decide(null, blowCmd(), who, ctxOf(T)), 'FORBIDDEN');
  });

  it('forbids a case of another township', () => {
    err(decide(null, blowCmd({ caseId: 'C1' }), otherTwpOp, ctxOf(T)), 'FORBIDDEN', /C1 \(340803001002\) is outside the area of center 340803002/);
  });

  it.each([['C3', 'closed'], ['C4', 'voided'], ['C6', 'handled']])('refuses case %s (%s)', (caseId, stage) => {
    err(decide(null, blowCmd({ caseId }), twpOp, ctxOf(T)), 'INVALID_TRANSITION', `case ${caseId} is ${stage}`);
  });

  it('refuses an unknown case', () => {
    err(decide(null, blowCmd({ caseId: 'nope' }), twpOp, ctxOf(T)), 'NOT_FOUND', /case nope/);
  });

  it.each<[string, Partial<Extract<WhistleCommand, { type: 'blow' }>>, RegExp]>([
    ['duplicate departments', { supporting: ['DEPT-GA', 'DEPT-SW', 'DEPT-GA'] }, /DEPT-GA is listed twice/],
    ['the lead among the supporting', { supporting: ['DEPT-GA', 'DEPT-CG'] }, /DEPT-CG is the lead/],
    ['no supporting department', { supporting: [] }, /at least one supporting/],
    ['13 supporting units', { lead: 'LC-340803001', supporting: [...DEPARTMENTS.map((d) => d.id), 'DEPT-CG'] }, /at most 12 supporting departments, got 13/],
    ['an unknown supporting unit', { supporting: ['DEPT-GA', 'LC-340803001'] }, /"LC-340803001" is not a department/],
    ['an unknown kind', { kind: 'loud' as WhistleKind }, /unknown whistle kind "loud"/],
    ['an empty id', { whistleId: '' }, /whistleId/],
  ])('refuses %s', (_, over, msg) => {
    err(decide(null, blowCmd(over), twpOp, ctxOf(T)), 'INVALID_COMMAND', msg);
  });

  it('accepts all 12 departments when the center leads', () => {
    expect(blown({ lead: 'LC-340803001', supporting: DEPARTMENTS.map((d) => d.id) }).supporting).toHaveLength(12);
  });

  it('cannot blow the same whistle twice', () => {
    err(decide(blown(), blowCmd(), twpOp, ctxOf(T)), 'INVALID_TRANSITION', /W1 is already blown/);
  });
});

describe('report-in (报到)', () => {
  it('a summoned department reports in; state records when and who', () => {
    const s = apply(blown(), { type: 'report-in', note: '已到场' }, dept('DEPT-GA'), ctxOf(T + 10 * MIN));
    expect(s.supporting[0]).toEqual({ unit: 'DEPT-GA', reportedAt: T + 10 * MIN, by: 'staff-DEPT-GA', rating: null });
    expect(s.supporting[1].reportedAt).toBeNull();
    expect(s.version).toBe(2);
  });

  it('exactly at the deadline is on time, one ms later is late but still accepted', () => {
    const s0 = blown();
    const onTime = apply(s0, { type: 'report-in' }, dept('DEPT-GA'), ctxOf(s0.deadline));
    const both = apply(onTime, { type: 'report-in' }, dept('DEPT-SW'), ctxOf(s0.deadline + 1));
    expect(boardRow(both, s0.deadline + 1).units.map((u) => u.status)).toEqual(['reported', 'reported-late']);
  });

  it('a department cannot report twice', () => {
    const s = apply(blown(), { type: 'report-in' }, dept('DEPT-GA'), ctxOf(T + MIN));
    err(decide(s, { type: 'report-in' }, dept('DEPT-GA'), ctxOf(T + 2 * MIN)), 'INVALID_TRANSITION', /DEPT-GA already reported in to whistle W1 at 2024-05-06T01:01:00.000Z/);
  });

  it('a department not summoned, the lead department and non-departments are refused', () => {
    const s = blown();
    err(decide(s, { type: 'report-in' }, dept('DEPT-XF'), ctxOf(T)), 'FORBIDDEN', /DEPT-XF is not summoned by whistle W1 \(summoned: DEPT-GA, DEPT-SW\)/);
    err(decide(s, { type: 'report-in' }, dept('DEPT-CG'), ctxOf(T)), 'FORBIDDEN', /DEPT-CG leads whistle W1/);
    err(decide(s, { type: 'report-in' }, twpOp, ctxOf(T)), 'FORBIDDEN', /only department staff/);
  });

  it('nothing to report to before the blow, after the close, or before the blow time', () => {
    err(decide(null, { type: 'report-in' }, dept('DEPT-GA'), ctxOf(T)), 'NOT_FOUND');
    err(decide(blown(), { type: 'report-in' }, dept('DEPT-GA'), ctxOf(T - 1)), 'INVALID_COMMAND', /before whistle W1 was blown/);
    const db = cases();
    db.get('C1')!.stage = 'handled';
    const closed = apply(blown(), rate({ 'DEPT-GA': 4, 'DEPT-SW': 5 }), twpOp, ctxOf(T + 60 * MIN, db));
    err(decide(closed, { type: 'report-in' }, dept('DEPT-GA'), ctxOf(T + 61 * MIN, db)), 'INVALID_TRANSITION', /W1 was closed/);
  });
});

describe('close (事不完、人不撤)', () => {
  const handled = () => { const db = cases(); db.get('C1')!.stage = 'handled'; return db; };
  const ratings = { 'DEPT-GA': 4, 'DEPT-SW': 5 };

  it.each<CaseStage>(['handled', 'rechecked', 'closed'])('the center closes once the case is %s and rates every department', (stage) => {
    const db = cases();
    db.get('C1')!.stage = stage;
    const s = apply(blown(), { type: 'close', ratings, note: '已处置' }, twpOp, ctxOf(T + 90 * MIN, db));
    expect(s.closedAt).toBe(T + 90 * MIN);
    expect(s.supporting.map((u) => u.rating)).toEqual([4, 5]);
    expect(s).toMatchObject({ closeNote: '已处置', version: 2 });
    expect(s.forced).toBeUndefined();
  });

  it('refuses while the case is still being handled, without force', () => {
    err(decide(blown(), rate(ratings), twpOp, ctxOf(T + MIN)), 'INVALID_TRANSITION', /case C1 is handling: 事不完、人不撤/);
  });

  it('a duty leader over the center may force it with a note; nobody else', () => {
    const force = (note?: string): WhistleCommand => ({ type: 'close', ratings, force: true, note });
    err(decide(blown(), force('工期延后'), twpOp, ctxOf(T + MIN)), 'FORBIDDEN', /only a duty leader over center 340803001/);
    err(decide(blown(), force('工期延后'), actor('duty-leader', '340803002'), ctxOf(T + MIN)), 'FORBIDDEN');
    err(decide(blown(), force('  '), twpLeader, ctxOf(T + MIN)), 'INVALID_COMMAND', /needs a note/);
    const s = apply(blown(), force('工期延后'), twpLeader, ctxOf(T + MIN));
    expect(s).toMatchObject({ closedAt: T + MIN, forced: true, closeNote: '工期延后' });
    expect(apply(blown({}, commOp), force('改由街道处理'), districtLeader, ctxOf(T + MIN)).forced).toBe(true);
  });

  it('only the whistling center closes (normally)', () => {
    err(decide(blown(), rate(ratings), otherTwpOp, ctxOf(T + MIN, handled())), 'FORBIDDEN', /only the whistling center 340803001/);
    err(decide(blown(), rate(ratings), districtLeader, ctxOf(T + MIN, handled())), 'FORBIDDEN');
    err(decide(blown(), rate(ratings), dept('DEPT-GA'), ctxOf(T + MIN, handled())), 'FORBIDDEN');
    expect(apply(blown(), rate(ratings), twpLeader, ctxOf(T + MIN, handled())).closedAt).toBe(T + MIN);
  });

  it.each<[string, Record<string, number>, RegExp]>([
    ['a missing rating', { 'DEPT-GA': 4 }, /missing: DEPT-SW/],
    ['no ratings', {}, /missing: DEPT-GA, DEPT-SW/],
    ['rating 0', { 'DEPT-GA': 0, 'DEPT-SW': 5 }, /DEPT-GA must be an integer 1–5, got 0/],
    ['rating 6', { 'DEPT-GA': 4, 'DEPT-SW': 6 }, /DEPT-SW must be an integer 1–5, got 6/],
    ['rating 2.5', { 'DEPT-GA': 2.5, 'DEPT-SW': 5 }, /got 2.5/],
    ['an unknown department', { ...ratings, 'DEPT-XF': 3 }, /rating for DEPT-XF, which is not a supporting department/],
    ['a rating for the lead', { ...ratings, 'DEPT-CG': 3 }, /DEPT-CG, which is not a supporting/],
  ])('refuses %s', (_, r, msg) => {
    err(decide(blown(), rate(r), twpOp, ctxOf(T + MIN, handled())), 'INVALID_COMMAND', msg);
  });

  it('cannot close twice, nor close a whistle never blown', () => {
    const s = apply(blown(), rate(ratings), twpOp, ctxOf(T + MIN, handled()));
    err(decide(s, rate(ratings), twpOp, ctxOf(T + 2 * MIN, handled())), 'INVALID_TRANSITION', /W1 was closed at 2024-05-06T01:01:00.000Z/);
    err(decide(null, rate(ratings), twpOp, ctxOf(T, handled())), 'NOT_FOUND');
  });
});

describe('purity', () => {
  it('decide and evolve never mutate their input; evolve returns a new object', () => {
    const s = blown(); // deep-frozen: any write would throw in strict mode
    const e = ok(decide(s, { type: 'report-in' }, dept('DEPT-GA'), ctxOf(T + MIN)));
    const next = evolve(s, e);
    expect(next).not.toBe(s);
    expect(s.supporting[0].reportedAt).toBeNull();
    expect(() => evolve(null, e)).toThrow(/before it was blown/);
  });
});

describe('board row', () => {
  const s0 = blown({ supporting: ['DEPT-GA', 'DEPT-SW', 'DEPT-XF', 'DEPT-HB'] });
  const s1 = apply(s0, { type: 'report-in' }, dept('DEPT-GA'), ctxOf(T + 5 * MIN));
  const s2 = apply(s1, { type: 'report-in' }, dept('DEPT-SW'), ctxOf(T + 40 * MIN));

  it('before the deadline: reported / pending, not overdue', () => {
    const row = boardRow(s1, T + 30 * MIN);
    expect(row.units.map((u) => u.status)).toEqual(['reported', 'pending', 'pending', 'pending']);
    expect(row.counts).toEqual({ reported: 1, 'reported-late': 0, pending: 3, late: 0 });
    expect(row.overdue).toBe(false);
  });

  it('after the deadline: late reporters and missing ones; overdue', () => {
    const row = boardRow(s2, T + 41 * MIN);
    expect(row.units).toEqual([
      { unit: 'DEPT-GA', status: 'reported', reportedAt: T + 5 * MIN, rating: null },
      { unit: 'DEPT-SW', status: 'reported-late', reportedAt: T + 40 * MIN, rating: null },
      { unit: 'DEPT-XF', status: 'late', reportedAt: null, rating: null },
      { unit: 'DEPT-HB', status: 'late', reportedAt: null, rating: null },
    ]);
    expect(row.counts).toEqual({ reported: 1, 'reported-late': 1, pending: 0, late: 2 });
    expect(row).toMatchObject({ id: 'W1', caseId: 'C1', kind: 'quick', deadline: T + 30 * MIN, overdue: true, closedAt: null });
  });

  it('a closed whistle is never overdue, and closing before the deadline stops the clock', () => {
    const r = { 'DEPT-GA': 5, 'DEPT-SW': 3, 'DEPT-XF': 2, 'DEPT-HB': 1 };
    const early = apply(s1, { type: 'close', ratings: r, force: true, note: '误吹' }, twpLeader, ctxOf(T + 10 * MIN));
    expect(boardRow(early, T + 999 * MIN)).toMatchObject({ overdue: false, counts: { reported: 1, pending: 3, late: 0 } });
    const late = apply(s2, { type: 'close', ratings: r, force: true, note: '误吹' }, twpLeader, ctxOf(T + 50 * MIN));
    const row = boardRow(late, T + 999 * MIN);
    expect(row).toMatchObject({ overdue: false, counts: { reported: 1, 'reported-late': 1, late: 2 } });
    expect(row.units.map((u) => u.rating)).toEqual([5, 3, 2, 1]);
  });
});

describe('department scores', () => {
  // Hand-built states, times in minutes from 0; judged at now = 60.
  const m = (x: number) => x * MIN;
  const w = (id: string, blownAt: number, limit: number, closedAt: number | null, units: Array<[string, number | null, number | null]>): WhistleState => ({
    id, caseId: 'C1', kind: 'quick', blownAt: m(blownAt), blownBy: twpOp, center: TWP, lead: 'LC-340803001',
    supporting: units.map(([unit, at, rating]) => ({ unit, reportedAt: at === null ? null : m(at), by: at === null ? null : `staff-${unit}`, rating })),
    deadline: m(blownAt + limit), closedAt: closedAt === null ? null : m(closedAt), version: 1,
  });
  const fixture = [
    // deadline 30, closed at 50: GA on time (5), CG late (3), SW never came (1) and counts as due.
    w('W1', 0, 30, 50, [['DEPT-SW', null, 1], ['DEPT-CG', 10, 5], ['DEPT-GA', 40, 3]]),
    // deadline 15, open: CG exactly at the deadline (on time), GA missing and past due.
    w('W2', 0, 15, null, [['DEPT-CG', 15, null], ['DEPT-GA', null, null]]),
    // deadline 170, open: CG pending (not due yet), SW on time, XF pending.
    w('W3', 50, 120, null, [['DEPT-CG', null, null], ['DEPT-SW', 55, null], ['DEPT-XF', null, null]]),
    // deadline 120 but closed at 20: GA never came yet is not due (the clock stopped), rated 4.
    w('W4', 0, 120, 20, [['DEPT-GA', null, 4]]),
  ];

  it('computes 报到率 and 配合度 per department, sorted by id', () => {
    const scores = departmentScores(fixture, m(60));
    expect(scores).toEqual([
      { department: 'DEPT-CG', summoned: 3, due: 2, reportedIn: 2, reportedOnTime: 2, reportInRate: 1, cooperation: 5 },
      { department: 'DEPT-GA', summoned: 3, due: 2, reportedIn: 1, reportedOnTime: 0, reportInRate: 0, cooperation: 3.5 },
      { department: 'DEPT-SW', summoned: 2, due: 2, reportedIn: 1, reportedOnTime: 1, reportInRate: 0.5, cooperation: 1 },
      { department: 'DEPT-XF', summoned: 1, due: 0, reportedIn: 0, reportedOnTime: 0, reportInRate: null, cooperation: null },
    ]);
  });

  it('takes any iterable and is empty on no whistles', () => {
    expect(departmentScores(new Set(fixture).values(), m(60))).toEqual(departmentScores(fixture, m(60)));
    expect(departmentScores([], 0)).toEqual([]);
  });

  it('a pending department becomes due once the deadline passes', () => {
    const xf = departmentScores(fixture, m(171)).find((s) => s.department === 'DEPT-XF')!;
    expect(xf).toMatchObject({ due: 1, reportInRate: 0 });
  });
});

describe('property: random command sequences keep the invariants', () => {
  // Seeded: a failure is reproducible.
  function prng(seed: number): () => number {
    const g = new Rng(seed);
    return () => g.next();
  }

  it('500 sequences', () => {
    const rnd = prng(20240506);
    const pick = <X,>(xs: readonly X[]): X => xs[Math.floor(rnd() * xs.length)];
    const deptIds = DEPARTMENTS.map((d) => d.id);
    const centers = [twpOp, commOp, twpLeader, districtLeader, otherTwpOp];
    const strangers = [actor('dispatcher', '340803'), actor('grid-worker', COMM), actor('township-operator', COMM)];
    const stages: CaseStage[] = ['filed', 'dispatched', 'handling', 'handled', 'rechecked', 'closed', 'voided'];
    const tally = { blown: 0, 'reported-in': 0, closed: 0, rejected: 0 };

    for (let seq = 0; seq < 500; seq++) {
      const db = cases();
      const limits: WhistleContext['limits'] = rnd() < 0.3 ? { quick: 1 + Math.floor(rnd() * 60), assault: 200 } : undefined;
      let now = T;
      let state: WhistleState | null = null;
      let applied = 0;
      for (let step = 0; step < 30; step++) {
        now += rnd() < 0.05 ? -MIN : Math.floor(rnd() * 20 * MIN); // sometimes the clock goes back
        if (rnd() < 0.15) db.get(pick(['C1', 'C1b', 'C2', 'C5']))!.stage = pick(stages);
        let cmd: WhistleCommand;
        let who: Actor;
        const r = rnd();
        if (r < 0.25) {
          const lead = pick([...deptIds, 'LC-340803001', 'LC-340803001002', 'LC-340803', 'nope']);
          const supporting = Array.from({ length: Math.floor(rnd() * 5) }, () => pick([...deptIds, lead]));
          cmd = { type: 'blow', whistleId: `W${seq}`, caseId: pick(['C1', 'C1b', 'C2', 'C5', 'C3', 'zz']), kind: pick(['quick', 'emergency', 'assault', 'bad' as WhistleKind]), lead, supporting };
          who = rnd() < 0.9 ? pick(centers) : pick(strangers);
        } else if (r < 0.7) {
          cmd = { type: 'report-in' };
          who = rnd() < 0.85 ? dept(state && rnd() < 0.8 ? pick(state.supporting).unit : pick(deptIds)) : pick(centers);
        } else {
          const ratings: Record<string, number> = {};
          for (const u of state?.supporting ?? []) if (rnd() < 0.95) ratings[u.unit] = rnd() < 0.95 ? 1 + Math.floor(rnd() * 5) : pick([0, 6, 3.5]);
          if (rnd() < 0.05) ratings[pick(deptIds)] = 3;
          const force = rnd() < 0.3;
          cmd = { type: 'close', ratings, force, note: force && rnd() < 0.8 ? 'why' : undefined };
          who = rnd() < 0.9 ? pick(centers) : pick(strangers);
        }
        const before = JSON.stringify(state);
        const d = decide(state, cmd, who, ctxOf(now, db, limits));
        expect(JSON.stringify(state)).toBe(before);
        if (!d.ok) {
          expect(WHISTLE_ERROR_CODES).toContain(d.code);
          expect(d.message.length).toBeGreaterThan(10);
          tally.rejected++;
          continue;
        }
        const next: WhistleState = evolve(state, d.event);
        expect(JSON.stringify(state)).toBe(before);
        state = next;
        applied++;
        tally[d.event.type]++;
        // Invariants.
        const s = state;
        const limitMin = limits?.[s.kind] ?? WHISTLE_KINDS[s.kind].limitMin;
        expect(s.deadline).toBe(s.blownAt + limitMin * MIN);
        expect(s.version).toBe(applied);
        expect(new Set(s.supporting.map((u) => u.unit)).size).toBe(s.supporting.length);
        expect(s.supporting.length).toBeGreaterThanOrEqual(1);
        expect(s.supporting.length).toBeLessThanOrEqual(12);
        for (const u of s.supporting) {
          expect(u.unit).not.toBe(s.lead);
          expect(deptIds).toContain(u.unit);
          expect(u.reportedAt === null).toBe(u.by === null);
          if (u.reportedAt !== null) expect(u.reportedAt).toBeGreaterThanOrEqual(s.blownAt);
          if (u.reportedAt !== null && s.closedAt !== null) expect(u.reportedAt).toBeLessThanOrEqual(s.closedAt);
          if (s.closedAt === null) expect(u.rating).toBeNull();
          else expect([1, 2, 3, 4, 5]).toContain(u.rating);
        }
        if (s.closedAt !== null) expect(s.closedAt).toBeGreaterThanOrEqual(s.blownAt);
        const row = boardRow(s, now);
        expect(Object.values(row.counts).reduce((a, b) => a + b, 0)).toBe(s.supporting.length);
      }
    }
    // The generator must actually reach every transition, not just errors.
    expect(tally.blown).toBeGreaterThan(150);
    expect(tally['reported-in']).toBeGreaterThan(150);
    expect(tally.closed).toBeGreaterThan(50);
  });
});
