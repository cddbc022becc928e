// Accounts and sessions behind an asynchronous port: SQLite (one machine) or PostgreSQL (a cluster,
// every node sharing them). Sessions are kept by the SHA-256 of their token: a stolen database does
// not hand out live sessions.
import type { Account } from '../../core/accounts.ts';

export interface StoredSession {
  tokenHash: string;
  accountId: string;
  createdAt: number;
  expiresAt: number;
}

export interface AccountStore {
  count(): Promise<number>;
  get(id: string): Promise<Account | undefined>;
  list(): Promise<Account[]>;
  /** Inserts a new account with its password hash; false when the id is taken (atomic: one of racing inserts wins). */
  create(account: Account, passwordHash: string): Promise<boolean>;
  /** Writes an account's fields (not its password). */
  update(account: Account): Promise<void>;
  /**
   * Counts a sign-in's outcome on the account alone (a wrong password adds a failure, a right one
   * clears them), in one statement: an admin's change made meanwhile is kept. Returns the account after.
   */
  recordSignIn(id: string, good: boolean): Promise<Account | undefined>;
  passwordHash(id: string): Promise<string | undefined>;
  setPassword(id: string, passwordHash: string, mustChange: boolean): Promise<void>;
  addSession(s: StoredSession): Promise<void>;
  session(tokenHash: string): Promise<StoredSession | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Signs an account out everywhere; returns how many sessions ended. */
  deleteSessionsOf(accountId: string): Promise<number>;
  deleteExpired(now: number): Promise<number>;
  close(): Promise<void>;
}
