// Accounts and sessions behind an interface (SQLite now; PostgreSQL can follow). Sessions are kept
// by the SHA-256 of their token: a stolen database file does not hand out live sessions.
import type { Account } from '../../core/accounts.ts';

export interface StoredSession {
  tokenHash: string;
  accountId: string;
  createdAt: number;
  expiresAt: number;
}

export interface AccountStore {
  count(): number;
  get(id: string): Account | undefined;
  list(): Account[];
  /** Inserts a new account with its password hash; false when the id is taken. */
  create(account: Account, passwordHash: string): boolean;
  /** Writes an account's fields (not its password). */
  update(account: Account): void;
  passwordHash(id: string): string | undefined;
  setPassword(id: string, passwordHash: string, mustChange: boolean): void;
  addSession(s: StoredSession): void;
  session(tokenHash: string): StoredSession | undefined;
  deleteSession(tokenHash: string): void;
  /** Signs an account out everywhere; returns how many sessions ended. */
  deleteSessionsOf(accountId: string): number;
  deleteExpired(now: number): number;
  close(): void;
}
