// How a component reads the live store: a selector over it, through useSyncExternalStore, so the
// component re-renders when what it selected changes and not on every message. The store's
// slices bump version counters (store.version.cases, .whistles, .status[kind]…) when they change;
// a selector returns such a counter, a field the slices replace whole (store.kpis, a case in
// store.cases), or a value computed from them, and React compares it with Object.is.
//
// The notifications come from a hub the page owns: the realtime connection notifies it on every
// snapshot, delta, command answer and connection-state change; the map listens at once, panels at
// most every `throttleMs` (a calm rate on a wall screen, as before).
import { useContext, useRef, useSyncExternalStore } from 'react';
import { LinkageContext } from './context.ts';
import type { LiveStore } from './state/store.ts';

export type Subscribe = (fn: () => void) => () => void;

export interface LiveHub {
  /** Panels: called at most every throttleMs after a change. */
  subscribe: Subscribe;
  /** The map: called on every change. */
  subscribeNow: Subscribe;
  /** What the realtime connection calls after each change. */
  notify(): void;
  /** Stops the pending throttled call. */
  close(): void;
}

export function createHub(throttleMs: number): LiveHub {
  const now = new Set<() => void>();
  const calm = new Set<() => void>();
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  const fire = () => {
    timer = 0;
    last = performance.now();
    for (const f of [...calm]) f();
  };
  const add = (set: Set<() => void>) => (fn: () => void) => {
    set.add(fn);
    return () => void set.delete(fn);
  };
  return {
    subscribe: add(calm),
    subscribeNow: add(now),
    notify() {
      for (const f of [...now]) f();
      if (timer || calm.size === 0) return;
      timer = setTimeout(fire, Math.max(0, throttleMs - (performance.now() - last)));
    },
    close() {
      if (timer) clearTimeout(timer);
      timer = 0;
    },
  };
}

function useLiveSource(): { store: LiveStore; subscribe: Subscribe } {
  const v = useContext(LinkageContext);
  if (!v) throw new Error('useLive outside <LinkageContext.Provider>');
  return v;
}

/**
 * The selected part of the live store; the component re-renders when it changes (Object.is).
 * Select a version counter, a value the slices replace whole, or a primitive computed from them.
 */
export function useLive<T>(select: (s: LiveStore) => T): T {
  const { store, subscribe } = useLiveSource();
  return useSyncExternalStore(subscribe, () => select(store));
}

/**
 * A value derived from the store, recomputed only when `key` changes (a version counter, or an
 * array compared element by element), e.g. the open alarms when store.version.alarms moves.
 * Whatever else `compute` reads (a prop, the scope) belongs in the key too.
 */
export function useLiveMemo<T>(key: (s: LiveStore) => unknown, compute: (s: LiveStore) => T): T {
  const { store, subscribe } = useLiveSource();
  const cache = useRef<{ store: LiveStore; key: unknown; value: T } | null>(null);
  return useSyncExternalStore(subscribe, () => {
    const k = key(store);
    const c = cache.current;
    if (c && c.store === store && sameKey(c.key, k)) return c.value;
    const value = compute(store);
    cache.current = { store, key: k, value };
    return value;
  });
}

function sameKey(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((x, i) => Object.is(x, b[i]));
}

/** Something of the realtime connection (its state, its error), read again when the hub says it changed. */
export function useHubValue<T>(subscribe: Subscribe, read: () => T): T {
  return useSyncExternalStore(subscribe, read);
}
