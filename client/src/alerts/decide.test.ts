import { describe, expect, it } from 'vitest';
import type { AlarmState } from '../../../core/alarms.ts';
import type { CaseSummary } from '../../../core/domain.ts';
import type { WhistleState } from '../../../core/whistle.ts';
import { dismissAlert, initialAlerts, stepAlerts, type AlertSettings, type AlertSources, type AlertsState } from './decide.ts';

const kase = (id: string, o: Partial<CaseSummary> = {}) => ({ id, urgency: 'urgent', stage: 'reported', reportedAt: 100, ...o }) as CaseSummary;
const alarm = (id: string, o: Partial<AlarmState> = {}) => ({ id, status: 'active', raisedAt: 200, ...o }) as AlarmState;
const unit = (u: string, reportedAt: number | null) => ({ unit: u, reportedAt, by: null, rating: null });
const whistle = (id: string, o: Partial<WhistleState> = {}) => ({ id, deadline: 10_000, closedAt: null, supporting: [unit('DEPT-CG', null)], ...o }) as WhistleState;

const SETTINGS: AlertSettings = { muted: false, cueEveryMs: 5000, autoDismissMs: null, maxPending: 30 };
/** A look at the store of `scope` at `now`, its sequence number `seq` (a live store's only grows). */
const look = (scope: string, now: number, seq = 1) => ({ scope, seq, now });
const src = (o: { cases?: CaseSummary[]; alarms?: AlarmState[]; whistles?: WhistleState[] } = {}): AlertSources => ({ cases: [], alarms: [], whistles: [], ...o });

/** A screen of 340803 that has had its first look at an empty store at t=0. */
const primed = (): AlertsState => stepAlerts(initialAlerts(), src(), look('340803', 0), SETTINGS).state;

describe('stepAlerts', () => {
  it('takes what is there at the first look as history: nothing pops, nothing sounds', () => {
    const r = stepAlerts(initialAlerts(), src({ cases: [kase('C1')], alarms: [alarm('A1')], whistles: [whistle('W1')] }), look('340803', 20_000), SETTINGS);
    expect(r.cue).toBeNull();
    expect(r.state.pending).toEqual([]);
    expect([...r.state.seen].sort()).toEqual(['alarm:A1', 'case:C1', 'whistle:W1']);
    // Looking again at the same things changes nothing.
    const again = stepAlerts(r.state, src({ cases: [kase('C1')], alarms: [alarm('A1')], whistles: [whistle('W1')] }), look('340803', 21_000), SETTINGS);
    expect(again.cue).toBeNull();
    expect(again.state.pending).toEqual([]);
  });

  it('a new urgent case pops and sounds once', () => {
    const r = stepAlerts(primed(), src({ cases: [kase('C1', { reportedAt: 900 })] }), look('340803', 1000), SETTINGS);
    expect(r.cue).toEqual({ kind: 'case', keys: ['case:C1'] });
    expect(r.state.pending).toEqual([{ key: 'case:C1', kind: 'case', id: 'C1', at: 900, shownAt: 1000 }]);
    expect(r.state.lastCueAt).toBe(1000);
    const again = stepAlerts(r.state, src({ cases: [kase('C1', { reportedAt: 900 })] }), look('340803', 9000), SETTINGS);
    expect(again.cue).toBeNull();
    expect(again.state.pending).toHaveLength(1);
  });

  it('ignores normal and finished cases, alarms no longer active, whistles in time, fully reported or closed', () => {
    const r = stepAlerts(
      primed(),
      src({
        cases: [kase('C1', { urgency: 'normal' }), kase('C2', { stage: 'closed' }), kase('C3', { stage: 'voided' })],
        alarms: [alarm('A1', { status: 'acknowledged' }), alarm('A2', { status: 'cleared' })],
        whistles: [whistle('W1', { deadline: 5000 }), whistle('W2', { supporting: [unit('DEPT-CG', 9000)] }), whistle('W3', { closedAt: 8000 })],
      }),
      look('340803', 5000),
      SETTINGS,
    );
    expect(r.cue).toBeNull();
    expect(r.state.pending).toEqual([]);
  });

  it('a whistle pops once its report-in deadline has passed with a unit still missing', () => {
    const sources = src({ whistles: [whistle('W1', { deadline: 10_000, supporting: [unit('DEPT-CG', 9000), unit('DEPT-SW', null)] })] });
    const before = stepAlerts(primed(), sources, look('340803', 10_000), SETTINGS);
    expect(before.cue).toBeNull();
    const after = stepAlerts(before.state, sources, look('340803', 10_001), SETTINGS);
    expect(after.cue).toEqual({ kind: 'whistle', keys: ['whistle:W1'] });
    expect(after.state.pending).toEqual([{ key: 'whistle:W1', kind: 'whistle', id: 'W1', at: 10_000, shownAt: 10_001 }]);
  });

  it('at most one sound in 5 s: a second alarm inside the window joins the list silently, one at 5 s sounds', () => {
    const a1 = stepAlerts(primed(), src({ alarms: [alarm('A1', { raisedAt: 1000 })] }), look('340803', 1000), SETTINGS);
    expect(a1.cue).toEqual({ kind: 'alarm', keys: ['alarm:A1'] });
    const a2 = stepAlerts(a1.state, src({ alarms: [alarm('A1', { raisedAt: 1000 }), alarm('A2', { raisedAt: 5999 })] }), look('340803', 5999), SETTINGS);
    expect(a2.cue).toBeNull();
    expect(a2.state.pending.map((p) => p.key)).toEqual(['alarm:A2', 'alarm:A1']);
    expect(a2.state.lastCueAt).toBe(1000);
    const a3 = stepAlerts(a2.state, src({ alarms: [alarm('A1', { raisedAt: 1000 }), alarm('A2', { raisedAt: 5999 }), alarm('A3', { raisedAt: 6000 })] }), look('340803', 6000), SETTINGS);
    expect(a3.cue).toEqual({ kind: 'alarm', keys: ['alarm:A3'] });
    expect(a3.state.pending.map((p) => p.key)).toEqual(['alarm:A3', 'alarm:A2', 'alarm:A1']);
  });

  it('one sound for several at once, spoken as the most pressing kind', () => {
    const r = stepAlerts(primed(), src({ alarms: [alarm('A1', { raisedAt: 300 })], cases: [kase('C1', { reportedAt: 200 })], whistles: [whistle('W1', { deadline: 100 })] }), look('340803', 1000), SETTINGS);
    expect(r.cue).toEqual({ kind: 'case', keys: ['alarm:A1', 'case:C1', 'whistle:W1'] });
    expect(r.state.pending.map((p) => p.key)).toEqual(['alarm:A1', 'case:C1', 'whistle:W1']);
  });

  it('muted: pops without a sound, and the muted alert does not hold back the next sound', () => {
    const muted = stepAlerts(primed(), src({ alarms: [alarm('A1')] }), look('340803', 1000), { ...SETTINGS, muted: true });
    expect(muted.cue).toBeNull();
    expect(muted.state.pending.map((p) => p.key)).toEqual(['alarm:A1']);
    expect(muted.state.lastCueAt).toBe(-Infinity);
    const next = stepAlerts(muted.state, src({ alarms: [alarm('A1'), alarm('A2')] }), look('340803', 2000), SETTINGS);
    expect(next.cue).toEqual({ kind: 'alarm', keys: ['alarm:A2'] });
  });

  it('an alarm acknowledged elsewhere leaves the pop-up and does not come back', () => {
    const shown = stepAlerts(primed(), src({ alarms: [alarm('A1')] }), look('340803', 1000), SETTINGS);
    const acked = stepAlerts(shown.state, src({ alarms: [alarm('A1', { status: 'acknowledged' })] }), look('340803', 2000), SETTINGS);
    expect(acked.state.pending).toEqual([]);
    expect(acked.state.seen.has('alarm:A1')).toBe(false);
  });

  it('dismissed on this screen, an alert stays seen: the next look does not bring it back', () => {
    const shown = stepAlerts(primed(), src({ cases: [kase('C1')], alarms: [alarm('A1')] }), look('340803', 1000), SETTINGS);
    const dismissed = dismissAlert(shown.state, 'case:C1');
    expect(dismissed.pending.map((p) => p.key)).toEqual(['alarm:A1']);
    const again = stepAlerts(dismissed, src({ cases: [kase('C1')], alarms: [alarm('A1')] }), look('340803', 9000), SETTINGS);
    expect(again.cue).toBeNull();
    expect(again.state.pending.map((p) => p.key)).toEqual(['alarm:A1']);
  });

  it('kiosk: an alert goes by itself 60 s after it was shown', () => {
    const kiosk = { ...SETTINGS, autoDismissMs: 60_000 };
    const shown = stepAlerts(primed(), src({ alarms: [alarm('A1')] }), look('340803', 1000), kiosk);
    expect(stepAlerts(shown.state, src({ alarms: [alarm('A1')] }), look('340803', 60_999), kiosk).state.pending).toHaveLength(1);
    const gone = stepAlerts(shown.state, src({ alarms: [alarm('A1')] }), look('340803', 61_000), kiosk);
    expect(gone.state.pending).toEqual([]);
    expect(stepAlerts(gone.state, src({ alarms: [alarm('A1')] }), look('340803', 62_000), kiosk).state.pending).toEqual([]);
  });

  it('another scope is looked at afresh: its things are history, the old pop-up goes', () => {
    const shown = stepAlerts(primed(), src({ alarms: [alarm('A1')] }), look('340803', 1000), SETTINGS);
    const town = stepAlerts(shown.state, src({ alarms: [alarm('A7')], cases: [kase('C7')] }), look('340803001', 1500), SETTINGS);
    expect(town.cue).toBeNull();
    expect(town.state.pending).toEqual([]);
    expect(town.state.scope).toBe('340803001');
  });

  it('a picture older than the last one (a replay) is not looked at: nothing pops, nothing is forgotten', () => {
    const live = stepAlerts(initialAlerts(), src({ alarms: [alarm('A1')] }), look('340803', 0, 500), SETTINGS).state;
    // The replayed past holds another alarm and not A1.
    const past = stepAlerts(live, src({ alarms: [alarm('A0')] }), look('340803', 1000, 200), SETTINGS);
    expect(past.cue).toBeNull();
    expect(past.state).toBe(live);
    // Live again (a newer snapshot, A1 still active): A1 is not news.
    const back = stepAlerts(past.state, src({ alarms: [alarm('A1')] }), look('340803', 2000, 520), SETTINGS);
    expect(back.cue).toBeNull();
    expect(back.state.pending).toEqual([]);
  });

  it('keeps the newest maxPending alerts', () => {
    const r = stepAlerts(primed(), src({ alarms: [alarm('A1', { raisedAt: 1 }), alarm('A2', { raisedAt: 2 }), alarm('A3', { raisedAt: 3 })] }), look('340803', 1000), { ...SETTINGS, maxPending: 2 });
    expect(r.state.pending.map((p) => p.key)).toEqual(['alarm:A3', 'alarm:A2']);
  });

  it('the river over 保证水位 stays above routine alarms that come after it, and is kept when the list is cut', () => {
    const guarantee = alarm('G1', { raisedAt: 100, eventClass: '0507' });
    const first = stepAlerts(primed(), src({ alarms: [guarantee] }), look('340803', 1000), { ...SETTINGS, maxPending: 3 });
    expect(first.state.pending.map((p) => [p.key, p.severe])).toEqual([['alarm:G1', true]]);
    // Four video alarms and a 超警戒 after it: newest first below it, the oldest of them cut.
    const later = [1, 2, 3, 4].map((i) => alarm(`V${i}`, { raisedAt: 100 + i, eventClass: '0403' }));
    const warning = alarm('W1', { raisedAt: 110, eventClass: '0506' });
    const r = stepAlerts(first.state, src({ alarms: [guarantee, ...later, warning] }), look('340803', 7000), { ...SETTINGS, maxPending: 3 });
    expect(r.state.pending.map((p) => p.key)).toEqual(['alarm:G1', 'alarm:W1', 'alarm:V4']);
  });
});

describe('weather warnings', () => {
  const wx = (ts: number, warnings: Array<{ type: 'rainstorm' | 'gale'; level: 'blue' | 'yellow' | 'orange' | 'red' }>) =>
    ({ stationId: '58424', ts, rainMmH: 0, windMs: 0, windDirDeg: 0, temperatureC: 20, humidityPct: 80, warnings });

  it('an orange or red warning pops and sounds; blue and yellow do not; raised to red it pops again; lifted, it leaves', () => {
    const quiet = stepAlerts(primed(), { ...src(), weather: [wx(1000, [{ type: 'rainstorm', level: 'yellow' }])] }, look('340803', 1000), SETTINGS);
    expect(quiet.cue).toBeNull();
    expect(quiet.state.pending).toEqual([]);
    const orange = stepAlerts(quiet.state, { ...src(), weather: [wx(2000, [{ type: 'rainstorm', level: 'orange' }, { type: 'gale', level: 'blue' }])] }, look('340803', 2000), SETTINGS);
    expect(orange.cue).toEqual({ kind: 'weather', keys: ['weather:58424:rainstorm:orange'] });
    expect(orange.state.pending.map((p) => p.key)).toEqual(['weather:58424:rainstorm:orange']);
    // Still in force at the next observation: no second pop.
    const same = stepAlerts(orange.state, { ...src(), weather: [wx(3000, [{ type: 'rainstorm', level: 'orange' }])] }, look('340803', 9000), SETTINGS);
    expect(same.cue).toBeNull();
    const red = stepAlerts(same.state, { ...src(), weather: [wx(20_000, [{ type: 'rainstorm', level: 'red' }])] }, look('340803', 20_000), SETTINGS);
    expect(red.cue).toEqual({ kind: 'weather', keys: ['weather:58424:rainstorm:red'] });
    expect(red.state.pending.map((p) => [p.key, p.severe])).toEqual([['weather:58424:rainstorm:red', true]]);
    const lifted = stepAlerts(red.state, { ...src(), weather: [wx(30_000, [])] }, look('340803', 30_000), SETTINGS);
    expect(lifted.state.pending).toEqual([]);
  });
});
