import { describe, expect, it } from 'vitest';
import { bucketFor, bucketStart, drill, hotspots, trend } from './analysis.ts';
import type { CaseState } from './cases/model.ts';

const H = 3_600_000;
// Monday 2026-11-23 00:00 Asia/Shanghai = Sunday 16:00 UTC.
const MON = Date.UTC(2026, 10, 22, 16);

function kase(id: string, over: Partial<CaseState> = {}): CaseState {
  return {
    id, source: 'citizen', eventClass: '0102', title: id, description: '', urgency: 'normal', lon: 117.0, lat: 30.5, gridIndex: 0,
    townshipCode: '340803001', communityCode: '340803001001', reportedAt: MON, reporter: 'x', hotline: null, stage: 'reported', owner: '340803',
    assignee: null, filedAt: null, dispatchDueAt: null, dispatchedAt: null, acceptedAt: null, handledAt: null, rechecked: false, closedAt: null,
    voidedAt: null, deadline: null, warnAt: null, pausedRemainingMs: null, resumeStage: null, extension: null, extensions: 0, returns: 0, reworks: 0,
    escalations: 0, onSpot: false, whistleId: null, alarms: 0, attachments: 0, updatedAt: MON, version: 1, ...over,
  };
}

describe('analysis', () => {
  it('cuts Asia/Shanghai hours, days and Monday weeks', () => {
    expect(bucketStart(MON + 5 * H + 1234, 'hour')).toBe(MON + 5 * H);
    expect(bucketStart(MON + 23 * H, 'day')).toBe(MON);
    expect(bucketStart(MON + 24 * H, 'day')).toBe(MON + 24 * H);
    expect(bucketStart(MON + 6 * 24 * H + 23 * H, 'week')).toBe(MON); // Sunday night is still that week
    expect(bucketStart(MON + 7 * 24 * H, 'week')).toBe(MON + 7 * 24 * H);
    expect([bucketFor(24 * H), bucketFor(7 * 24 * H), bucketFor(90 * 24 * H)]).toEqual(['hour', 'day', 'week']);
  });

  it('counts reported, closed and overdue per bucket, beside the previous period', () => {
    const cases = [
      kase('a', { reportedAt: MON + H, closedAt: MON + 3 * H }),
      kase('b', { reportedAt: MON + 1.5 * H, deadline: MON + 2 * H }), // overdue, never handled
      kase('c', { reportedAt: MON + 2 * H, deadline: MON + 2.5 * H, handledAt: MON + 2.2 * H }), // on time
      kase('old', { reportedAt: MON - 3 * H }), // the previous period
      kase('late', { reportedAt: MON + 4 * H }), // after the window
    ];
    const t = trend(cases, MON, MON + 4 * H, 'hour');
    expect(t.current.map((p) => [p.reported, p.closed, p.overdue])).toEqual([[0, 0, 0], [2, 0, 0], [1, 0, 1], [0, 1, 0]]);
    expect(t.previous.map((p) => p.start)).toEqual([MON - 4 * H, MON - 3 * H, MON - 2 * H, MON - H]);
    expect(t.totals).toEqual({ current: { reported: 3, closed: 1, overdue: 1 }, previous: { reported: 1, closed: 0, overdue: 0 } });
  });

  it('finds places where cases repeat, biggest first, with their main class and open count', () => {
    const near = (id: string, dLon: number, over: Partial<CaseState> = {}) => kase(id, { lon: 117.0 + dLon, lat: 30.5, ...over });
    const cases = [
      near('h1', 0, { eventClass: '0401' }), near('h2', 0.0003, { eventClass: '0401', closedAt: MON }), near('h3', -0.0004, { eventClass: '0102' }), near('h4', 0.0005, { eventClass: '0401' }),
      near('p1', 0.05), near('p2', 0.0503), near('p3', 0.0498),
      near('lone', 0.1), near('pair1', 0.2), near('pair2', 0.2002),
    ];
    const spots = hotspots(cases, 100, 3);
    expect(spots.map((s) => s.caseIds)).toEqual([['h1', 'h2', 'h3', 'h4'], ['p1', 'p2', 'p3']]);
    expect(spots[0]).toMatchObject({ count: 4, open: 3, eventClass: '0401', townshipCode: '340803001' });
    expect(hotspots(cases, 100, 2).map((s) => s.count)).toEqual([4, 3, 2]);
  });

  it('drills a figure down to exactly the cases behind it', () => {
    const cases = [
      kase('t1', { reportedAt: MON + H, townshipCode: '340803001', assignee: 'DEPT-SW', closedAt: MON + 5 * H }),
      kase('t2', { reportedAt: MON + 2 * H, townshipCode: '340803002', assignee: 'DEPT-SW' }),
      kase('t3', { reportedAt: MON + 3 * H, townshipCode: '340803001', source: 'video-ai', deadline: MON + 4 * H }),
      kase('t4', { reportedAt: MON - H, townshipCode: '340803001' }),
    ];
    const ids = (f: Parameters<typeof drill>[3]) => drill(cases, MON, MON + 24 * H, f).map((c) => c.id);
    expect(ids({ by: 'township', key: '340803001' })).toEqual(['t3', 't1']);
    expect(ids({ by: 'department', key: 'DEPT-SW' })).toEqual(['t2', 't1']);
    expect(ids({ by: 'source', key: 'video-ai', measure: 'overdue' })).toEqual(['t3']);
    expect(ids({ measure: 'closed' })).toEqual(['t1']);
    expect(ids({ measure: 'open' })).toEqual(['t3', 't2', 't4']);
  });
});
