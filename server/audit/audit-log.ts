// Storage of the audit log (core/audit.ts): append-only, chained on append, read back newest first
// for the admin and in seq order for verification. SQLite now (sqlite-audit-log.ts).
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
   * inside it; returns them as stored. `eventsThrough`, when given, records in the same
   * transaction that every event up to that seq has been audited. Throws if nothing was stored.
   */
  append(drafts: readonly AuditDraft[], eventsThrough?: number): AuditEntry[];
  /** Entries matching the filter, newest first. */
  query(filter: AuditFilter): AuditEntry[];
  /** Entries with seq > afterSeq in seq order, at most `limit`: how verification walks the chain. */
  readAfter(afterSeq: number, limit: number): AuditEntry[];
  /** The last entry's seq and hash, or null when the log is empty. */
  head(): ChainLink | null;
  /** The last event-log seq whose audit entries are stored, or null before the first start. */
  eventsThrough(): number | null;
  setEventsThrough(seq: number): void;
  close(): void;
}
