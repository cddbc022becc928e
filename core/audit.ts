// The audit log (issue 6): who did what, concerning which area and entity, when, with the state
// before and after. Each entry carries the SHA-256 of the one before it, so changing, deleting,
// inserting or reordering a stored row breaks the chain at that row. An attacker who rewrites a
// row AND recomputes every hash after it is caught only against a head noted elsewhere (the verify
// command's --expect): that is what the printed head is for.
// Pure computation, no I/O and no clock (callers pass `at`). It hashes with node:crypto, so it is
// server-side: the client may `import type` from here, nothing else.
import { createHash } from 'node:crypto';

/** The acting person as recorded (the shape of ActorRef; role is a string so new roles need no migration). */
export interface AuditActor {
  id: string;
  name: string;
  role: string;
  org: string;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What a recorder supplies; the log assigns seq, prevHash and hash. */
export interface AuditDraft {
  /** When the action happened (UTC ms). */
  at: number;
  /** null: the system itself. */
  actor: AuditActor | null;
  /** `<context>:<verb>`, e.g. 'case:dispatch', 'auth:login-failed', 'export:handover'. */
  action: string;
  /** Admin code of the area the action concerns (a case's community or township, the district 340803...). */
  scope: string;
  /** Id of the entity acted on (case id, whistle id, account id...). */
  subject: string;
  /** Small JSON: the relevant state before and after (e.g. { stage }), or null. */
  before?: unknown;
  after?: unknown;
  /** seq of the event in the event log this entry was derived from; null for what is not an event (sign-ins...). */
  eventSeq?: number | null;
}

export interface AuditEntry {
  seq: number;
  at: number;
  actor: AuditActor | null;
  action: string;
  scope: string;
  subject: string;
  before: Json;
  after: Json;
  eventSeq: number | null;
  prevHash: string;
  hash: string;
}

export type AuditBody = Omit<AuditEntry, 'prevHash' | 'hash'>;
export interface ChainLink {
  seq: number;
  hash: string;
}

/** prevHash of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);
export const ACTION_PATTERN = /^[a-z][a-z0-9-]*:[a-z0-9-]+$/;
/** before/after are a summary, not a document: a bound keeps one entry from bloating the log. */
export const MAX_STATE_CHARS = 8192;

/**
 * JSON with object keys sorted at every level, otherwise exactly JSON.stringify (undefined members
 * dropped, undefined in arrays as null): the same value always hashes the same, whatever order its
 * keys were built or read back in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined && typeof o[k] !== 'function').sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 hex of the entry's fields and the previous entry's hash (extra fields, such as a stored hash, are ignored). */
export function hashEntry(prevHash: string, e: AuditBody): string {
  const { seq, at, actor, action, scope, subject, before, after, eventSeq } = e;
  return createHash('sha256').update(canonicalJson({ seq, at, actor, action, scope, subject, before, after, eventSeq, prevHash })).digest('hex');
}

/** What is wrong with a draft, or null. */
export function draftProblem(d: AuditDraft): string | null {
  if (!Number.isSafeInteger(d.at) || d.at < 0) return 'at must be a time in UTC ms';
  if (typeof d.action !== 'string' || !ACTION_PATTERN.test(d.action)) return `action "${d.action}" must look like "context:verb" (lower case)`;
  if (typeof d.scope !== 'string' || d.scope === '') return 'scope must be an admin code';
  if (typeof d.subject !== 'string') return 'subject must be a string';
  if (d.actor !== null && (typeof d.actor !== 'object' || typeof d.actor.id !== 'string' || d.actor.id === '')) return 'actor must be { id, name, role, org } or null';
  for (const k of ['before', 'after'] as const) {
    if ((JSON.stringify(d[k] ?? null) ?? '').length > MAX_STATE_CHARS) return `${k} is longer than ${MAX_STATE_CHARS} characters of JSON`;
  }
  return null;
}

// Exactly what storage gives back: the JSON round trip turns Dates into strings, drops undefined.
const asJson = (v: unknown): Json => (v === undefined ? null : (JSON.parse(JSON.stringify(v) ?? 'null') as Json));
const asActor = (a: AuditActor | null): AuditActor | null =>
  a === null ? null : { id: String(a.id), name: String(a.name ?? ''), role: String(a.role ?? ''), org: String(a.org ?? '') };

/** Chains drafts after `head` (null: an empty log). Throws on a bad draft, chaining none. */
export function linkEntries(head: ChainLink | null, drafts: readonly AuditDraft[]): AuditEntry[] {
  let prev = head ?? { seq: 0, hash: GENESIS_HASH };
  return drafts.map((d) => {
    const problem = draftProblem(d);
    if (problem) throw new Error(`audit entry refused: ${problem}`);
    const body: AuditBody = {
      seq: prev.seq + 1, at: d.at, actor: asActor(d.actor), action: d.action, scope: d.scope, subject: d.subject,
      before: asJson(d.before), after: asJson(d.after), eventSeq: d.eventSeq ?? null,
    };
    const entry: AuditEntry = { ...body, prevHash: prev.hash, hash: hashEntry(prev.hash, body) };
    prev = entry;
    return entry;
  });
}

export type ChainVerdict = { ok: true; count: number; head: ChainLink | null } | { ok: false; at: number; reason: string };

/**
 * Checks entries in seq order, continuing from `after` (the last entry already verified; null: from
 * the start). Reports the first broken link: a missing or misplaced seq, a prevHash that is not the
 * previous hash, or a hash that does not match the entry's own fields.
 */
export function verifyChain(entries: readonly AuditEntry[], after: ChainLink | null = null): ChainVerdict {
  let prev = after ?? { seq: 0, hash: GENESIS_HASH };
  for (const e of entries) {
    const want = prev.seq + 1;
    if (e.seq !== want) {
      return { ok: false, at: want, reason: `expected entry ${want} here, found ${e.seq}: an entry was deleted, moved or inserted` };
    }
    if (e.prevHash !== prev.hash) return { ok: false, at: e.seq, reason: `prevHash is not the hash of entry ${prev.seq}` };
    if (hashEntry(e.prevHash, e) !== e.hash) return { ok: false, at: e.seq, reason: 'hash does not match the entry: it was changed after it was written' };
    prev = { seq: e.seq, hash: e.hash };
  }
  return { ok: true, count: entries.length, head: prev.seq === 0 ? null : prev };
}
