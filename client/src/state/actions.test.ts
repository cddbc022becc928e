import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/org.ts';
import { allowedCommands, clockOf, dispatchTargets, filterCases, filterCounts, needsNote } from './actions.ts';
import { caseOf } from './test-support.ts';

const dispatcher: Actor = { id: 'd', name: '派遣员', role: 'dispatcher', org: '340803' };
const township: Actor = { id: 't', name: '坐席', role: 'township-operator', org: '340803001' };
const otherTownship: Actor = { id: 't2', name: '坐席', role: 'township-operator', org: '340803002' };
const cg: Actor = { id: 's', name: '城管', role: 'department', org: 'DEPT-CG' };
const worker: Actor = { id: 'GW-0001', name: '网格员', role: 'grid-worker', org: '340803001002' };
const H = 3600_000;

describe('allowed commands', () => {
  it('follows the stage and the roles of the transition table', () => {
    const reported = caseOf('C1');
    expect(allowedCommands(dispatcher, reported)).toEqual(['file', 'void']);
    expect(allowedCommands(township, reported)).toEqual(['file', 'void']); // a center above the owning community
    expect(allowedCommands(otherTownship, reported)).toEqual([]);
    expect(allowedCommands(worker, reported)).toEqual(['close-on-spot']); // its own patrol report
    expect(allowedCommands(null, reported)).toEqual([]);
    const filed = caseOf('C1', { stage: 'filed' });
    expect(allowedCommands(dispatcher, filed)).toEqual(['dispatch', 'park', 'void']);
    const dispatched = caseOf('C1', { stage: 'dispatched', assignee: 'DEPT-CG', deadline: 2e12 });
    expect(allowedCommands(cg, dispatched)).toEqual(['accept', 'request-extension', 'return']);
    expect(allowedCommands(dispatcher, dispatched)).toEqual(['defer', 'park']);
    const handled = caseOf('C1', { stage: 'handled', assignee: 'DEPT-CG' });
    expect(allowedCommands(worker, handled)).toEqual(['recheck']); // a worker of the case's community
    expect(allowedCommands(dispatcher, handled)).toEqual(['recheck']);
  });

  it('applies the case-state checks: hotline reply before close, callback once, close-on-spot for normal patrol only', () => {
    const hotline = { line: '12345' as const, orderNo: 'H1', repliedAt: null, callbackAt: null, resolved: null, rating: null };
    const rechecked = caseOf('C1', { source: 'hotline-12345', stage: 'rechecked', hotline });
    expect(allowedCommands(dispatcher, rechecked)).toEqual(['reply']);
    expect(allowedCommands(dispatcher, { ...rechecked, hotline: { ...hotline, repliedAt: 1 } })).toEqual(['close', 'reply']);
    const closed = { ...rechecked, stage: 'closed' as const, hotline: { ...hotline, repliedAt: 1 } };
    expect(allowedCommands(dispatcher, closed)).toEqual(['callback']);
    expect(allowedCommands(dispatcher, { ...closed, hotline: { ...closed.hotline, callbackAt: 2 } })).toEqual([]);
    expect(allowedCommands(worker, caseOf('C1', { urgency: 'urgent' }))).toEqual([]);
    expect(allowedCommands(worker, caseOf('C1', { reporter: 'GW-0002' }))).toEqual([]);
  });

  it('knows which forms need a note', () => {
    expect(needsNote('feedback')).toBe(true);
    expect(needsNote('file')).toBe(false);
    expect(needsNote('recheck', true)).toBe(false);
    expect(needsNote('recheck', false)).toBe(true);
  });
});

describe('feed filters', () => {
  const now = 1_800_000_000_000 + 10 * H;
  const cases = [
    caseOf('A', { reportedAt: now - 3 * H }),
    caseOf('B', { reportedAt: now - 2 * H, stage: 'handling', assignee: 'DEPT-CG', deadline: now - H }),
    caseOf('C', { reportedAt: now - H, stage: 'dispatched', assignee: 'DEPT-SW', deadline: now + H, escalations: 1 }),
    caseOf('D', { reportedAt: now - 4 * H, stage: 'closed', whistleId: 'W1' }),
  ];
  it('filters mine / overdue / supervised, newest first', () => {
    expect(filterCases(cases, 'all', cg, now).map((c) => c.id)).toEqual(['C', 'B', 'A', 'D']);
    expect(filterCases(cases, 'mine', cg, now).map((c) => c.id)).toEqual(['B']);
    expect(filterCases(cases, 'overdue', cg, now).map((c) => c.id)).toEqual(['B']);
    expect(filterCases(cases, 'supervised', null, now).map((c) => c.id)).toEqual(['C', 'D']);
    expect(filterCounts(cases, dispatcher, now)).toEqual({ all: 4, mine: 3, overdue: 1, supervised: 2 });
  });
});

describe('deadline clock', () => {
  it('counts natural time for urgent cases and flags warning / overdue', () => {
    const now = Date.UTC(2026, 2, 10, 2, 0); // Tue 10:00 Shanghai
    const base = { stage: 'handling' as const, urgency: 'urgent' as const };
    expect(clockOf(caseOf('C', { ...base, deadline: now + 135 * 60_000, warnAt: now + 60 * 60_000 }), now)).toEqual({ state: 'ok', ms: 135 * 60_000 });
    expect(clockOf(caseOf('C', { ...base, deadline: now + 10 * 60_000, warnAt: now - 1 }), now).state).toBe('warning');
    expect(clockOf(caseOf('C', { ...base, deadline: now - 35 * 60_000 }), now)).toEqual({ state: 'overdue', ms: 35 * 60_000 });
    expect(clockOf(caseOf('C'), now).state).toBe('none');
    expect(clockOf(caseOf('C', { stage: 'deferred', pausedRemainingMs: 5 }), now)).toEqual({ state: 'paused', ms: 5 });
  });
  it('counts working time for normal cases (lunch break excluded)', () => {
    const now = Date.UTC(2026, 2, 10, 3, 0); // Tue 11:00 Shanghai
    const deadline = Date.UTC(2026, 2, 10, 6, 30); // 14:30: 1 h before lunch + 0.5 h after
    expect(clockOf(caseOf('C', { stage: 'handling', deadline, warnAt: deadline }), now)).toEqual({ state: 'ok', ms: 1.5 * H });
  });
});

describe('dispatch targets', () => {
  it('puts the usual department first and offers the centers covering the case', () => {
    const t = dispatchTargets({ eventClass: '0502', townshipCode: '340803001', communityCode: '340803001002' });
    expect(t.preselected).toBe('DEPT-SW');
    expect(t.options[0].unit).toBe('DEPT-SW');
    expect(t.options.filter((o) => o.kind === 'center').map((o) => o.unit)).toEqual(['LC-340803001', 'LC-340803001002']);
    expect(dispatchTargets({ eventClass: '0101', townshipCode: '', communityCode: '' }).options.every((o) => o.kind === 'department')).toBe(true);
  });
});
