// Accounts and sessions in the cluster's PostgreSQL (tables from server/store/pg-schema.ts): a
// session opened on one node is valid on every other, and a revoked one nowhere.
import pg from 'pg';
import type { Account, AccountRole } from '../../core/accounts.ts';
import { openPool } from '../store/pg-schema.ts';
import type { AccountStore, StoredSession } from './account-store.ts';

type Row = { id: string; name: string; role: AccountRole; org: string; disabled: boolean; must_change_password: boolean; created_at: number; failed_logins: number; locked_until: number };
const fromRow = (r: Row): Account => ({
  id: r.id, name: r.name, role: r.role, org: r.org, disabled: r.disabled, mustChangePassword: r.must_change_password,
  createdAt: r.created_at, failedLogins: r.failed_logins, lockedUntil: r.locked_until,
});
const COLUMNS = 'id, name, role, org, disabled, must_change_password, created_at, failed_logins, locked_until';

export class PgAccountStore implements AccountStore {
  private constructor(private readonly pool: pg.Pool) {}

  /** Connects and applies missing migrations (a no-op when the event store already did). */
  static async open(connectionString: string, poolSize = 4): Promise<PgAccountStore> {
    const pool = await openPool(connectionString, { max: poolSize, name: 'linkage-accounts' });
    return new PgAccountStore(pool);
  }

  private async rows<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(sql, params)).rows;
  }

  async count(): Promise<number> {
    return (await this.rows<{ n: number }>('SELECT count(*) AS n FROM accounts'))[0].n;
  }

  async get(id: string): Promise<Account | undefined> {
    const [r] = await this.rows<Row>(`SELECT ${COLUMNS} FROM accounts WHERE id = $1`, [id]);
    return r && fromRow(r);
  }

  async list(): Promise<Account[]> {
    // Byte order, as SQLite sorts, whatever the database's collation.
    return (await this.rows<Row>(`SELECT ${COLUMNS} FROM accounts ORDER BY role COLLATE "C", id COLLATE "C"`)).map(fromRow);
  }

  async create(a: Account, passwordHash: string): Promise<boolean> {
    const r = await this.pool.query(
      `INSERT INTO accounts (${COLUMNS}, password_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
      [a.id, a.name, a.role, a.org, a.disabled, a.mustChangePassword, a.createdAt, a.failedLogins, a.lockedUntil, passwordHash],
    );
    return r.rowCount === 1;
  }

  async update(a: Account): Promise<void> {
    await this.pool.query(
      'UPDATE accounts SET name = $1, role = $2, org = $3, disabled = $4, must_change_password = $5, failed_logins = $6, locked_until = $7 WHERE id = $8',
      [a.name, a.role, a.org, a.disabled, a.mustChangePassword, a.failedLogins, a.lockedUntil, a.id],
    );
  }

  async recordSignIn(id: string, good: boolean): Promise<Account | undefined> {
    const [r] = await this.rows<Row>(
      `UPDATE accounts SET failed_logins = CASE WHEN $2 THEN 0 ELSE failed_logins + 1 END, locked_until = CASE WHEN $2 THEN 0 ELSE locked_until END
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, good],
    );
    return r && fromRow(r);
  }

  async passwordHash(id: string): Promise<string | undefined> {
    return (await this.rows<{ h: string }>('SELECT password_hash AS h FROM accounts WHERE id = $1', [id]))[0]?.h;
  }

  async setPassword(id: string, passwordHash: string, mustChange: boolean): Promise<void> {
    await this.pool.query('UPDATE accounts SET password_hash = $1, must_change_password = $2 WHERE id = $3', [passwordHash, mustChange, id]);
  }

  async addSession(s: StoredSession): Promise<void> {
    await this.pool.query('INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [s.tokenHash, s.accountId, s.createdAt, s.expiresAt]);
  }

  async session(tokenHash: string): Promise<StoredSession | undefined> {
    const [r] = await this.rows<{ token_hash: string; account_id: string; created_at: number; expires_at: number }>(
      'SELECT token_hash, account_id, created_at, expires_at FROM sessions WHERE token_hash = $1', [tokenHash]);
    return r && { tokenHash: r.token_hash, accountId: r.account_id, createdAt: r.created_at, expiresAt: r.expires_at };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async deleteSessionsOf(accountId: string): Promise<number> {
    return (await this.pool.query('DELETE FROM sessions WHERE account_id = $1', [accountId])).rowCount ?? 0;
  }

  async deleteExpired(now: number): Promise<number> {
    return (await this.pool.query('DELETE FROM sessions WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
