import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { assignProblem, confineReport, draftHandover, sectionCounts, dutyFor, dutyNow, noteProblem, rosterBetween, signProblem, type DutyPool, type HandoverCase, type LoggedEvent } from './duty.ts';
import { parseShifts } from './shifts.ts';
import type { Actor } from './org.ts';

const pool = JSON.parse(readFileSync(new URL('../data/duty-pool.json', import.meta.url), 'utf8')) as DutyPool;
const shifts = parseShifts('08:00-20:00,20:00-08:00');
// Shanghai = UTC+8: local 08:00 is 00:00 UTC, local 20:00 is 12:00 UTC.
const DAY = Date.UTC(2026, 10, 23, 0);
const NIGHT = Date.UTC(2026, 10, 23, 12);
const NEXT_DAY = Date.UTC(2026, 10, 24, 0);
const H = 3_600_000;
const leader = (id: string): Actor => ({ id, name: '值班领导', role: 'duty-leader', org: '340803' });
const dispatcher: Actor = { id: 'd1', name: '派遣员', role: 'dispatcher', org: '340803' };

describe('duty roster', () => {
  it('rotates leaders and dispatchers shift by shift, with one stationed person per department', () => {
    const day = dutyFor(DAY, shifts, pool, new Map());
    const night = dutyFor(NIGHT, shifts, pool, new Map());
    expect(day).toMatchObject({ start: DAY, end: NIGHT, source: 'rotation' });
    expect(night.end).toBe(NEXT_DAY);
    expect(night.leader.id).not.toBe(day.leader.id);
    expect(day.dispatchers).toHaveLength(pool.dispatchersPerShift);
    expect(new Set(day.stationed.map((p) => p.dept)).size).toBe(day.stationed.length);
    expect(day.stationed.length).toBe(new Set(pool.stationed.map((p) => p.dept)).size);
    // Over a full cycle every leader takes a turn.
    const cycle = rosterBetween(DAY, DAY + pool.leaders.length * 12 * H, shifts, pool, new Map());
    expect(cycle).toHaveLength(pool.leaders.length);
    expect(new Set(cycle.map((s) => s.leader.id)).size).toBe(pool.leaders.length);
    expect(cycle.every((s, i) => i === 0 || s.start === cycle[i - 1].end)).toBe(true);
  });

  it('says who is on duty now and next, and an assignment overrides the rotation', () => {
    const other = pool.leaders.find((p) => p.id !== dutyFor(NIGHT, shifts, pool, new Map()).leader.id)!;
    const assigned = new Map([[NIGHT, { shiftStart: NIGHT, leaderId: other.id, dispatcherIds: [pool.dispatchers[5].id] }]]);
    const { current, next } = dutyNow(DAY + 5 * H, shifts, pool, assigned);
    expect(current.start).toBe(DAY);
    expect(next).toMatchObject({ start: NIGHT, source: 'assigned', leader: { id: other.id }, dispatchers: [{ id: pool.dispatchers[5].id }] });
  });

  it('lets only the district duty leaders and dispatchers change it, with people of the pool', () => {
    expect(assignProblem(dispatcher, { shiftStart: NIGHT, leaderId: pool.leaders[1].id }, pool)).toBeNull();
    expect(assignProblem({ ...dispatcher, role: 'township-operator', org: '340803001' }, { shiftStart: NIGHT, leaderId: pool.leaders[1].id }, pool)).toMatch(/only the district/);
    expect(assignProblem(dispatcher, { shiftStart: NIGHT, leaderId: 'NOBODY' }, pool)).toMatch(/"NOBODY" is not in the duty pool/);
    expect(assignProblem(dispatcher, { shiftStart: NIGHT }, pool)).toMatch(/name a leaderId/);
  });
});

describe('duty log', () => {
  it('takes instructions from duty leaders only, and nothing from screens', () => {
    expect(noteProblem(leader('L'), { kind: 'instruction', text: '立即处置' })).toBeNull();
    expect(noteProblem(dispatcher, { kind: 'instruction', text: '立即处置' })).toMatch(/duty leader/);
    expect(noteProblem(dispatcher, { kind: 'decision', text: '改派区水务局' })).toBeNull();
    expect(noteProblem({ ...dispatcher, role: 'display' }, { kind: 'note', text: 'x' })).toMatch(/display/);
    expect(noteProblem(dispatcher, { kind: 'note', text: '   ' })).toMatch(/empty/);
  });

  it('logs a call with whom it was to, and a contact only on a call', () => {
    const contact = { name: '许超勇', phone: '13812345678' };
    expect(noteProblem(dispatcher, { kind: 'call', text: '网格员 · 马山社区', contact })).toBeNull();
    expect(noteProblem(leader('L'), { kind: 'call', text: '值班调度员', contact: { name: '周敏', phone: '0556-5501101' } })).toBeNull();
    expect(noteProblem(dispatcher, { kind: 'call', text: '网格员' })).toMatch(/contact/);
    expect(noteProblem(dispatcher, { kind: 'note', text: '记事', contact })).toMatch(/only a call/);
    expect(noteProblem({ ...dispatcher, role: 'display' }, { kind: 'call', text: '网格员', contact })).toMatch(/display/);
  });
});

describe('shift handover', () => {
  const duty = dutyFor(DAY, shifts, pool, new Map());
  const next = dutyFor(NIGHT, shifts, pool, new Map());
  const kase = (id: string, over: Partial<HandoverCase> = {}): HandoverCase => ({
    id, title: `案件${id}`, stage: 'dispatched', urgency: 'normal', deadline: null, handledAt: null, closedAt: null, voidedAt: null, townshipCode: '340803001', ...over,
  });
  let seq = 0;
  const ev = (type: string, subject: string, ts: number, data: unknown = {}): LoggedEvent => ({ seq: ++seq, ts, type, subject, data });

  it('lists exactly the events inside the shift, by section, and the notes of the shift', () => {
    const events = [
      ev('case:reported', 'C-before', DAY - 1),
      ev('case:reported', 'C1', DAY),
      ev('case:dispatched', 'C1', DAY + H),
      ev('case:closed', 'C0', DAY + 2 * H),
      ev('case:closed-on-spot', 'C2', DAY + 3 * H),
      ev('case:escalated', 'C3', DAY + 4 * H),
      ev('whistle:blown', 'W1', DAY + 5 * H, { caseId: 'C3', kind: 'emergency' }),
      ev('alarm:raised', 'A1', DAY + 6 * H, { alarm: { eventClass: '0107', deviceId: 'CAM-0001', caseId: null } }),
      ev('drone:dispatched', 'UAV-01', DAY + 7 * H, { mission: { caseId: 'C1', action: 'orbit' } }),
      ev('broadcast:sent', 'B1', DAY + 8 * H, { message: { text: '防汛转移通知' }, targets: ['a', 'b', 'c'] }),
      ev('duty:noted', 'C1', DAY + 9 * H, { id: 'N1', at: DAY + 9 * H, kind: 'instruction', text: '加快处置', caseId: 'C1', actor: { id: 'x', name: 'x', role: 'duty-leader', org: '340803' } }),
      ev('case:reported', 'C-after', NIGHT),
    ];
    const cases = new Map(['C0', 'C1', 'C2', 'C3'].map((id) => [id, kase(id)]));
    const r = draftHandover({ duty, next, events, cases, openWhistles: [], activeAlarms: [], now: NIGHT });
    expect(r.sections.reported.map((i) => i.subject)).toEqual(['C1']);
    expect(r.sections.closed.map((i) => i.subject)).toEqual(['C0', 'C2']);
    expect(r.sections.escalated.map((i) => i.subject)).toEqual(['C3']);
    // Codes travel as facts the screen words in its language; the text is the data alone.
    expect(r.sections.whistles).toEqual([expect.objectContaining({ subject: 'W1', caseId: 'C3', text: '案件C3', facts: { whistleKind: 'emergency' } })]);
    expect(r.sections.alarms[0]).toMatchObject({ text: '门前脏乱 · CAM-0001', facts: { eventClass: '0107', deviceId: 'CAM-0001' } });
    expect(r.sections.droneFlights[0]).toMatchObject({ subject: 'UAV-01', caseId: 'C1', text: '案件C1', facts: { droneAction: 'orbit' } });
    expect(r.sections.broadcasts[0]).toMatchObject({ text: '防汛转移通知', facts: { broadcastPoints: 3 } });
    expect(r.notes.map((n) => n.id)).toEqual(['N1']);
    expect(r.shift).toEqual({ start: DAY, end: NIGHT });
    expect(r.next.start).toBe(NIGHT);
  });

  it('confined to an area, keeps only the items and notes the reader may see, in every section and the attention list', () => {
    const west = kase('W1', { townshipCode: '340803001', urgency: 'urgent' });
    const east = kase('E1', { townshipCode: '340803002', urgency: 'urgent' });
    const note = (id: string, caseId: string) => ({ seq: ++seq, ts: DAY + H, type: 'duty:noted', subject: caseId, data: { id, at: DAY + H, kind: 'note', text: `批示${id}`, caseId, actor: { id: 'x', name: 'x', role: 'duty-leader', org: '340803' } } });
    const events = [ev('case:reported', 'W1', DAY + 1), ev('case:reported', 'E1', DAY + 2), ev('whistle:blown', 'WH-E', DAY + 3, { caseId: 'E1', kind: 'quick' }), note('N-W', 'W1'), note('N-E', 'E1')];
    const full = { ...draftHandover({ duty, next, events, cases: new Map([['W1', west], ['E1', east]]), openWhistles: [{ id: 'WH-E', caseId: 'E1', kind: 'quick', blownAt: DAY + 3 }], activeAlarms: [], now: NIGHT }), signatures: [] };
    const town = new Map([['W1', '340803001'], ['E1', '340803002']]);
    const inWest = (caseId: string | null | undefined) => caseId != null && town.get(caseId) === '340803001';
    const west1 = confineReport(full, (i) => inWest(i.caseId), (n) => inWest(n.caseId));
    const text = JSON.stringify(west1);
    expect(text).not.toContain('E1');
    expect(text).not.toContain('批示N-E');
    expect(west1.sections.reported.map((i) => i.subject)).toEqual(['W1']);
    expect(west1.attention.urgentCases.map((i) => i.subject)).toEqual(['W1']);
    expect(west1.notes.map((n) => n.id)).toEqual(['N-W']);
    expect(sectionCounts(west1).reported).toBe(1);
    expect(sectionCounts(full).reported).toBe(2);
    // Nothing else of the report changes: the shift, the people, the signatures.
    expect({ ...west1, sections: null, attention: null, notes: null }).toEqual({ ...full, sections: null, attention: null, notes: null });
  });

  it('counts a case overdue in the shift when its deadline fell inside and it was not handled by then', () => {
    const cases = new Map([
      ['late', kase('late', { deadline: DAY + 2 * H })],
      ['handledLate', kase('handledLate', { deadline: DAY + 2 * H, handledAt: DAY + 3 * H })],
      ['onTime', kase('onTime', { deadline: DAY + 2 * H, handledAt: DAY + H })],
      ['tomorrow', kase('tomorrow', { deadline: NIGHT + H })],
      ['voided', kase('voided', { deadline: DAY + H, voidedAt: DAY })],
    ]);
    const r = draftHandover({ duty, next, events: [], cases, openWhistles: [], activeAlarms: [], now: NIGHT + 2 * H });
    expect(r.sections.overdue.map((i) => i.subject).sort()).toEqual(['handledLate', 'late']);
    // Still needing attention when drafted: open and past the deadline, or urgent.
    expect(r.attention.overdueCases.map((i) => i.subject).sort()).toEqual(['handledLate', 'late', 'tomorrow']);
  });

  it('is signed by the outgoing leader first, then a different incoming one, near or after the end', () => {
    const report = { shift: { end: NIGHT }, signatures: [] as never[] };
    expect(signProblem(leader('A'), 'outgoing', report, NIGHT - 2 * H)).toMatch(/last hour/);
    expect(signProblem(leader('A'), 'incoming', report, NIGHT)).toMatch(/outgoing leader signs first/);
    expect(signProblem(dispatcher, 'outgoing', report, NIGHT)).toMatch(/district duty leaders/);
    expect(signProblem(leader('A'), 'outgoing', report, NIGHT - H / 2)).toBeNull();
    const once = { shift: { end: NIGHT }, signatures: [{ role: 'outgoing' as const, actor: leader('A'), at: NIGHT }] };
    expect(signProblem(leader('B'), 'outgoing', once, NIGHT)).toMatch(/already signed/);
    expect(signProblem(leader('A'), 'incoming', once, NIGHT)).toMatch(/same person/);
    expect(signProblem(leader('B'), 'incoming', once, NIGHT)).toBeNull();
  });
});
