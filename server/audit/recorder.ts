// Feeds the audit log: the audited events of every commit (in event order, one transaction per
// commit) and direct records (sign-ins, exports, configuration changes). The event log stays the
// truth: a cursor says how far it has been audited, so entries an audit write failed on, or a crash
// or shutdown cut off, are caught up from the event log instead of being lost. In a cluster every
// node sees every commit, but only the leader turns events into entries; a node that takes the lead
// continues from the cursor in the shared database. Direct records are appended from any node.
import { draftProblem, type AuditActor, type AuditDraft, type AuditEntry } from '../../core/audit.ts';
import type { Clock } from '../../core/domain.ts';
import type { EventStore, StoredEvent } from '../store/event-store.ts';
import type { AuditLog } from './audit-log.ts';

/** What `app.audit.record()` takes: an action that is not an event in the log. */
export interface AuditRecord {
  /** `<context>:<verb>`: 'auth:login', 'auth:login-failed', 'auth:logout', 'account:create', 'config:change', 'export:handover'... */
  action: string;
  /** The person acting (their ActorRef), or null for the system itself. */
  actor: AuditActor | null;
  /** Admin code the action concerns (the actor's org for a sign-in, the district 340803 for settings). */
  scope: string;
  /** The entity acted on: account id, setting name, exported shift... */
  subject: string;
  before?: unknown;
  after?: unknown;
  /** Default: now. */
  at?: number;
}

interface Logger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const PAGE = 5000;

export class AuditRecorder {
  /** Every event up to here has its audit entries stored. */
  private through = 0;
  /**
   * Commits are left to catchUp(), which reads them from the event log in order: before the first
   * catch-up, after a failed audit write or a missed commit, and while this node does not lead.
   */
  private behind = true;
  /** Event writes and catch-ups, one after the other: the chain stays in event order. */
  private tail: Promise<unknown> = Promise.resolve();
  private catching: Promise<number> | null = null;
  private closed = false;

  constructor(
    readonly log: AuditLog,
    private readonly store: EventStore,
    private readonly derive: (e: StoredEvent) => AuditDraft | null,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Whether this node writes the event-derived entries (the leader; always, for one process). */
    private readonly leading: () => boolean = () => true,
  ) {}

  /** For store.onCommit: audits the committed events. Never throws (the events are committed either way). */
  onCommit(events: StoredEvent[]): void {
    // After close (the store flushes its queue after this recorder closed): caught up at the next start.
    if (this.closed || events.length === 0) return;
    if (!this.leading()) {
      this.behind = true;
      return;
    }
    if (this.behind) return;
    this.tail = this.tail.then(async () => {
      if (this.behind || this.closed) return;
      // Seqs have no gaps: a commit this recorder did not see is read from the log, not skipped.
      if (events[0].seq > this.through + 1) {
        this.catchUp().catch((err: unknown) => this.logger.error({ err }, 'audit catch-up failed'));
      } else if (!(await this.take(events))) this.behind = true;
    });
  }

  /** Audits the events the cursor has not reached, from the event log (the leader only); resolves with how many events were read. */
  catchUp(): Promise<number> {
    if (this.catching) return this.catching;
    // Commits that arrive meanwhile wait for the read: the audit chain stays in log order.
    this.behind = true;
    const run = this.tail.then(() => this.readBehind());
    this.tail = run.catch(() => undefined);
    this.catching = run.finally(() => {
      this.catching = null;
    });
    return this.catching;
  }

  /** Resolves once the event writes queued so far are done (a read of the log then sees them). */
  async idle(): Promise<void> {
    await this.tail;
  }

  private async readBehind(): Promise<number> {
    if (this.closed || !this.leading()) return 0;
    // The shared cursor: another node may have led since this one last wrote.
    const cursor = await this.log.eventsThrough();
    if (cursor === null) {
      // First start on an existing event log: auditing begins now (back-filling years of log would stall the start).
      this.through = this.store.lastSeq();
      await this.log.setEventsThrough(this.through);
    } else this.through = Math.max(this.through, cursor);
    let read = 0;
    for (;;) {
      // Taken before the read: every event up to it is committed, so the read sees it.
      const seen = this.store.lastSeq();
      // Telemetry is never audited: only operational events are read (a restart after a crash
      // must not parse every reading since the last cursor save).
      const page = await this.store.readOperationsAfter(this.through, PAGE);
      if (this.closed || !this.leading()) return read;
      if (page.length === 0) {
        this.through = Math.max(this.through, seen);
        break;
      }
      if (!(await this.take(page))) return read;
      read += page.length;
    }
    this.behind = false;
    return read;
  }

  private async take(all: StoredEvent[]): Promise<boolean> {
    // A catch-up may have read these already.
    const events = all.filter((e) => e.seq > this.through);
    if (events.length === 0) return true;
    const drafts: AuditDraft[] = [];
    for (const e of events) {
      // An event this cannot read (a legacy shape, a bug) must not hold back the rest of the log behind it.
      let d: AuditDraft | null;
      try {
        d = this.derive(e);
      } catch (err) {
        this.logger.warn({ err, seq: e.seq, type: e.type }, 'event not audited');
        continue;
      }
      if (!d) continue;
      const problem = draftProblem(d);
      if (problem) this.logger.warn({ seq: e.seq, type: e.type, problem }, 'event not audited');
      else drafts.push(d);
    }
    const last = events[events.length - 1].seq;
    try {
      if (drafts.length > 0) await this.log.append(drafts, last);
      this.through = last;
      return true;
    } catch (err) {
      this.logger.error({ err, fromSeq: events[0].seq }, 'audit write failed: retried from the event log');
      return false;
    }
  }

  /** Stores an action that is not an event (sign-in, export, configuration change), on any node; rejects if it cannot be stored or is malformed. */
  async record(r: AuditRecord): Promise<AuditEntry> {
    const { at, ...rest } = r;
    return (await this.log.append([{ ...rest, at: at ?? this.clock.now(), eventSeq: null }]))[0];
  }

  /** Saves the cursor (periodically and on close: between audited events it is not written with every commit); the leader's only. */
  async saveCursor(): Promise<void> {
    if (!this.closed && this.leading() && !this.behind) await this.log.setEventsThrough(this.through);
  }

  async close(): Promise<void> {
    await this.tail;
    await this.saveCursor().catch((err: unknown) => this.logger.error({ err }, 'audit cursor not saved'));
    this.closed = true;
    await this.log.close();
  }
}
