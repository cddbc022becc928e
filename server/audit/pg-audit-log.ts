// The audit log of a cluster in the shared PostgreSQL (tables from server/store/pg-schema.ts): one
// hash chain, appended to from every node. Each append locks the audit_chain row before reading the
// head, so appenders on different nodes take turns and each links after the one before; the same
// row holds how far the event log has been audited, so a new leader continues where the old one
// stopped. Triggers refuse UPDATE, DELETE and TRUNCATE on the entries.
import pg from 'pg';
import { linkEntries, type AuditDraft, type AuditEntry, type ChainLink } from '../../core/audit.ts';
import { openPool } from '../store/pg-schema.ts';
import { notYetAudited, type AuditFilter, type AuditLog } from './audit-log.ts';
import { toEntry, type AuditRow } from './rows.ts';

const COLUMNS = 'seq, at, actor_id, actor_name, actor_role, actor_org, action, scope, subject, before, after, event_seq, prev_hash, hash';
const TYPES = ['bigint', 'bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'text', 'text'];
// One statement for a whole batch, whatever its size: a column array per parameter.
const INSERT = `INSERT INTO audit (${COLUMNS}) SELECT * FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;

const columnsOf = (entries: readonly AuditEntry[]): unknown[][] => {
  const cols: unknown[][] = TYPES.map(() => []);
  for (const e of entries) {
    const row = [e.seq, e.at, e.actor?.id ?? null, e.actor?.name ?? null, e.actor?.role ?? null, e.actor?.org ?? null,
      e.action, e.scope, e.subject, JSON.stringify(e.before), JSON.stringify(e.after), e.eventSeq, e.prevHash, e.hash];
    row.forEach((v, i) => cols[i].push(v));
  }
  return cols;
};

export interface PgAuditLogOptions {
  /** For verification: no migrations, and the session refuses writes. */
  readonly?: boolean;
  poolSize?: number;
}

export class PgAuditLog implements AuditLog {
  private constructor(private readonly pool: pg.Pool) {}

  /** Connects and applies missing migrations (a no-op when the event store already did). */
  static async open(connectionString: string, options: PgAuditLogOptions = {}): Promise<PgAuditLog> {
    const pool = await openPool(connectionString, { max: options.poolSize ?? 4, name: 'linkage-audit', readonly: options.readonly });
    return new PgAuditLog(pool);
  }

  async append(drafts: readonly AuditDraft[], eventsThrough?: number): Promise<AuditEntry[]> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const cursor = (await client.query<{ n: number | null }>('SELECT events_through AS n FROM audit_chain FOR UPDATE')).rows[0].n;
      const head = (await client.query<ChainLink>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')).rows[0] ?? null;
      const entries = linkEntries(head, notYetAudited(drafts, cursor));
      if (entries.length > 0) await client.query(INSERT, columnsOf(entries));
      if (eventsThrough !== undefined) await client.query('UPDATE audit_chain SET events_through = GREATEST(events_through, $1)', [eventsThrough]);
      await client.query('COMMIT');
      return entries;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async query(f: AuditFilter): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      if (value === undefined) return;
      args.push(value);
      where.push(sql(`$${args.length}`));
    };
    add((p) => `at >= ${p}`, f.from);
    add((p) => `at < ${p}`, f.to);
    add((p) => `actor_id = ${p}`, f.actor);
    add((p) => `subject = ${p}`, f.subject);
    add((p) => `seq < ${p}`, f.before);
    // starts_with, not a range: text comparison follows the database's collation, not bytes.
    add((p) => `starts_with(scope, ${p})`, f.scope);
    if (f.action !== undefined) {
      if (f.action.includes(':')) add((p) => `action = ${p}`, f.action);
      else add((p) => `starts_with(action, ${p})`, `${f.action}:`);
    }
    args.push(f.limit);
    const sql = `SELECT ${COLUMNS} FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${args.length}`;
    return (await this.pool.query<AuditRow>(sql, args)).rows.map(toEntry);
  }

  async readAfter(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    return (await this.pool.query<AuditRow>(`SELECT ${COLUMNS} FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2`, [afterSeq, limit])).rows.map(toEntry);
  }

  async head(): Promise<ChainLink | null> {
    return (await this.pool.query<ChainLink>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')).rows[0] ?? null;
  }

  async eventsThrough(): Promise<number | null> {
    return (await this.pool.query<{ n: number | null }>('SELECT events_through AS n FROM audit_chain')).rows[0].n;
  }

  /** Never moves the cursor back: a node with an older view cannot undo another's progress. */
  async setEventsThrough(seq: number): Promise<void> {
    await this.pool.query('UPDATE audit_chain SET events_through = GREATEST(events_through, $1)', [seq]);
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
