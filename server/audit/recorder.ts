// Feeds the audit log: the audited events of every commit (in event order, one transaction per
// commit) and direct records (sign-ins, exports, configuration changes). The event log stays the
// truth: a cursor says how far it has been audited, so entries an audit write failed on, or a crash
// or shutdown cut off, are caught up from the event log instead of being lost.
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
  private through: number;
  /** An audit write failed: later commits wait for catchUp() to read them from the event log, in order. */
  private behind = false;
  private catching: Promise<number> | null = null;
  private closed = false;

  constructor(
    readonly log: AuditLog,
    private readonly store: EventStore,
    private readonly derive: (e: StoredEvent) => AuditDraft | null,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    const cursor = log.eventsThrough();
    // First start on an existing event log: auditing begins now (back-filling years of log would stall the start).
    this.through = cursor ?? store.lastSeq();
    if (cursor === null) log.setEventsThrough(this.through);
  }

  /** For store.onCommit: audits the committed events. Never throws (the events are committed either way). */
  onCommit(events: StoredEvent[]): void {
    // After close (the store flushes its queue after this recorder closed): caught up at the next start.
    if (this.behind || this.closed || events.length === 0) return;
    if (!this.take(events)) this.behind = true;
  }

  /** Audits the events the cursor has not reached, from the event log; resolves with how many events were read. */
  catchUp(): Promise<number> {
    this.catching ??= this.readBehind().finally(() => {
      this.catching = null;
    });
    return this.catching;
  }

  private async readBehind(): Promise<number> {
    if (this.closed) return 0;
    // Commits that arrive while the log is read wait for the read: the audit chain stays in log order.
    this.behind = true;
    let read = 0;
    for (;;) {
      // Telemetry is never audited: only operational events are read (a restart after a crash
      // must not parse every reading since the last cursor save).
      const page = await this.store.readOperationsAfter(this.through, PAGE);
      if (this.closed) return read;
      if (page.length === 0) {
        this.through = Math.max(this.through, this.store.lastSeq());
        break;
      }
      if (!this.take(page)) return read;
      read += page.length;
    }
    this.behind = false;
    return read;
  }

  private take(events: StoredEvent[]): boolean {
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
      if (drafts.length > 0) this.log.append(drafts, last);
      this.through = last;
      return true;
    } catch (err) {
      this.logger.error({ err, fromSeq: events[0].seq }, 'audit write failed: retried from the event log');
      return false;
    }
  }

  /** Stores an action that is not an event (sign-in, export, configuration change); throws if it cannot be stored or is malformed. */
  record(r: AuditRecord): AuditEntry {
    const { at, ...rest } = r;
    return this.log.append([{ ...rest, at: at ?? this.clock.now(), eventSeq: null }])[0];
  }

  /** Saves the cursor (periodically and on close: between audited events it is not written with every commit). */
  saveCursor(): void {
    if (!this.closed) this.log.setEventsThrough(this.through);
  }

  close(): void {
    this.saveCursor();
    this.closed = true;
    this.log.close();
  }
}
