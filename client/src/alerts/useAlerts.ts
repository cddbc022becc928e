// Runs the alert decision (decide.ts) against the live store: again whenever its cases, alarms or
// whistles change, and every second (a whistle's deadline passes, a kiosk alert times out). Plays
// the cue it asks for. Not in a replay: the past is not news.
import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { useLinkage } from '../context.ts';
import { useLive } from '../live.ts';
import { ReplayClock, useWallNow } from '../clock.ts';
import { dismissAlert, initialAlerts, stepAlerts, type Alert } from './decide.ts';
import { playCue } from './sound.ts';
import { latestObservations } from '../flood/state.ts';

/** At most one sound in this long: a burst of alerts is one cue and one list. */
export const CUE_EVERY_MS = 5000;
/** A kiosk screen has nobody to acknowledge: its alerts go after a minute. */
export const KIOSK_DISMISS_MS = 60_000;
const MAX_PENDING = 30;

/** `scope`: the area whose alerts these are, once the screen has had its first look at it (null before). */
export function useAlerts(kiosk: boolean, muted: boolean): { pending: readonly Alert[]; scope: string | null; dismiss(key: string): void } {
  const { store } = useLinkage();
  const replaying = useContext(ReplayClock) !== null;
  const changed = useLive((s) => `${s.seq >= 0 ? s.scope : ''}|${s.version.cases}|${s.version.alarms}|${s.version.whistles}|${s.floodVersion}`);
  const tick = useWallNow(1000);
  const state = useRef(initialAlerts());
  const [pending, setPending] = useState<readonly Alert[]>([]);
  const [scope, setScope] = useState<string | null>(null);
  useEffect(() => {
    if (replaying || store.seq < 0) return;
    const sources = { cases: store.cases.values(), alarms: store.alarms.values(), whistles: store.whistles.values(), weather: latestObservations(store) };
    const r = stepAlerts(state.current, sources, { scope: store.scope, seq: store.seq, now: Date.now() }, { muted, cueEveryMs: CUE_EVERY_MS, autoDismissMs: kiosk ? KIOSK_DISMISS_MS : null, maxPending: MAX_PENDING });
    state.current = r.state;
    setPending(r.state.pending);
    setScope(r.state.scope);
    if (r.cue) playCue(r.cue);
  }, [changed, tick, muted, kiosk, replaying, store]);
  const dismiss = useCallback((key: string) => {
    state.current = dismissAlert(state.current, key);
    setPending(state.current.pending);
  }, []);
  return { pending, scope, dismiss };
}
