// The realtime hub: a snapshot with its sequence number on connect (or on request), then one
// coalesced delta per tick carrying current values of everything that changed; discrete events
// (new case, video alarm) go out at once.
import type { Server, Socket } from 'socket.io';
import { DEVICE_KINDS, MOVING_KINDS, type Clock, type DeviceKind, type MovingKind } from '../../core/domain.ts';
import { encodeDelta, encodeSnapshot, PROTOCOL_VERSION, type ClientToServerEvents, type Delta, type Kpis, type MovingState, type ServerToClientEvents, type Snapshot } from '../../core/protocol.ts';
import type { Projector } from '../projections/projector.ts';

export type LinkageServer = Server<ClientToServerEvents, ServerToClientEvents>;
type LinkageSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface HubOptions {
  tickMs: number;
  /** A delta is sent at least this often even when nothing changed, so clients can tell live from stale. */
  heartbeatMs: number;
  /** KPIs go out at most this often (and whenever a case changed); case counts scan every case. */
  kpiEveryMs: number;
  /** Positions of moving devices go out at most this often: a walker moves < 1 m in 250 ms, and it bounds bytes per dashboard. */
  moveEveryMs: number;
}

export class RealtimeHub {
  private timer: NodeJS.Timeout | null = null;
  private lastEmittedSeq: number;
  private lastEmitAt = 0;
  private lastMovesAt = 0;
  private lastKpisAt = 0;
  private caseCountCache: { at: number; counts: Kpis['cases'] } | null = null;

  constructor(
    private readonly io: LinkageServer,
    private readonly projector: Projector,
    private readonly clock: Clock,
    private readonly options: HubOptions,
  ) {
    this.lastEmittedSeq = projector.lastSeq;
    projector.discrete = {
      caseReported: (id) => {
        const c = projector.cases.get(id);
        if (c) io.emit('case:reported', c);
      },
      videoDetected: (seq, event) => {
        const cameraIndex = projector.devices.indexOf('camera', event.cameraId) ?? -1;
        io.emit('alarm:raised', { seq, event, cameraIndex });
      },
    };
    io.on('connection', (socket) => this.onConnection(socket));
  }

  start(): void {
    if (!this.timer) this.timer = setInterval(() => this.tick(), this.options.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private onConnection(socket: LinkageSocket): void {
    socket.emit('snapshot:sent', encodeSnapshot(this.chainedSnapshot()));
    socket.on('snapshot:request', (ack) => {
      const snapshot = this.chainedSnapshot();
      socket.emit('snapshot:sent', encodeSnapshot(snapshot));
      if (typeof ack === 'function') ack({ ok: true, data: { seq: snapshot.seq } });
    });
  }

  /** Device counts are kept incrementally; case counts scan the cases, so they are cached briefly. */
  private kpis(casesChanged: boolean): Kpis {
    const now = this.clock.now();
    if (casesChanged || !this.caseCountCache || now - this.caseCountCache.at >= this.options.kpiEveryMs) {
      this.caseCountCache = { at: now, counts: this.projector.cases.counts(now) };
    }
    return { devices: this.projector.devices.allCounts(), cases: this.caseCountCache.counts, eventsPerSecond: this.projector.eventsPerSecond() };
  }

  /**
   * A snapshot whose seq is exactly the prevSeq of the next delta: pending changes are flushed as
   * a delta first. Without it, a client joining mid-tick would see the next delta's prevSeq behind
   * its snapshot, take it for a gap and ask for another snapshot, possibly again and again.
   */
  private chainedSnapshot(): Snapshot {
    this.tick(true);
    return this.snapshot();
  }

  snapshot(): Snapshot {
    const { devices, cases } = this.projector;
    const now = this.clock.now();
    const status = Object.fromEntries(DEVICE_KINDS.map((k) => [k, devices.status[k].slice()])) as Record<DeviceKind, Uint8Array>;
    const moving = Object.fromEntries(
      MOVING_KINDS.map((k) => [k, { lonlat: devices.lonlat[k].slice(), heading: devices.heading[k].slice() }]),
    ) as unknown as Record<MovingKind, MovingState>;
    return { protocol: PROTOCOL_VERSION, seq: this.projector.lastSeq, serverTime: now, status, moving, cases: cases.visible(now), kpis: this.kpis(true) };
  }

  /** Builds and broadcasts one delta if anything changed or the heartbeat is due. Returns it for tests. */
  tick(flush = false): Delta | null {
    const now = this.clock.now();
    const { devices, cases } = this.projector;
    const events = this.projector.takeEventCount();
    const heartbeatDue = now - this.lastEmitAt >= this.options.heartbeatMs;
    const behind = this.projector.lastSeq !== this.lastEmittedSeq;
    if (events === 0 && !devices.hasChanges() && !heartbeatDue && !(flush && behind)) return null;
    const changedCases = cases.takeChanged();
    const movesDue = now - this.lastMovesAt >= this.options.moveEveryMs;
    const kpisDue = changedCases.length > 0 || heartbeatDue || now - this.lastKpisAt >= this.options.kpiEveryMs;
    const delta: Delta = {
      seq: this.projector.lastSeq,
      prevSeq: this.lastEmittedSeq,
      serverTime: now,
      events,
      status: devices.takeStatusDeltas(),
      moves: movesDue ? devices.takeMoveDeltas() : {},
      cases: changedCases,
      ...(kpisDue ? { kpis: this.kpis(changedCases.length > 0) } : {}),
    };
    if (movesDue) this.lastMovesAt = now;
    if (kpisDue) this.lastKpisAt = now;
    this.lastEmittedSeq = delta.seq;
    this.lastEmitAt = now;
    this.io.emit('delta:sent', encodeDelta(delta));
    return delta;
  }
}
