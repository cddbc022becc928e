// The audit log of one process in an `audit` table of the event log's SQLite file, through a
// connection of its own (WAL lets it share the file). Triggers refuse UPDATE and DELETE, so the server itself cannot
// rewrite history; someone with the file can drop them, which the hash chain then shows.
import Database from 'better-sqlite3';
import { connect, type SqliteDb } from '../store/sqlite-connection.ts';
import { linkEntries, type AuditDraft, type AuditEntry, type ChainLink } from '../../core/audit.ts';
import { notYetAudited, type AuditFilter, type AuditLog } from './audit-log.ts';
import { toEntry, type AuditRow as Row } from './rows.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_id TEXT,
  actor_name TEXT,
  actor_role TEXT,
  actor_org TEXT,
  action TEXT NOT NULL,
  scope TEXT NOT NULL,
  subject TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  event_seq INTEGER,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
CREATE INDEX IF NOT EXISTS audit_actor ON audit (actor_id, seq);
CREATE INDEX IF NOT EXISTS audit_action ON audit (action, seq);
CREATE INDEX IF NOT EXISTS audit_subject ON audit (subject, seq);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
-- Not audit data: how far the event log has been turned into audit entries (a restart catches up from here).
CREATE TABLE IF NOT EXISTS audit_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), events_through INTEGER NOT NULL);
`;

/** The shared connection (the sqlite plugin's), a file of its own, or a file read for verification (no schema, no writes). */
export type SqliteAuditLogOptions = { db: SqliteDb } | { file: string; synchronous?: 'FULL' | 'NORMAL'; readonly?: boolean };

export class SqliteAuditLog implements AuditLog {
  private readonly db: Database.Database;
  /** Opened here (a file of its own, or read-only for verification), so closed here; a shared connection is the plugin's. */
  private ownsDb = true;
  private readonly queries = new Map<string, Database.Statement>();

  constructor(options: SqliteAuditLogOptions) {
    if ('file' in options && options.readonly) {
      this.db = new Database(options.file, { readonly: true, fileMustExist: true });
      this.db.pragma('busy_timeout = 5000');
    } else {
      ({ db: this.db, owned: this.ownsDb } = connect('db' in options ? options : { file: options.file, synchronous: options.synchronous ?? 'FULL' }));
      this.db.exec(SCHEMA);
    }
  }

  private statement(sql: string): Database.Statement {
    let s = this.queries.get(sql);
    if (!s) this.queries.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  // Synchronous inside (better-sqlite3); the port is asynchronous for PostgreSQL's sake.
  async append(drafts: readonly AuditDraft[], eventsThrough?: number): Promise<AuditEntry[]> {
    // IMMEDIATE: the write lock is taken before the head is read, so no other writer can chain after the same head.
    return this.db.transaction(() => {
      const entries = linkEntries(this.headNow(), notYetAudited(drafts, this.cursorNow()));
      const insert = this.statement(`INSERT INTO audit (seq, at, actor_id, actor_name, actor_role, actor_org, action, scope, subject, before, after, event_seq, prev_hash, hash)
        VALUES (@seq, @at, @actorId, @actorName, @actorRole, @actorOrg, @action, @scope, @subject, @before, @after, @eventSeq, @prevHash, @hash)`);
      for (const e of entries) {
        insert.run({
          seq: e.seq, at: e.at, actorId: e.actor?.id ?? null, actorName: e.actor?.name ?? null, actorRole: e.actor?.role ?? null, actorOrg: e.actor?.org ?? null,
          action: e.action, scope: e.scope, subject: e.subject, before: JSON.stringify(e.before), after: JSON.stringify(e.after), eventSeq: e.eventSeq, prevHash: e.prevHash, hash: e.hash,
        });
      }
      if (eventsThrough !== undefined) this.saveCursor(eventsThrough);
      return entries;
    }).immediate();
  }

  async query(f: AuditFilter): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: f.limit };
    const add = (sql: string, name: string, value: unknown) => {
      if (value === undefined) return;
      where.push(sql);
      args[name] = value;
    };
    add('at >= @from', 'from', f.from);
    add('at < @to', 'to', f.to);
    add('actor_id = @actor', 'actor', f.actor);
    add('subject = @subject', 'subject', f.subject);
    add('seq < @before', 'before', f.before);
    add('substr(scope, 1, length(@scope)) = @scope', 'scope', f.scope);
    if (f.action !== undefined) {
      // 'case' → every 'case:…': the range ['case:', 'case;') keeps the action index usable.
      if (f.action.includes(':')) add('action = @action', 'action', f.action);
      else {
        add('action >= @actionFrom', 'actionFrom', `${f.action}:`);
        add('action < @actionTo', 'actionTo', `${f.action};`);
      }
    }
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`;
    return (this.statement(sql).all(args) as Row[]).map(toEntry);
  }

  async readAfter(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    return (this.statement('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as Row[]).map(toEntry);
  }

  async head(): Promise<ChainLink | null> {
    return this.headNow();
  }

  async eventsThrough(): Promise<number | null> {
    return this.cursorNow();
  }

  async setEventsThrough(seq: number): Promise<void> {
    this.saveCursor(seq);
  }

  private headNow(): ChainLink | null {
    return (this.statement('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as ChainLink | undefined) ?? null;
  }

  private cursorNow(): number | null {
    const row = this.statement('SELECT events_through AS n FROM audit_cursor WHERE id = 1').get() as { n: number } | undefined;
    return row?.n ?? null;
  }

  private saveCursor(seq: number): void {
    this.statement('INSERT INTO audit_cursor (id, events_through) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET events_through = excluded.events_through').run(seq);
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}
