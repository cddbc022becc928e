// The only module that touches socket.io-client. It feeds the live store and reports the
// connection state: connecting -> connected; reconnecting while the socket is down; stale when
// no message arrived for more than STALE_MS (whatever the socket says).
import { io, type Socket } from 'socket.io-client';
import { decodeDelta, decodeSnapshot, type ClientToServerEvents, type ServerToClientEvents } from '../../../core/protocol.ts';
import { applyAlarm, applyCaseReported, applyDelta, applySnapshot, type LiveStore } from '../state/store.ts';

export const STALE_MS = 3000;

export type ConnState = 'connecting' | 'connected' | 'reconnecting' | 'stale';

export interface RealtimeStats {
  snapshots: number;
  deltas: number;
  gaps: number;
  /** JS time of the last applyDelta, ms. */
  lastApplyMs: number;
  maxApplyMs: number;
}

export interface Realtime {
  state(): ConnState;
  stats: RealtimeStats;
  /** Called after any change to the store (snapshot, delta, case, alarm) and on state changes. */
  subscribe(fn: () => void): () => void;
  close(): void;
}

export function connectRealtime(store: LiveStore, url?: string): Realtime {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url ?? '', {
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
  const listeners = new Set<() => void>();
  const stats: RealtimeStats = { snapshots: 0, deltas: 0, gaps: 0, lastApplyMs: 0, maxApplyMs: 0 };
  let socketUp = false;
  let everConnected = false;
  let resyncPending = false;
  let current: ConnState = 'connecting';

  const notify = () => {
    for (const fn of listeners) fn();
  };
  const compute = (): ConnState => {
    const now = Date.now();
    if (store.lastMessageAt > 0 && now - store.lastMessageAt > STALE_MS) return 'stale';
    if (!socketUp) return everConnected ? 'reconnecting' : store.lastMessageAt > 0 ? 'reconnecting' : 'connecting';
    if (store.seq < 0) return 'connecting';
    return 'connected';
  };
  let lastCheck = Date.now();
  const refresh = () => {
    let next = compute();
    // If this page itself was blocked (a long render), queued socket messages have not run yet:
    // give them one more turn before calling the data stale.
    const now = Date.now();
    const blocked = now - lastCheck > 1500;
    lastCheck = now;
    if (next === 'stale' && current !== 'stale' && blocked) next = current;
    if (next !== current) {
      current = next;
      notify();
    }
  };

  const requestSnapshot = () => {
    if (resyncPending) return;
    resyncPending = true;
    socket.timeout(5000).emit('snapshot:request', (err: unknown) => {
      // On error or timeout allow another request; the snapshot itself clears the flag.
      if (err) resyncPending = false;
    });
  };

  socket.on('connect', () => {
    socketUp = true;
    everConnected = true;
    // The server sends a snapshot on connect; ask anyway if none came within a second.
    window.setTimeout(() => {
      if (socket.connected && store.seq < 0) requestSnapshot();
    }, 1500);
    refresh();
  });
  socket.on('disconnect', (reason) => {
    console.warn(`[realtime] disconnected: ${reason}`);
    socketUp = false;
    resyncPending = false;
    refresh();
  });
  socket.on('snapshot:sent', (wire) => {
    applySnapshot(store, decodeSnapshot(wire));
    resyncPending = false;
    stats.snapshots++;
    refresh();
    notify();
  });
  socket.on('delta:sent', (wire) => {
    if (store.seq < 0 || resyncPending) {
      store.lastMessageAt = Date.now();
      return;
    }
    const t0 = performance.now();
    const d = decodeDelta(wire);
    const r = applyDelta(store, d);
    const dt = performance.now() - t0;
    stats.lastApplyMs = dt;
    if (dt > stats.maxApplyMs) stats.maxApplyMs = dt;
    if (r === 'gap') {
      stats.gaps++;
      requestSnapshot();
      return;
    }
    if (r === 'applied') {
      stats.deltas++;
      refresh();
      notify();
    }
  });
  socket.on('case:reported', (c) => {
    applyCaseReported(store, c);
    notify();
  });
  socket.on('alarm:raised', (a) => {
    applyAlarm(store, a);
    notify();
  });

  const timer = window.setInterval(refresh, 500);
  return {
    state: () => current,
    stats,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    close() {
      window.clearInterval(timer);
      socket.close();
    },
  };
}
