// Replay state for the dashboard: the period, the moment shown, playback. Seeks are coalesced:
// at most one is on its way; while it is, only the newest wanted moment is kept and sent next.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Realtime } from '../realtime/connection.ts';
import { fetchDutyNow } from '../duty/api.ts';
import { nextFrame, periodWindow, type Period, type ReplayWindow, type Speed } from './player.ts';

const FRAME_MS = 500;

export interface ReplayControl {
  active: boolean;
  period: Period;
  window: ReplayWindow | null;
  /** The moment on screen (null before the first frame arrived). */
  at: number | null;
  playing: boolean;
  speed: Speed;
  loading: boolean;
  error: string | null;
  start(): void;
  choose(period: Period): void;
  scrub(at: number): void;
  setPlaying(on: boolean): void;
  setSpeed(s: Speed): void;
  live(): void;
}

export function useReplay(rt: Realtime | null): ReplayControl {
  const [active, setActive] = useState(false);
  const [period, setPeriod] = useState<Period>('hour');
  const [window, setWindow] = useState<ReplayWindow | null>(null);
  const [at, setAt] = useState<number | null>(null);
  const [playing, setPlayingState] = useState(false);
  const [speed, setSpeed] = useState<Speed>(60);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const wanted = useRef<number | null>(null);
  const inFlight = useRef(false);
  const shown = useRef<number | null>(null);

  const pump = useCallback(async () => {
    if (!rt || inFlight.current) return;
    inFlight.current = true;
    setLoading(true);
    while (wanted.current !== null && wanted.current !== shown.current) {
      const target = wanted.current;
      const r = await rt.seek(target);
      if (rt.replayAt() === null && !r.ok) break;
      if (r.ok) {
        shown.current = r.data.at;
        setAt(r.data.at);
        setError(null);
      } else {
        setError(r.message);
        setPlayingState(false);
        break;
      }
    }
    inFlight.current = false;
    setLoading(false);
  }, [rt]);

  const scrub = useCallback((t: number) => {
    wanted.current = t;
    void pump();
  }, [pump]);

  const open = useCallback(async (p: Period) => {
    if (!rt) return;
    setError(null);
    const range = await rt.replayRange();
    if (!range.ok) {
      setError(range.message);
      return;
    }
    let shiftStart: number | null = null;
    if (p === 'shift') shiftStart = await fetchDutyNow().then((d) => d.current.start, () => null);
    const w = periodWindow(p, Date.now(), range.data.first, shiftStart);
    setPeriod(p);
    setWindow(w);
    setActive(true);
    setPlayingState(false);
    scrub(w.from);
  }, [rt, scrub]);

  const live = useCallback(() => {
    wanted.current = null;
    shown.current = null;
    setActive(false);
    setPlayingState(false);
    setAt(null);
    setWindow(null);
    setError(null);
    rt?.live();
  }, [rt]);

  // Playback: every frame asks for speed × the wall time since the previous one.
  useEffect(() => {
    if (!active || !playing || !window) return;
    let last = performance.now();
    const id = setInterval(() => {
      if (inFlight.current || shown.current === null) return;
      const nowWall = performance.now();
      const next = nextFrame(shown.current, speed, nowWall - last, window);
      last = nowWall;
      if (next.ended) setPlayingState(false);
      scrub(next.at);
    }, FRAME_MS);
    return () => clearInterval(id);
  }, [active, playing, window, speed, scrub]);

  // Leaving the page or changing identity (a new connection) ends the replay.
  useEffect(() => () => rt?.live(), [rt]);

  return {
    active, period, window, at, playing, speed, loading, error,
    start: () => void open('hour'),
    choose: (p) => void open(p),
    scrub,
    setPlaying: (on) => setPlayingState(on && at !== null && window !== null && at < window.to ? true : false),
    setSpeed,
    live,
  };
}
