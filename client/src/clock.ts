// The ticking clock as a subscription of its own: only the components that show time call
// useNow(intervalMs) and re-render on its ticks; the shared context carries no clock. One timer
// per interval, shared by every component that asked for it.
//
// In a replay every countdown and "ago" counts from the moment shown: the page provides that
// moment through ReplayClock and useNow returns it instead of the wall clock (useWallNow never does).
import { createContext, useContext, useSyncExternalStore } from 'react';

/** The replayed moment (UTC ms) while a replay shows one, else null. */
export const ReplayClock = createContext<number | null>(null);

interface Ticker {
  value: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | 0;
}
const tickers = new Map<number, Ticker>();

function ticker(ms: number): Ticker {
  let t = tickers.get(ms);
  if (!t) {
    t = { value: Date.now(), listeners: new Set(), timer: 0 };
    tickers.set(ms, t);
  }
  return t;
}

function subscribeTo(ms: number, fn: () => void): () => void {
  const t = ticker(ms);
  t.listeners.add(fn);
  if (!t.timer) {
    t.value = Date.now();
    t.timer = setInterval(() => {
      t.value = Date.now();
      for (const f of [...t.listeners]) f();
    }, ms);
  }
  return () => {
    t.listeners.delete(fn);
    if (t.listeners.size === 0 && t.timer) {
      clearInterval(t.timer);
      t.timer = 0;
    }
  };
}

function read(ms: number): number {
  const t = ticker(ms);
  // Nobody listening: the last tick may be long gone; start from the present (stable within a tick).
  if (!t.timer && Date.now() - t.value >= ms) t.value = Date.now();
  return t.value;
}

const subscribers = new Map<number, (fn: () => void) => () => void>();
function subscriberFor(ms: number): (fn: () => void) => () => void {
  let s = subscribers.get(ms);
  if (!s) {
    s = (fn) => subscribeTo(ms, fn);
    subscribers.set(ms, s);
  }
  return s;
}

/** The wall clock, re-read every `ms` (the stale banner: how long since the last message, replay or not). */
export function useWallNow(ms = 1000): number {
  return useSyncExternalStore(subscriberFor(ms), () => read(ms));
}

/** The time to count from: the replayed moment during a replay, else the wall clock every `ms`. */
export function useNow(ms = 1000): number {
  const replayed = useContext(ReplayClock);
  const wall = useWallNow(ms);
  return replayed ?? wall;
}
