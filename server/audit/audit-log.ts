// Storage of the audit log (core/audit.ts): append-only, chained on append, read back newest first
// for the admin and in seq order for verification. SQLite for one process (sqlite-audit-log.ts),
// PostgreSQL for a cluster (pg-audit-log.ts): asynchronous so that a network database fits.
import type { AuditDraft, AuditEntry, ChainLink } from '../../core/audit.ts';

export interface AuditFilter {
  /** Entries with at in [from, to) (UTC ms). */
  from?: number;
  to?: number;
  /** Actor id. */
  actor?: string;
  /** 'case:dispatch' exactly; 'case' (no colon): every action of that context. */
  action?: string;
  /** An admin code: entries concerning that area or any area inside it. */
  scope?: string;
  subject?: string;
  /** Only entries with seq below this (paging back through the log). */
  before?: number;
  limit: number;
}

export interface AuditLog {
  /**
   * Chains the drafts after the current head and stores them in one transaction, the head read
   * inside it under a lock every appender takes (one chain, whoever appends); returns them as stored.
   * Drafts of events at or before the stored cursor are dropped: another writer audited them (a
   * leader that just lost its lead), so no event is audited twice. `eventsThrough`, when given,
   * records in the same transaction that every event up to that seq has been audited.
   */
  append(drafts: readonly AuditDraft[], eventsThrough?: number): Promise<AuditEntry[]>;
  /** Entries matching the filter, newest first. */
  query(filter: AuditFilter): Promise<AuditEntry[]>;
  /** Entries with seq > afterSeq in seq order, at most `limit`: how verification walks the chain. */
  readAfter(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  /** The last entry's seq and hash, or null when the log is empty. */
  head(): Promise<ChainLink | null>;
  /** The last event-log seq whose audit entries are stored, or null before the first start. */
  eventsThrough(): Promise<number | null>;
  setEventsThrough(seq: number): Promise<void>;
  close(): Promise<void>;
}

/** Drops the drafts of events at or before `cursor` (see AuditLog.append). */
export const notYetAudited = (drafts: readonly AuditDraft[], cursor: number | null): readonly AuditDraft[] =>
  cursor === null ? drafts : drafts.filter((d) => d.eventSeq === undefined || d.eventSeq === null || d.eventSeq > cursor);
