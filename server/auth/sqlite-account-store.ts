// Accounts and sessions in tables of the event log's SQLite file, through a connection of its own.
// Synchronous underneath; async only to fit the port shared with PostgreSQL.
import type Database from 'better-sqlite3';
import { closeSqlite, connect, type SqliteDb, type SqliteSource } from '../store/sqlite-connection.ts';
import type { Account, AccountRole } from '../../core/accounts.ts';
import type { AccountStore, StoredSession } from './account-store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  org TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account_id);
`;

type Row = { id: string; name: string; role: AccountRole; org: string; disabled: number; must_change_password: number; created_at: number; failed_logins: number; locked_until: number };
const fromRow = (r: Row): Account => ({
  id: r.id, name: r.name, role: r.role, org: r.org, disabled: r.disabled === 1, mustChangePassword: r.must_change_password === 1,
  createdAt: r.created_at, failedLogins: r.failed_logins, lockedUntil: r.locked_until,
});
const COLUMNS = 'id, name, role, org, disabled, must_change_password, created_at, failed_logins, locked_until';

export class SqliteAccountStore implements AccountStore {
  private readonly db: SqliteDb;
  private readonly ownsDb: boolean;

  constructor(source: SqliteSource) {
    ({ db: this.db, owned: this.ownsDb } = connect(source));
    this.db.exec(SCHEMA);
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
  }

  async get(id: string): Promise<Account | undefined> {
    const r = this.db.prepare(`SELECT ${COLUMNS} FROM accounts WHERE id = ?`).get(id) as Row | undefined;
    return r && fromRow(r);
  }

  async list(): Promise<Account[]> {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM accounts ORDER BY role, id`).all() as Row[]).map(fromRow);
  }

  async create(a: Account, passwordHash: string): Promise<boolean> {
    const r = this.db
      .prepare(`INSERT OR IGNORE INTO accounts (${COLUMNS}, password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(a.id, a.name, a.role, a.org, a.disabled ? 1 : 0, a.mustChangePassword ? 1 : 0, a.createdAt, a.failedLogins, a.lockedUntil, passwordHash);
    return r.changes === 1;
  }

  async update(a: Account): Promise<void> {
    this.db
      .prepare('UPDATE accounts SET name = ?, role = ?, org = ?, disabled = ?, must_change_password = ?, failed_logins = ?, locked_until = ? WHERE id = ?')
      .run(a.name, a.role, a.org, a.disabled ? 1 : 0, a.mustChangePassword ? 1 : 0, a.failedLogins, a.lockedUntil, a.id);
  }

  async recordSignIn(id: string, good: boolean): Promise<Account | undefined> {
    const r = this.db
      .prepare(`UPDATE accounts SET failed_logins = CASE WHEN ? THEN 0 ELSE failed_logins + 1 END, locked_until = CASE WHEN ? THEN 0 ELSE locked_until END WHERE id = ? RETURNING ${COLUMNS}`)
      .get(good ? 1 : 0, good ? 1 : 0, id) as Row | undefined;
    return r && fromRow(r);
  }

  async passwordHash(id: string): Promise<string | undefined> {
    return (this.db.prepare('SELECT password_hash AS h FROM accounts WHERE id = ?').get(id) as { h: string } | undefined)?.h;
  }

  async setPassword(id: string, passwordHash: string, mustChange: boolean): Promise<void> {
    this.db.prepare('UPDATE accounts SET password_hash = ?, must_change_password = ? WHERE id = ?').run(passwordHash, mustChange ? 1 : 0, id);
  }

  async addSession(s: StoredSession): Promise<void> {
    this.db.prepare('INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(s.tokenHash, s.accountId, s.createdAt, s.expiresAt);
  }

  async session(tokenHash: string): Promise<StoredSession | undefined> {
    const r = this.db.prepare('SELECT token_hash, account_id, created_at, expires_at FROM sessions WHERE token_hash = ?').get(tokenHash) as
      | { token_hash: string; account_id: string; created_at: number; expires_at: number }
      | undefined;
    return r && { tokenHash: r.token_hash, accountId: r.account_id, createdAt: r.created_at, expiresAt: r.expires_at };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  async deleteSessionsOf(accountId: string): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE account_id = ?').run(accountId).changes;
  }

  async deleteExpired(now: number): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
  }

  async close(): Promise<void> {
    if (this.ownsDb) closeSqlite(this.db);
  }
}
