// What should pop up and sound on this screen now, pure: a function of what the store holds (open
// urgent cases, active alarms, whistles past their report-in deadline with units still missing,
// orange and red weather warnings in force),
// the screen's settings (muted, kiosk) and the time, which the caller passes in.
//
// What is already there when the screen first looks at its scope is history, not news: it is only
// marked seen. After that each new thing pops once; several inside one cue window share one sound.
import type { AlarmState } from '../../../core/alarms.ts';
import { OPEN_STAGES, type CaseSummary } from '../../../core/domain.ts';
import type { WhistleState } from '../../../core/whistle.ts';
import { severeWarnings, type WeatherObservation } from '../../../core/weather.ts';
import { FLOOD_EVENT_CLASS } from '../../../core/flood.ts';

export type AlertKind = 'case' | 'alarm' | 'whistle' | 'weather';

/** The kind that speaks for a cue of several: the first of these among the new alerts. */
export const CUE_PRIORITY: readonly AlertKind[] = ['case', 'alarm', 'weather', 'whistle'];

export interface Alert {
  /** `<kind>:<id>`: one alert per case, alarm, whistle or weather warning (`<station>:<type>:<level>`). */
  key: string;
  kind: AlertKind;
  /** The case, alarm or whistle id. */
  id: string;
  /** When it happened: reported, raised, or the report-in deadline that passed. */
  at: number;
  /** When this screen first showed it (the kiosk's auto-dismiss counts from here). */
  shownAt: number;
  /** The river over 保证水位, a red warning: kept above the rest, so routine alarms never push it out of sight. */
  severe?: true;
}

export interface AlertSources {
  cases: Iterable<CaseSummary>;
  alarms: Iterable<AlarmState>;
  whistles: Iterable<WhistleState>;
  /** The latest observation of each weather station. */
  weather?: Iterable<WeatherObservation>;
}

export interface AlertsState {
  /** The scope whose things are in `seen`; null before the first look. */
  scope: string | null;
  /** The store's sequence number at the last look: a picture older than it is a replay's. */
  seq: number;
  /** Everything that calls for an alert now and has been shown or taken as history. */
  seen: ReadonlySet<string>;
  /** Shown and not yet acknowledged, newest first. */
  pending: readonly Alert[];
  /** When the last sound played (-Infinity: never). */
  lastCueAt: number;
}

export interface AlertSettings {
  muted: boolean;
  /** At most one sound in this long. */
  cueEveryMs: number;
  /** Kiosk: nobody acknowledges, so an alert goes after this long; null: it stays until acknowledged. */
  autoDismissMs: number | null;
  /** The oldest alerts beyond this many are dropped (what they concern is still in the panels). */
  maxPending: number;
}

export interface Cue {
  kind: AlertKind;
  /** The alerts this sound is for. */
  keys: string[];
}

/** Where and when the store is looked at: its scope, its sequence number, the time. */
export interface Look {
  scope: string;
  seq: number;
  now: number;
}

export const initialAlerts = (): AlertsState => ({ scope: null, seq: -1, seen: new Set(), pending: [], lastCueAt: -Infinity });

const stillMissing = (w: WhistleState) => w.supporting.some((s) => s.reportedAt === null);

/** Everything that calls for an alert at `now`, by key. */
export function alertable(src: AlertSources, now: number): Map<string, Omit<Alert, 'shownAt'>> {
  const out = new Map<string, Omit<Alert, 'shownAt'>>();
  for (const c of src.cases) if (c.urgency === 'urgent' && OPEN_STAGES.has(c.stage)) out.set(`case:${c.id}`, { key: `case:${c.id}`, kind: 'case', id: c.id, at: c.reportedAt });
  for (const a of src.alarms) {
    if (a.status !== 'active') continue;
    out.set(`alarm:${a.id}`, { key: `alarm:${a.id}`, kind: 'alarm', id: a.id, at: a.raisedAt, ...(a.eventClass === FLOOD_EVENT_CLASS.guarantee ? { severe: true as const } : {}) });
  }
  for (const w of src.whistles) {
    if (w.closedAt === null && now > w.deadline && stillMissing(w)) out.set(`whistle:${w.id}`, { key: `whistle:${w.id}`, kind: 'whistle', id: w.id, at: w.deadline });
  }
  // A warning raised to another colour is news again; one lifted and issued anew pops again.
  for (const o of src.weather ?? []) {
    for (const w of severeWarnings(o)) {
      const id = `${o.stationId}:${w.type}:${w.level}`;
      out.set(`weather:${id}`, { key: `weather:${id}`, kind: 'weather', id, at: o.ts, ...(w.level === 'red' ? { severe: true as const } : {}) });
    }
  }
  return out;
}

/**
 * One look at the store. Returns the next state and the sound to play, if any. Alerts whose subject
 * no longer calls for one (the alarm acknowledged elsewhere, the case closed, every unit reported
 * in) leave the pop-up by themselves; `seen` keeps only what still calls for one, so it stays small
 * (none of those can call for one again: each of these changes is final). A picture older than the
 * last one (a replay, or its last moment before the live snapshot is back) is not looked at: it is
 * neither news nor a reason to forget what was seen.
 */
export function stepAlerts(state: AlertsState, src: AlertSources, look: Look, settings: AlertSettings): { state: AlertsState; cue: Cue | null } {
  const { scope, seq, now } = look;
  if (state.scope === scope && seq < state.seq) return { state, cue: null };
  const calling = alertable(src, now);
  if (state.scope !== scope) return { state: { scope, seq, seen: new Set(calling.keys()), pending: [], lastCueAt: state.lastCueAt }, cue: null };
  const fresh: Alert[] = [];
  for (const [key, a] of calling) if (!state.seen.has(key)) fresh.push({ ...a, shownAt: now });
  fresh.sort((x, y) => y.at - x.at);
  const expired = (p: Alert) => settings.autoDismissMs !== null && now - p.shownAt >= settings.autoDismissMs;
  const kept = state.pending.filter((p) => calling.has(p.key) && !expired(p));
  // Newest first, the severe above the rest (a stable sort keeps each group newest first).
  const pending = fresh.length === 0 && kept.length === state.pending.length ? state.pending : [...fresh, ...kept].sort((x, y) => Number(y.severe ?? false) - Number(x.severe ?? false)).slice(0, settings.maxPending);
  const sound = fresh.length > 0 && !settings.muted && now - state.lastCueAt >= settings.cueEveryMs;
  const cue = sound ? { kind: CUE_PRIORITY.find((k) => fresh.some((f) => f.kind === k))!, keys: fresh.map((f) => f.key) } : null;
  return { state: { scope, seq, seen: new Set(calling.keys()), pending, lastCueAt: sound ? now : state.lastCueAt }, cue };
}

/** The operator acknowledged (or dismissed) one alert: it leaves this screen's pop-up, and stays seen. */
export function dismissAlert(state: AlertsState, key: string): AlertsState {
  return { ...state, pending: state.pending.filter((p) => p.key !== key) };
}
