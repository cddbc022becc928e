// The realtime hub: a snapshot with its sequence number on connect (or on request), then one
// coalesced delta per tick carrying current values of everything that changed; discrete events
// (new case, alarm, whistle) go out at once, and the delta after them leaves out what they carried.
// Every connection has a scope (district, township or community): it joins that scope's room and
// receives only the cases, whistles, alarms and case KPIs located inside it. Device layers are district-wide for every scope; a cases-only connection
// (a phone) gets none of them (status, positions, drones, the registry), but the river and weather.
import type { Server, Socket } from 'socket.io';
import type { Clock } from '../../core/domain.ts';
import type { CaseState } from '../../core/cases/model.ts';
import type { AlarmState } from '../../core/alarms.ts';
import type { WhistleState } from '../../core/whistle.ts';
import { DISTRICT_CODE } from '../../core/org.ts';
import type { CalendarConfig } from '../../core/cases/calendar.ts';
import {
  encodeDelta, encodeSnapshot,
  type CaseCounts, type ClientToServerEvents, type Delta, type Feed, type Kpis, type KpisChange, type ServerToClientEvents, type Session, type Snapshot,
} from '../../core/protocol.ts';
import { casePatch, type CasePatch } from '../../core/cases/patch.ts';
import { visibleAt, type CaseChange } from '../projections/case-book.ts';
import { placeInScope } from '../../core/org.ts';
import { broadcastInScope } from '../../core/broadcast.ts';
import { requestInScope } from '../projections/broadcast-request-book.ts';
import type { Projector } from '../projections/projector.ts';
import { buildSnapshot } from './snapshot.ts';
import { visibleMoves } from './worker-privacy.ts';
import type { MoveArrays } from '../projections/device-state.ts';
import type { MovingKind } from '../../core/domain.ts';

/** Per connection: its session, and the account it signed in as (none for a declared identity). */
export interface SocketData {
  session: Session;
  /** 'cases': no device layers (a phone); 'all' when absent. */
  feed?: Feed;
  accountId?: string;
  /** How many revocations this node had seen when the handshake read the session. */
  revocationsSeen?: number;
}
export type LinkageServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type LinkageSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface HubOptions {
  tickMs: number;
  /** A delta is sent at least this often even when nothing changed, so clients can tell live from stale. */
  heartbeatMs: number;
  /** KPIs go out at most this often (a case change waits for the next round: a burst of reports must not put KPIs in every tick). */
  kpiEveryMs: number;
  /** Positions of moving devices go out at most this often: a walker moves < 1 m in 250 ms, and it bounds bytes per dashboard. */
  moveEveryMs: number;
}

const ROOM = 'scope:';
/** Screens of a scope that follow its cases only (no device layers). */
const CASES_ROOM = 'cases:';
const LOOP_KPI_EVERY_MS = 1000;

export class RealtimeHub {
  private timer: NodeJS.Timeout | null = null;
  /** The projector subscriptions, ended by close(). */
  private readonly unsubscribes: Array<() => void> = [];
  private lastEmittedSeq: number;
  private lastEmitAt = 0;
  private lastMovesAt = 0;
  private lastKpisAt = 0;
  private readonly loopKpiCache = new Map<string, { at: number; loop: Kpis['loop'] }>();
  /** Cases announced by case:reported since the last tick, as announced. */
  private reported = new Map<string, CaseState>();
  /** Alarms and whistles announced by alarm:raised / whistle:blown since the last tick, as announced: the delta leaves out those still in that state. */
  private announced = { alarms: new Map<string, AlarmState>(), whistles: new Map<string, WhistleState>() };
  /** Per scope, each KPI part as last sent to its room (JSON), so a round sends only what changed. */
  private readonly kpisSent = new Map<string, Partial<Record<keyof Kpis, string>>>();

  constructor(
    private readonly io: LinkageServer,
    private readonly projector: Projector,
    private readonly clock: Clock,
    private readonly options: HubOptions,
    private readonly calendar: CalendarConfig,
  ) {
    this.lastEmittedSeq = projector.lastSeq;
    this.unsubscribes.push(
      projector.on('case:reported', (c) => {
        // The next delta sends this case only as what changed after this state.
        this.reported.set(c.id, c);
        this.toScopes((s) => placeInScope(s, c), (rooms) => io.to(rooms).emit('case:reported', c));
      }),
      projector.on('alarm:raised', (a) => {
        this.announced.alarms.set(a.id, a);
        this.toScopes((s) => placeInScope(s, a), (rooms) => io.to(rooms).emit('alarm:raised', a));
      }),
      // Devices are district-wide: a provisioned, moved or retired device reaches every screen with
      // device layers at once, before any delta indexes it; a phone (cases only) draws none.
      projector.on('devices:changed', (list) => {
        const rooms = [...io.of('/').adapter.rooms.keys()].filter((r) => r.startsWith(ROOM));
        if (rooms.length > 0) io.to(rooms).emit('devices:changed', list);
      }),
      // Boundaries an admin's import drew are the district's: every screen redraws them.
      projector.on('boundaries:redrawn', (list) => io.emit('boundaries:redrawn', list)),
      projector.on('whistle:blown', (w) => {
        this.announced.whistles.set(w.id, w);
        this.toScopes((s) => projector.whistleInScope(s, w), (rooms) => io.to(rooms).emit('whistle:blown', w));
      }),
    );
  }

  start(): void {
    if (!this.timer) this.timer = setInterval(() => this.tick(), this.options.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Stops the ticks and lets go of the projector: nothing more is sent. */
  close(): void {
    this.stop();
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  /** Scopes with at least one connected client. */
  activeScopes(): string[] {
    const out = new Set<string>();
    for (const room of this.io.of('/').adapter.rooms.keys()) {
      if (room.startsWith(ROOM)) out.add(room.slice(ROOM.length));
      else if (room.startsWith(CASES_ROOM)) out.add(room.slice(CASES_ROOM.length));
    }
    return [...out];
  }

  /** The rooms of a scope that have members: every screen's, then the cases-only ones'. */
  private roomsOf(scope: string): { all: string | null; cases: string | null } {
    const rooms = this.io.of('/').adapter.rooms;
    return { all: rooms.has(ROOM + scope) ? ROOM + scope : null, cases: rooms.has(CASES_ROOM + scope) ? CASES_ROOM + scope : null };
  }

  private toScopes(match: (scope: string) => boolean, emit: (rooms: string[]) => void): void {
    for (const scope of this.activeScopes()) {
      if (!match(scope)) continue;
      const { all, cases } = this.roomsOf(scope);
      emit([all, cases].filter((r) => r !== null));
    }
  }

  /** Sends the first snapshot and keeps the socket in its scope's room (for its feed). */
  attach(socket: LinkageSocket): void {
    socket.join((socket.data.feed === 'cases' ? CASES_ROOM : ROOM) + socket.data.session.scope);
    this.resend(socket);
  }

  /** Sends the socket a fresh snapshot (chained to the next delta); returns its seq. */
  resend(socket: LinkageSocket): number {
    const snapshot = this.chainedSnapshot(socket.data.session, socket.data.feed ?? 'all');
    socket.emit('snapshot:sent', encodeSnapshot(snapshot));
    return snapshot.seq;
  }

  /**
   * Device counts are kept incrementally; the headline case counts are counted afresh for every
   * round that sends them (a cache of them re-sent older counts after a snapshot had refreshed it
   * between rounds, and 今日上报 lagged the feed); the standard indicators (30 days of cases) are
   * cached per scope for a second.
   */
  private kpis(scope: string, fresh: boolean, counted?: CaseCounts): Kpis {
    const now = this.clock.now();
    let cached = this.loopKpiCache.get(scope);
    if (fresh || !cached || now - cached.at >= LOOP_KPI_EVERY_MS) {
      cached = { at: now, loop: this.projector.cases.loopKpis(scope, now) };
      this.loopKpiCache.set(scope, cached);
    }
    return { devices: this.projector.devices.allCounts(), cases: counted ?? this.projector.cases.counts(scope, now), loop: cached.loop, eventsPerSecond: this.projector.eventsPerSecond() };
  }

  /**
   * A snapshot whose seq is exactly the prevSeq of the next delta: pending changes are flushed as
   * a delta first. Without it, a client joining mid-tick would see the next delta's prevSeq behind
   * its snapshot, take it for a gap and ask for another snapshot, possibly again and again.
   */
  private chainedSnapshot(session: Session, feed: Feed): Snapshot {
    this.tick(true);
    return this.snapshot(session, feed);
  }

  snapshot(session: Session, feed: Feed = 'all'): Snapshot {
    // The new screen has every KPI part as of now; its room's next round sends them all again.
    this.kpisSent.delete(session.scope);
    const snapshot = buildSnapshot(this.projector, session, this.clock.now(), this.calendar, this.kpis(session.scope, true));
    return feed === 'cases' ? withoutDevices(snapshot) : snapshot;
  }

  /** The KPI parts of `scope` that changed since its room's last round; the rate always. */
  private kpisChange(scope: string, counted: CaseCounts | undefined): KpisChange {
    const k = this.kpis(scope, false, counted);
    const sent = this.kpisSent.get(scope) ?? {};
    this.kpisSent.set(scope, sent);
    const out: KpisChange = { eventsPerSecond: k.eventsPerSecond };
    for (const part of ['devices', 'cases', 'loop'] as const) {
      const json = JSON.stringify(k[part]);
      if (sent[part] === json) continue;
      sent[part] = json;
      Object.assign(out, { [part]: k[part] });
    }
    return out;
  }

  /** The moves a screen of `scope` may see: workers outside it are left out. */
  private movesFor(scope: string, moves: Partial<Record<MovingKind, MoveArrays>>): Delta['moves'] {
    const w = moves.worker;
    const mask = this.projector.workerVisibility.maskFor(scope);
    if (!w || !mask) return moves;
    const { worker: _all, ...others } = moves;
    const visible = visibleMoves(w.index, w.lonlat, w.heading, mask);
    return visible ? { ...others, worker: visible } : others;
  }

  /** Builds and broadcasts one delta per active scope if anything changed or the heartbeat is due. Returns the district's (for tests). */
  tick(flush = false): Delta | null {
    const now = this.clock.now();
    const { devices, cases, whistles, alarms } = this.projector;
    const events = this.projector.takeEventCount();
    const heartbeatDue = now - this.lastEmitAt >= this.options.heartbeatMs;
    const behind = this.projector.lastSeq !== this.lastEmittedSeq;
    if (events === 0 && !devices.hasChanges() && !heartbeatDue && !(flush && behind)) return null;
    const changedCases = this.caseForms(cases.takeChanged(), now);
    const announced = this.announced;
    this.announced = { alarms: new Map(), whistles: new Map() };
    const changedWhistles = notAnnounced(whistles.takeChanged(), announced.whistles);
    const changedAlarms = notAnnounced(alarms.takeChanged(), announced.alarms);
    // One rule (projections/paced-changes.ts): discrete changes go now, telemetry at the moves'
    // pace. Device status bytes are discrete, positions telemetry; a drone's view is either.
    const movesDue = now - this.lastMovesAt >= this.options.moveEveryMs;
    const changedDrones = this.projector.drones.takeChanged(movesDue);
    const changedBroadcasts = this.projector.broadcasts.takeChanged();
    const changedRequests = this.projector.broadcastRequests.takeChanged();
    const changedGauges = this.projector.gauges.takeChanged();
    const changedWeather = this.projector.weather.takeChanged();
    const kpisDue = heartbeatDue || now - this.lastKpisAt >= this.options.kpiEveryMs;
    const common = {
      seq: this.projector.lastSeq,
      prevSeq: this.lastEmittedSeq,
      serverTime: now,
      events,
      status: devices.takeStatusDeltas(),
      moves: movesDue ? devices.takeMoveDeltas() : {},
    };
    if (movesDue) this.lastMovesAt = now;
    if (kpisDue) this.lastKpisAt = now;
    this.lastEmittedSeq = common.seq;
    this.lastEmitAt = now;
    let district: Delta | null = null;
    const scopes = this.activeScopes();
    // Every scope's case counts in one pass over the cases.
    const counted = kpisDue ? this.projector.cases.countsByScope(scopes, now) : null;
    for (const scope of scopes) {
      const whole = scope === DISTRICT_CODE; // the district screen sees every change: no filtering
      const scopedCases = whole ? changedCases : changedCases.filter((c) => placeInScope(scope, c.state));
      const patches = scopedCases.flatMap((c) => (c.patch ? [c.patch] : []));
      const delta: Delta = {
        ...common,
        moves: this.movesFor(scope, common.moves),
        cases: scopedCases.flatMap((c) => (c.whole ? [c.state] : [])),
        ...(patches.length > 0 ? { casePatches: patches } : {}),
        whistles: whole ? changedWhistles : changedWhistles.filter((w) => this.projector.whistleInScope(scope, w)),
        alarms: whole ? changedAlarms : changedAlarms.filter((a) => placeInScope(scope, a)),
        ...(counted ? { kpis: this.kpisChange(scope, counted.get(scope)) } : {}),
        // Drones are district devices: every scope sees them.
        ...(changedDrones.length ? { drones: changedDrones } : {}),
        // The river and the weather are the whole district's: every scope sees them.
        ...(changedGauges.length ? { gauges: changedGauges } : {}),
        ...(changedWeather.length ? { weather: changedWeather } : {}),
      };
      const scopedBroadcasts = whole ? changedBroadcasts : changedBroadcasts.filter((b) => broadcastInScope(scope, b));
      if (scopedBroadcasts.length > 0) delta.broadcasts = scopedBroadcasts;
      const scopedRequests = whole ? changedRequests : changedRequests.filter((r) => requestInScope(scope, r));
      if (scopedRequests.length > 0) delta.broadcastRequests = scopedRequests;
      if (whole) district = delta;
      const rooms = this.roomsOf(scope);
      if (rooms.all) this.io.to(rooms.all).emit('delta:sent', encodeDelta(delta));
      if (rooms.cases) {
        const { drones: _drones, ...rest } = delta;
        this.io.to(rooms.cases).emit('delta:sent', encodeDelta({ ...rest, status: {}, moves: {} }));
      }
    }
    return district ?? { ...common, cases: changedCases.map((c) => c.state), whistles: changedWhistles, alarms: changedAlarms, drones: changedDrones };
  }

  /**
   * How each changed case goes out, the same for every scope that sees it: whole when its screens
   * may not hold it (new and not announced by case:reported, or changed after it had left the
   * snapshots' window), else as a patch from the state they hold (none when case:reported already
   * sent the current one).
   */
  private caseForms(changes: CaseChange[], now: number): Array<{ state: CaseState; whole: boolean; patch: CasePatch | null }> {
    const reported = this.reported;
    this.reported = new Map();
    return changes.map(({ state, base }) => {
      const held = base ? (visibleAt(base, now) ? base : null) : (reported.get(state.id) ?? null);
      if (!held) return { state, whole: true, patch: null };
      return { state, whole: false, patch: held.version === state.version ? null : casePatch(held, state) };
    });
  }
}

/**
 * The changed items screens do not already hold: an item still in the state its discrete event
 * announced (the books keep that very object until the next change) is left out of the delta.
 */
function notAnnounced<T extends { id: string }>(changed: T[], announced: ReadonlyMap<string, T>): T[] {
  return announced.size === 0 ? changed : changed.filter((x) => announced.get(x.id) !== x);
}

/**
 * A snapshot without device layers (a cases-only screen): empty status and position arrays, no
 * drones, no device registry. The river's gauges and the weather stay: warnings, a few records.
 */
function withoutDevices(s: Snapshot): Snapshot {
  const status: Snapshot['status'] = { ...s.status };
  for (const k of Object.keys(status) as Array<keyof Snapshot['status']>) status[k] = new Uint8Array(0);
  const none = { lonlat: new Float64Array(0), heading: new Float32Array(0) };
  const { drones: _drones, registry: _registry, ...rest } = s;
  return { ...rest, status, moving: { drone: none, worker: none } };
}
