// A stored audit row (the same columns in SQLite and PostgreSQL) and the entry it reads back as.
import type { AuditEntry, Json } from '../../core/audit.ts';

export interface AuditRow {
  seq: number; at: number; actor_id: string | null; actor_name: string; actor_role: string; actor_org: string;
  action: string; scope: string; subject: string; before: string; after: string; event_seq: number | null; prev_hash: string; hash: string;
}

// A value altered into something that is not JSON reads back as its raw text: it then fails the
// hash check at that row instead of stopping the verification.
function parse(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

export const toEntry = (r: AuditRow): AuditEntry => ({
  seq: r.seq, at: r.at, actor: r.actor_id === null ? null : { id: r.actor_id, name: r.actor_name, role: r.actor_role, org: r.actor_org },
  action: r.action, scope: r.scope, subject: r.subject, before: parse(r.before), after: parse(r.after), eventSeq: r.event_seq, prevHash: r.prev_hash, hash: r.hash,
});
