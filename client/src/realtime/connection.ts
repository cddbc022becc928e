// The only module that touches socket.io-client. It feeds the live store, reports the connection
// state (connecting -> connected; reconnecting while the socket is down; stale when no message
// arrived for more than STALE_MS, whatever the socket says) and carries the operator's commands.
// The handshake says who the dashboard acts as; changing it reconnects and resyncs from a snapshot.
import { io, type Socket } from 'socket.io-client';
import {
  ERROR_CODES,
  decodeDelta,
  decodeSnapshot,
  type Ack,
  type CaseCommandPayload,
  type CaseDetail,
  type ClientToServerEvents,
  type HandshakeAuth,
  type OperatorCaseCommand,
  type ReplayRange,
  type ServerToClientEvents,
  type WhistleBlowPayload,
} from '../../../core/protocol.ts';
import type { CaseState } from '../../../core/cases/model.ts';
import type { WhistleState } from '../../../core/whistle.ts';
import type { AlarmState } from '../../../core/alarms.ts';
import type { DispatchRequest, DroneView, MissionState, RecallRequest } from '../../../core/drones.ts';
import { upsertDrones } from '../drones/state.ts';
import type { BroadcastSend, BroadcastSummary } from '../../../core/broadcast.ts';
import { mergeBroadcasts, mergeRequests } from '../state/broadcasts.ts';
import type { BroadcastRequestView } from '../../../core/broadcast-approval.ts';
import { ApplyCost, deltaChanges } from './applyCost.ts';
import { applyAlarm, applyBoundariesRedrawn, applyCase, applyCaseReported, applyDelta, applyDevicesChanged, applyResourcesChanged, applySnapshot, applyWhistle, resetRate, resetStore, type LiveStore } from '../state/store.ts';
import type { Boundary } from '../../../core/boundaries.ts';

export const STALE_MS = 3000;
/** How long a command waits for the server's answer before the operator is told it timed out. */
export const COMMAND_TIMEOUT_MS = 10_000;

type ReportPayload = Parameters<ClientToServerEvents['case:report']>[0];

type Events = ClientToServerEvents;
/** The commands a dashboard sends, as socket.timeout() types them (each ack gains a leading timeout error). */
type TimedEvents = ReturnType<Socket<ServerToClientEvents, Events>['timeout']> extends Socket<ServerToClientEvents, infer E> ? E : never;
/** All but the last element of a tuple: a command's arguments without its ack (socket.io-client's own definition, which it does not export). */
type AllButLast<T extends any[]> = T extends [...infer H, infer _L] ? H : any[];
/** What a command sends: its payload, or nothing for the commands that take only an ack. */
export type RequestArgs<K extends keyof Events> = AllButLast<Parameters<TimedEvents[K]>>;
/** What the server answers a command with (core/protocol.ts ClientToServerEvents: the ack's argument). */
export type Answer<K extends keyof Events> = Ack<AnswerData<K>>;
type AnswerData<K extends keyof Events> = Parameters<Events[K]> extends [...unknown[], (r: Ack<infer T>) => void] ? T : never;
/** Answered in the replayed picture too: reads, and the replay's own commands. */
const REPLAY_SAFE = new Set<keyof Events>(['case:detail', 'replay:seek', 'replay:range', 'replay:stop']);

/** A case command as a form builds it: the case, the version the operator saw, and the fields the command's type asks for. */
export type CaseCommandDraft = { caseId: string; expectedVersion?: number } & Record<string, unknown>;

export type ConnState = 'connecting' | 'connected' | 'reconnecting' | 'stale';

export interface RealtimeStats {
  /** Times the server closed this connection (a session ended, say): the page checks who it is again. */
  closedByServer: number;
  snapshots: number;
  deltas: number;
  gaps: number;
  /** JS time of the last applyDelta, ms. */
  lastApplyMs: number;
  maxApplyMs: number;
  /** Recent deltas' changes and decode + apply ms, and snapshots' ms (the bench reads them). */
  cost: ApplyCost;
}

export interface Realtime {
  state(): ConnState;
  stats: RealtimeStats;
  /** Called after any change to the store (snapshot, delta, case, alarm) and on state changes. */
  subscribe(fn: () => void): () => void;
  /** A case command; the returned case is applied to the store at once (the delta follows). */
  command<K extends OperatorCaseCommand>(type: K, payload: CaseCommandPayload<K>): Promise<Ack<CaseState>>;
  /** A case command a form built: its fields are the server's to check (a wrong or missing one comes back INVALID_COMMAND, named). */
  command(type: OperatorCaseCommand, payload: CaseCommandDraft): Promise<Ack<CaseState>>;
  report(r: ReportPayload): Promise<Ack<CaseState>>;
  /** A case changed by an HTTP call (an attachment upload): applied to the store at once (the delta follows). */
  applied(c: CaseState): void;
  detail(caseId: string): Promise<Ack<CaseDetail>>;
  blowWhistle(p: WhistleBlowPayload): Promise<Ack<WhistleState>>;
  reportIn(p: { whistleId: string; note?: string }): Promise<Ack<WhistleState>>;
  closeWhistle(p: { whistleId: string; ratings: Record<string, number>; force?: boolean; note?: string }): Promise<Ack<WhistleState>>;
  alarm(action: 'acknowledge' | 'clear', p: { alarmId: string; note?: string }): Promise<Ack<AlarmState>>;
  /** Sends a drone (the mission shows on the drone with the next delta). */
  dispatchDrone(p: DispatchRequest): Promise<Ack<MissionState>>;
  recallDrone(p: RecallRequest): Promise<Ack<DroneView>>;
  /** Sends an emergency broadcast; its summary is applied to the store at once (progress follows in deltas). */
  sendBroadcast(p: BroadcastSend): Promise<Ack<BroadcastSummary>>;
  /** Asks a duty leader to approve a 紧急/特急 broadcast; the pending request is applied at once. */
  requestBroadcast(p: BroadcastSend): Promise<Ack<BroadcastRequestView>>;
  /** A duty leader approves a request: the sent broadcast is applied at once (the request's new status follows in a delta). */
  approveBroadcast(broadcastId: string): Promise<Ack<BroadcastSummary>>;
  rejectBroadcast(broadcastId: string, reason: string): Promise<Ack<BroadcastRequestView>>;
  /** Replay: the moment shown (UTC ms), or null when the screen is live. */
  replayAt(): number | null;
  /** The span of the log a replay can show. */
  replayRange(): Promise<Ack<ReplayRange>>;
  /**
   * Shows the district as it was at `at`: the store is replaced by that moment's snapshot, and live
   * changes are set aside (commands are refused) until live().
   */
  seek(at: number): Promise<Ack<{ at: number; seq: number }>>;
  /** Back to live: the server drops the replay and a fresh snapshot replaces the replayed picture. */
  live(): void;
  /** Why the server refused the last connection attempt (a malformed identity, say), or null. */
  error(): string | null;
  /** Acts as someone else / shows another area: reconnects with the new handshake and starts over from a snapshot. */
  setIdentity(auth: HandshakeAuth): void;
  close(): void;
}

export function connectRealtime(store: LiveStore, auth: HandshakeAuth = {}, url?: string): Realtime {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url ?? '', {
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
    auth: { ...auth },
  });
  const listeners = new Set<() => void>();
  const stats: RealtimeStats = { closedByServer: 0, snapshots: 0, deltas: 0, gaps: 0, lastApplyMs: 0, maxApplyMs: 0, cost: new ApplyCost() };
  let socketUp = false;
  let everConnected = false;
  let resyncPending = false;
  let current: ConnState = 'connecting';
  let refused: string | null = null;
  /** The replayed moment, or null when live. While set, live deltas and events only keep the connection fresh. */
  let replayAt: number | null = null;
  /** Bumped by live(): a seek answered after it is dropped. */
  let liveEpoch = 0;

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

  // The boundaries drawn since the dataset: asked on every snapshot (a reconnect may have missed a broadcast).
  const fetchDrawnBoundaries = () => {
    fetch('/api/boundaries', { credentials: 'same-origin' })
      .then((r) => (r.ok ? (r.json() as Promise<{ ok: boolean; data?: Boundary[] }>) : null))
      .then((body) => {
        if (!body?.data) return;
        const before = store.version.boundaries;
        applyBoundariesRedrawn(store, body.data);
        if (store.version.boundaries !== before) notify();
      })
      .catch(() => undefined);
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
    refused = null;
    everConnected = true;
    // The server sends a snapshot on connect; ask anyway if none came within a second.
    window.setTimeout(() => {
      if (socket.connected && store.seq < 0) requestSnapshot();
    }, 1500);
    refresh();
  });
  socket.on('connect_error', (e) => {
    refused = e.message;
    notify();
  });
  socket.on('disconnect', (reason) => {
    console.warn(`[realtime] disconnected: ${reason}`);
    socketUp = false;
    resyncPending = false;
    // The server closed this connection (a session ended, say): socket.io does not retry that by
    // itself. Try again; if the session is gone, connect_error says so and the page signs in again.
    if (reason === 'io server disconnect') {
      stats.closedByServer++;
      window.setTimeout(() => socket.connect(), 1000);
      notify();
    }
    refresh();
  });
  socket.on('snapshot:sent', (wire) => {
    if (replayAt !== null) {
      store.lastMessageAt = Date.now();
      return;
    }
    const t0 = performance.now();
    applySnapshot(store, decodeSnapshot(wire));
    stats.cost.snapshot(performance.now() - t0);
    resyncPending = false;
    fetchDrawnBoundaries();
    stats.snapshots++;
    refresh();
    notify();
  });
  socket.on('delta:sent', (wire) => {
    if (store.seq < 0 || resyncPending || replayAt !== null) {
      store.lastMessageAt = Date.now();
      return;
    }
    const t0 = performance.now();
    const d = decodeDelta(wire);
    const r = applyDelta(store, d);
    const dt = performance.now() - t0;
    stats.lastApplyMs = dt;
    if (dt > stats.maxApplyMs) stats.maxApplyMs = dt;
    if (r === 'gap' || r === 'resync') {
      stats.gaps++;
      requestSnapshot();
      return;
    }
    if (r === 'applied') {
      stats.cost.delta(deltaChanges(d), dt);
      stats.deltas++;
      refresh();
      notify();
    }
  });
  // Live news does not belong in a replayed picture (it comes again in the snapshot on return to live).
  socket.on('case:reported', (c) => {
    if (replayAt !== null) return;
    applyCaseReported(store, c);
    notify();
  });
  socket.on('alarm:raised', (a) => {
    if (replayAt !== null) return;
    applyAlarm(store, a);
    notify();
  });
  // A device provisioned, moved or retired: the layers change before any delta indexes it.
  socket.on('devices:changed', (list) => {
    if (replayAt !== null) return;
    applyDevicesChanged(store, list);
    notify();
  });
  // Boundaries an admin's import drew: every screen redraws them (district-wide, also during replay).
  socket.on('boundaries:redrawn', (list) => {
    applyBoundariesRedrawn(store, list);
    notify();
  });
  // Resources an admin's import changed: live and replayed lists held before it are asked again.
  socket.on('resources:changed', () => {
    applyResourcesChanged(store);
    notify();
  });
  socket.on('whistle:blown', (w) => {
    if (replayAt !== null) return;
    applyWhistle(store, w);
    notify();
  });

  /**
   * Sends a command and waits for its answer, typed by the event (core/protocol.ts
   * ClientToServerEvents). Never rejects: no connection, a replayed picture, a timeout or a
   * malformed answer come back as a coded Ack the UI shows verbatim.
   */
  async function request<K extends keyof Events>(event: K, ...args: RequestArgs<K>): Promise<Answer<K>> {
    if (replayAt !== null && !REPLAY_SAFE.has(event)) return { ok: false, code: ERROR_CODES.replaying, message: 'this screen shows a replay: return to live to act' };
    if (!socket.connected) return { ok: false, code: ERROR_CODES.unavailable, message: 'not connected to the server' };
    // The answer's type is the event's ack (Answer<K>); socket.io-client types it loosely once timeout() decorates the acks.
    let r;
    try {
      r = await socket.timeout(COMMAND_TIMEOUT_MS).emitWithAck(event, ...args);
    } catch {
      return { ok: false, code: ERROR_CODES.unavailable, message: `no answer from the server within ${COMMAND_TIMEOUT_MS / 1000} s` };
    }
    if (!r || typeof r !== 'object') return { ok: false, code: ERROR_CODES.badRequest, message: `unexpected answer: ${JSON.stringify(r)}` };
    return r;
  }
  /** A case command, sent as the event of its type; the server checks the fields against that command's schema. */
  const caseCommand = (type: OperatorCaseCommand, payload: CaseCommandDraft) => request(`case:${type}`, payload);
  const withApplied = async <T>(p: Promise<Ack<T>>, apply: (x: T) => void): Promise<Ack<T>> => {
    const r = await p;
    if (r.ok) {
      apply(r.data);
      notify();
    }
    return r;
  };

  const timer = window.setInterval(refresh, 500);
  return {
    state: () => current,
    error: () => refused,
    stats,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    command: (type: OperatorCaseCommand, payload: CaseCommandDraft) => withApplied(caseCommand(type, payload), (c) => applyCase(store, c)),
    report: (r) => withApplied(request('case:report', r), (c) => applyCase(store, c)),
    detail: (caseId) => request('case:detail', { caseId }),
    applied(c) {
      applyCase(store, c);
      notify();
    },
    blowWhistle: (p) => withApplied(request('whistle:blow', p), (w) => applyWhistle(store, w)),
    reportIn: (p) => withApplied(request('whistle:report-in', p), (w) => applyWhistle(store, w)),
    closeWhistle: (p) => withApplied(request('whistle:close', p), (w) => applyWhistle(store, w)),
    alarm: (action, p) => withApplied(request(`alarm:${action}`, p), (a) => applyAlarm(store, a)),
    dispatchDrone: (p) => request('drone:dispatch', p),
    recallDrone: (p) => withApplied(request('drone:recall', p), (v) => upsertDrones(store, [v])),
    sendBroadcast: (p) => withApplied(request('broadcast:send', p), (b) => mergeBroadcasts(store, [b])),
    requestBroadcast: (p) => withApplied(request('broadcast:request', p), (r) => mergeRequests(store, [r])),
    approveBroadcast: (broadcastId) => withApplied(request('broadcast:approve', { broadcastId }), (b) => mergeBroadcasts(store, [b])),
    rejectBroadcast: (broadcastId, reason) => withApplied(request('broadcast:reject', { broadcastId, reason }), (r) => mergeRequests(store, [r])),
    replayAt: () => replayAt,
    replayRange: () => request('replay:range'),
    async seek(at) {
      const epoch = liveEpoch;
      const r = await request('replay:seek', { at });
      if (!r.ok) return r;
      // live() came while the answer was on its way: the live picture stays.
      if (epoch !== liveEpoch) return { ok: false, code: ERROR_CODES.badRequest, message: 'back to live before the replay answered' };
      if (replayAt === null) resetRate(store);
      replayAt = r.data.at;
      applySnapshot(store, decodeSnapshot(r.data.snapshot));
      notify();
      return { ok: true, data: { at: r.data.at, seq: r.data.seq } };
    },
    live() {
      liveEpoch++;
      if (replayAt === null) return;
      replayAt = null;
      resetRate(store);
      socket.emit('replay:stop', () => {});
      resyncPending = false;
      requestSnapshot();
      notify();
    },
    setIdentity(next) {
      // Someone else, same feed (a phone stays cases-only).
      socket.auth = { ...(auth.feed ? { feed: auth.feed } : {}), ...next };
      resetStore(store, next.scope ?? '340803');
      resyncPending = false;
      // The server reads the handshake once per connection: reconnect to be someone else.
      socket.disconnect();
      socket.connect();
      notify();
    },
    close() {
      window.clearInterval(timer);
      socket.close();
    },
  };
}
