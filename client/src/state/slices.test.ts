// Each slice of the live store on its own state, without the store that composes them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR_CONFIG } from '../../../core/cases/calendar.ts';
import { computeKpis } from '../../../core/cases/kpi.ts';
import type { Kpis } from '../../../core/protocol.ts';
import * as cases from './cases.ts';
import * as whistles from './whistles.ts';
import * as alarms from './alarms.ts';
import * as kpis from './kpis.ts';
import * as session from './session.ts';
import * as devices from './devices.ts';
import { alarmOf, caseOf, whistleOf } from './test-support.ts';

const kpiOf = (eps: number): Kpis => ({
  devices: {} as Kpis['devices'], eventsPerSecond: eps,
  cases: { today: 0, open: 0, overdue: 0, closedToday: 0, byHour: [], openBySource: {} },
  loop: { today: computeKpis([], 0), last30Days: computeKpis([], 0) },
});

describe('live store slices', () => {
  it('cases: a snapshot replaces and orders the feed, a delta keeps the newest version and flashes arrivals', () => {
    const s = cases.initCases('340803001');
    cases.applySnapshot(s, [caseOf('C1', { reportedAt: 1 }), caseOf('C2', { reportedAt: 2 }), caseOf('X', { townshipCode: '340803002', communityCode: '340803002001' })]);
    expect(cases.feedCases(s).map((c) => c.id)).toEqual(['C2', 'C1']);
    expect(s.droppedOutOfScope).toBe(1);
    const v = s.version.cases;
    cases.applyDelta(s, [caseOf('C1', { version: 1 })], 100); // same version: replaced, not new
    cases.applyDelta(s, [caseOf('C3', { reportedAt: 3 })], 100);
    expect(cases.feedCases(s).map((c) => c.id)).toEqual(['C3', 'C2', 'C1']);
    expect(cases.isFresh(s, 'C3', 200)).toBe(true);
    expect(cases.isFresh(s, 'C1', 200)).toBe(false);
    expect(s.version.cases).toBe(v + 2);
    cases.applyDelta(s, [caseOf('X2', { townshipCode: '340803005', communityCode: '' })], 100);
    expect(s.version.cases).toBe(v + 2); // nothing in scope changed
    cases.reset(s);
    expect(s.cases.size + s.feed.length + s.droppedOutOfScope).toBe(0);
  });

  it('whistles and alarms: older versions never replace newer ones; alarms outside the scope are dropped', () => {
    const w = whistles.initWhistles('340803001002');
    whistles.applySnapshot(w, [whistleOf('W1', { version: 2 }), whistleOf('W2', { center: '340803002' }), whistleOf('W3', { center: '340803001002' })]);
    whistles.applyOne(w, whistleOf('W1', { version: 1, closedAt: 5 }));
    expect(whistles.openWhistles(w).map((x) => x.id).sort()).toEqual(['W1', 'W3']);
    expect(w.droppedOutOfScope).toBe(1); // another township's center cannot whistle on a case of this community
    whistles.applyDelta(w, [whistleOf('W4', { center: '340803005' })]);
    expect(w.whistles.has('W4')).toBe(false);
    expect(whistles.whistleMayBeInScope('340803', { center: '340803005' })).toBe(true);
    const a = alarms.initAlarms('340803002');
    alarms.applySnapshot(a, [alarmOf('A1'), alarmOf('A2', { townshipCode: '340803002', communityCode: '340803002001' })]);
    expect([...a.alarms.keys()]).toEqual(['A2']);
    alarms.applyDelta(a, [alarmOf('A2', { townshipCode: '340803002', communityCode: '340803002001', status: 'cleared', updatedAt: 1_800_000_000_001 })]);
    expect(alarms.openAlarms(a)).toEqual([]);
  });

  it('kpis: counts events, samples the rate once per server second', () => {
    const s = kpis.initKpis();
    kpis.applySnapshot(s, kpiOf(3), 1_000);
    kpis.applyDelta(s, kpiOf(4), 1_500, 7);
    kpis.applyDelta(s, undefined, 2_000, 2);
    kpis.applyDelta(s, kpiOf(5), 2_100, 0);
    expect(kpis.rateSeries(s)).toEqual([[1_000, 4], [2_000, 5]]);
    expect(s.eventsTotal).toBe(9);
  });

  it('session: keeps the last usable calendar', () => {
    const s = session.initSession();
    const actor = { id: 'd', name: 'd', role: 'dispatcher' as const, org: '340803' };
    session.applySnapshot(s, { session: { actor, scope: '340803' }, calendar: { ...DEFAULT_CALENDAR_CONFIG, holidays: ['2026-11-25'] } });
    session.applySnapshot(s, { session: { actor, scope: '340803' }, calendar: { ...DEFAULT_CALENDAR_CONFIG, periods: [['12:00', '08:00']] } });
    expect(s.calendar.isWorkingDay(Date.UTC(2026, 10, 25, 2))).toBe(false);
    session.reset(s);
    expect(s.session).toBeNull();
  });

  it('devices: start offline, seeded where the dataset puts the moving ones', () => {
    const sizes = { camera: 2, lookout: 1, drone: 1, broadcast: 1, component: 1, worker: 1 };
    const s = devices.initDevices(sizes, { drone: new Float64Array([117, 30.5]) });
    expect(s.counts.camera.offline).toBe(2);
    expect([...s.moving.drone.lonlat]).toEqual([117, 30.5]);
  });

  it('no slice imports the store that composes it', () => {
    for (const f of ['./cases.ts', './whistles.ts', './alarms.ts', './kpis.ts', './session.ts', './devices.ts', './broadcasts.ts', '../drones/state.ts']) {
      expect(readFileSync(new URL(f, import.meta.url), 'utf8'), f).not.toMatch(/from '[./]*\/?(state\/)?store\.ts'/);
    }
  });
});
