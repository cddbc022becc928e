// Replay (time travel): the district as a dashboard saw it at any moment of the log. Each replaying
// connection has a cursor: its own projector, restored from the nearest checkpoint before the
// moment and fed the log up to the last event committed by then. Playing forward only applies the
// events in between; a jump back restores a checkpoint again. Work is done in pages with a yield
// between them, so a long seek never stalls ingest or the live screens.
import type { CalendarConfig } from '../../core/cases/calendar.ts';
import { ERROR_CODES, encodeSnapshot, type Ack, type ReplayFrame, type ReplayRange, type Session } from '../../core/protocol.ts';
import type { EventStore } from '../store/event-store.ts';
import type { District } from '../district.ts';
import type { DeviceSettings } from '../devices/settings.ts';
import { Projector } from '../projections/projector.ts';
import { SerialQueue } from '../keyed-queue.ts';
import { buildSnapshot, freshKpis } from '../realtime/snapshot.ts';

export interface ReplayOptions {
  /** Cursors held at once (each is a copy of the district's state in memory). */
  maxCursors: number;
  /** A cursor unused this long is dropped. */
  idleMs: number;
  /** Events applied between two yields to the event loop. */
  pageSize: number;
}

export const DEFAULT_REPLAY_OPTIONS: ReplayOptions = { maxCursors: 8, idleMs: 10 * 60_000, pageSize: 5000 };

/** Restoring a checkpoint beats applying more than this many events forward. */
const RESTORE_RATHER_THAN = 50_000;
const RATE_WINDOW_S = 10;

interface Cursor {
  projector: Projector;
  /** The moment shown; the projector's clock reads it. */
  at: number;
  usedAt: number;
  /** Bumped by every seek: a seek overtaken by a newer one stops at its next page. */
  generation: number;
  /** Its seeks, one after the other. */
  seeks: SerialQueue;
}

const fail = (code: (typeof ERROR_CODES)[keyof typeof ERROR_CODES], message: string) => ({ ok: false as const, code, message });
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ReplayService {
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly store: EventStore,
    private readonly district: District,
    private readonly settings: DeviceSettings,
    private readonly calendar: CalendarConfig,
    private readonly now: () => number,
    private readonly options: ReplayOptions = DEFAULT_REPLAY_OPTIONS,
  ) {}

  range(): Promise<ReplayRange | null> {
    return this.store.recordedRange();
  }

  /** Connections replaying now. */
  get active(): number {
    return this.cursors.size;
  }

  /** The snapshot `session` would have been sent at `at`, for the connection `key`. */
  async seek(key: string, session: Session, at: unknown): Promise<Ack<ReplayFrame>> {
    if (typeof at !== 'number' || !Number.isInteger(at)) return fail(ERROR_CODES.badRequest, '/at must be an integer (UTC ms)');
    const range = await this.range();
    if (!range) return fail(ERROR_CODES.badRequest, 'the log is empty: nothing to replay');
    if (at < range.first) return fail(ERROR_CODES.badRequest, `/at is before the log begins (${new Date(range.first).toISOString()})`);
    if (at > this.now()) return fail(ERROR_CODES.badRequest, '/at is in the future');
    let cursor = this.cursors.get(key);
    if (!cursor) {
      this.sweep();
      if (this.cursors.size >= this.options.maxCursors) {
        return fail(ERROR_CODES.replayBusy, `${this.cursors.size} screens are replaying already (at most ${this.options.maxCursors}); try again when one returns to live`);
      }
      cursor = { projector: this.newProjector(() => cursor!.at), at, usedAt: this.now(), generation: 0, seeks: new SerialQueue() };
      this.cursors.set(key, cursor);
    }
    const c = cursor;
    const generation = ++c.generation;
    return c.seeks.run(() => this.run(c, session, at, generation));
  }

  stop(key: string): void {
    this.cursors.delete(key);
  }

  /** Drops cursors idle longer than idleMs. */
  sweep(): void {
    const now = this.now();
    for (const [key, c] of this.cursors) if (now - c.usedAt > this.options.idleMs) this.cursors.delete(key);
  }

  private newProjector(clock: () => number): Projector {
    // A past moment's projector leaves the live geography (imported boundaries) alone.
    return new Projector(this.district, { now: clock }, this.settings, false);
  }

  private async run(c: Cursor, session: Session, at: number, generation: number): Promise<Ack<ReplayFrame>> {
    const overtaken = () => fail(ERROR_CODES.badRequest, 'overtaken by a later seek of the same screen');
    if (generation !== c.generation) return overtaken();
    c.usedAt = this.now();
    c.at = at;
    const target = await this.store.seqAt(at);
    const from = c.projector.lastSeq;
    const checkpoint = await this.store.checkpointAtOrBefore(target);
    if (from > target || (checkpoint && checkpoint.seq > from + RESTORE_RATHER_THAN)) c.projector = await this.restoredFrom(checkpoint, () => c.at);
    while (c.projector.lastSeq < target) {
      const page = await this.store.readAfter(c.projector.lastSeq, Math.min(this.options.pageSize, target - c.projector.lastSeq));
      if (page.length === 0) break;
      const upTo = page[page.length - 1].seq > target ? page.filter((e) => e.seq <= target) : page;
      c.projector.apply(upTo, false);
      if (upTo.length < page.length) break;
      await nextTurn();
      // The state stays valid (the log up to some seq): the newer seek continues from here.
      if (generation !== c.generation) return overtaken();
    }
    this.drainChanges(c.projector);
    const second = Math.floor(at / 1000) * 1000;
    const eventsPerSecond = Math.round((await this.store.countRecorded(second - RATE_WINDOW_S * 1000, second)) / RATE_WINDOW_S);
    const snapshot = buildSnapshot(c.projector, session, at, this.calendar, freshKpis(c.projector, session.scope, at, eventsPerSecond));
    c.usedAt = this.now();
    return { ok: true, data: { at, seq: c.projector.lastSeq, snapshot: encodeSnapshot(snapshot) } };
  }

  /** A projector at `checkpoint`, or the newest usable one before it (empty if none is usable). */
  private async restoredFrom(first: { seq: number; body: string } | null, clock: () => number): Promise<Projector> {
    let checkpoint = first;
    while (checkpoint) {
      const p = this.newProjector(clock);
      try {
        if (p.restore(checkpoint.body)) return p;
      } catch {
        // An unreadable checkpoint: try the one before.
      }
      checkpoint = checkpoint.seq > 0 ? await this.store.checkpointAtOrBefore(checkpoint.seq - 1) : null;
    }
    return this.newProjector(clock);
  }

  /** Replay sends snapshots, never deltas: the change sets a projector collects are dropped. */
  private drainChanges(p: Projector): void {
    p.devices.takeStatusDeltas();
    p.devices.takeMoveDeltas();
    p.cases.takeChanged();
    p.whistles.takeChanged();
    p.alarms.takeChanged();
    p.drones.takeChanged();
    p.broadcasts.takeChanged();
    p.broadcastRequests.takeChanged();
    p.takeEventCount();
  }
}
