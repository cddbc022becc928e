// Signing in and out, sessions, and the accounts an admin manages. Passwords are hashed with
// argon2id (memory-hard); session tokens are random 256-bit values kept only as their SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import {
  accountProblem, actorOf, afterWrongPassword, blockedMessage, passwordProblem, sessionTtlMs, signInRefusal, viewOf,
  type Account, type SignInAttempts, type AccountInput, type AccountRole, type AccountView,
} from '../../core/accounts.ts';
import type { Clock } from '../../core/domain.ts';
import type { Actor } from '../../core/org.ts';
import type { EventLog } from '../store/event-store.ts';
import type { AccountStore } from './account-store.ts';

export type AuthResult<T> = { ok: true; data: T } | { ok: false; code: 'UNAUTHORIZED' | 'BAD_REQUEST' | 'FORBIDDEN' | 'CONFLICT' | 'NOT_FOUND' | 'RATE_LIMITED'; message: string; reason?: string };

/** Name and address pairs remembered at most: a flood of made-up names only forgets the oldest. */
const MAX_ATTEMPT_KEYS = 100_000;

export interface SignedIn {
  account: Account;
  actor: Actor;
  expiresAt: number;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
/** A one-time password: 16 characters of base64url (96 bits). */
export const oneTimePassword = () => randomBytes(12).toString('base64url');
const WRONG = 'wrong login name or password';

/** Logged when an account's sessions end: every node closes the account's sockets as it reads it. */
export const REVOKED_EVENT = 'auth:revoked';
export type RevokeReason = 'revoked' | 'disabled' | 'role or area changed' | 'password reset';
export interface Revoked {
  accountId: string;
  reason: RevokeReason;
}

export class AuthService {
  /** Hash of a password nobody has: unknown names cost as much as known ones (no timing oracle). */
  private dummyHash: Promise<string> | null = null;
  /** Wrong passwords per login name and client address (core/accounts.ts LOCKOUT). */
  private readonly attempts = new Map<string, SignInAttempts>();

  constructor(
    private readonly store: AccountStore,
    private readonly clock: Clock,
    /** Where revocations go (the event log), so that they reach every node. */
    private readonly log: Pick<EventLog, 'append'>,
  ) {}

  /**
   * On a first start (no accounts at all): an admin with a one-time password, to be printed once.
   * Nodes starting together on an empty database all try; only the one whose insert won gets it.
   */
  async ensureAdmin(): Promise<{ id: string; password: string } | null> {
    if ((await this.store.count()) > 0) return null;
    const password = oneTimePassword();
    const account: Account = { id: 'admin', name: '系统管理员', role: 'admin', org: '340803', disabled: false, mustChangePassword: true, createdAt: this.clock.now(), failedLogins: 0, lockedUntil: 0 };
    return (await this.store.create(account, await argon2.hash(password))) ? { id: account.id, password } : null;
  }

  /**
   * Signs in. Unknown names, wrong passwords and disabled accounts get the same answer; `reason`
   * (for the audit log only) says which. Five wrong passwords for a name from one address make
   * that pair wait 15 minutes, whether the name exists or not.
   */
  async signIn(id: string, password: string, address: string): Promise<AuthResult<{ token: string; signedIn: SignedIn }>> {
    const now = this.clock.now();
    const key = `${id.toLowerCase()}\n${address}`;
    const blocked = blockedMessage(this.attempts.get(key), now);
    if (blocked) return { ok: false, code: 'RATE_LIMITED', message: blocked, reason: 'blocked' };
    const account = await this.store.get(id);
    const hash = account ? await this.store.passwordHash(account.id) : undefined;
    const good = hash ? await argon2.verify(hash, password) : await this.wasteTime(password);
    const refusal = signInRefusal(account);
    if (!account || !good || refusal) {
      if (account && !good) await this.store.recordSignIn(account.id, false);
      const later = this.clock.now();
      if (!good || !account) this.countWrong(key, later);
      return { ok: false, code: 'UNAUTHORIZED', message: blockedMessage(this.attempts.get(key), later) ?? WRONG, reason: refusal ?? (account ? 'wrong password' : 'unknown login name') };
    }
    this.attempts.delete(key);
    const ok = await this.store.recordSignIn(account.id, true);
    // Disabled (or deleted) by an admin while the password was being checked: refused after all.
    const late = ok ? signInRefusal(ok) : 'unknown login name';
    if (!ok || late) return { ok: false, code: 'UNAUTHORIZED', message: WRONG, reason: late ?? 'unknown login name' };
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + sessionTtlMs(ok.role);
    await this.store.addSession({ tokenHash: tokenHash(token), accountId: ok.id, createdAt: now, expiresAt });
    return { ok: true, data: { token, signedIn: { account: ok, actor: actorOf(ok), expiresAt } } };
  }

  private countWrong(key: string, now: number): void {
    if (this.attempts.size >= MAX_ATTEMPT_KEYS && !this.attempts.has(key)) this.attempts.delete(this.attempts.keys().next().value!);
    this.attempts.set(key, afterWrongPassword(this.attempts.get(key), now));
  }

  /** The account behind a session token, or null (unknown, expired, or the account disabled). */
  async resolve(token: string | undefined): Promise<SignedIn | null> {
    if (!token) return null;
    const s = await this.store.session(tokenHash(token));
    if (!s) return null;
    if (s.expiresAt <= this.clock.now()) {
      await this.store.deleteSession(s.tokenHash);
      return null;
    }
    const account = await this.store.get(s.accountId);
    if (!account || account.disabled) return null;
    return { account, actor: actorOf(account), expiresAt: s.expiresAt };
  }

  async signOut(token: string | undefined): Promise<void> {
    if (token) await this.store.deleteSession(tokenHash(token));
  }

  async list(): Promise<AccountView[]> {
    const now = this.clock.now();
    return (await this.store.list()).map((a) => viewOf(a, now));
  }

  async create(input: AccountInput): Promise<AuthResult<{ account: AccountView; oneTimePassword?: string }>> {
    const account: Account = { id: input.id, name: input.name, role: input.role as AccountRole, org: input.org, disabled: false, mustChangePassword: !input.password, createdAt: this.clock.now(), failedLogins: 0, lockedUntil: 0 };
    const problem = accountProblem(account) ?? (input.password ? passwordProblem(input.password, input.id) : null);
    if (problem) return { ok: false, code: 'BAD_REQUEST', message: problem };
    const password = input.password ?? oneTimePassword();
    if (!(await this.store.create(account, await argon2.hash(password)))) return { ok: false, code: 'CONFLICT', message: `an account "${input.id}" exists already` };
    return { ok: true, data: { account: viewOf(account, this.clock.now()), ...(input.password ? {} : { oneTimePassword: password }) } };
  }

  /** Changes name/role/org/disabled; disabling signs the account out everywhere. */
  async update(id: string, patch: { name?: string; role?: AccountRole; org?: string; disabled?: boolean }): Promise<AuthResult<AccountView>> {
    const old = await this.store.get(id);
    if (!old) return { ok: false, code: 'NOT_FOUND', message: `no account "${id}"` };
    const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next: Account = { ...old, ...given, ...(patch.disabled === false ? { failedLogins: 0, lockedUntil: 0 } : {}) };
    const problem = accountProblem(next);
    if (problem) return { ok: false, code: 'BAD_REQUEST', message: problem };
    await this.store.update(next);
    // A new role or area must not ride on sessions opened under the old one.
    if (next.disabled) await this.revoke(id, 'disabled');
    else if (next.role !== old.role || next.org !== old.org) await this.revoke(id, 'role or area changed');
    return { ok: true, data: viewOf(next, this.clock.now()) };
  }

  /** A new one-time password (shown once); the account is signed out everywhere. */
  async resetPassword(id: string): Promise<AuthResult<{ oneTimePassword: string }>> {
    if (!(await this.store.get(id))) return { ok: false, code: 'NOT_FOUND', message: `no account "${id}"` };
    const password = oneTimePassword();
    await this.store.setPassword(id, await argon2.hash(password), true);
    await this.revoke(id, 'password reset');
    return { ok: true, data: { oneTimePassword: password } };
  }

  async changePassword(id: string, current: string, next: string): Promise<AuthResult<null>> {
    const hash = await this.store.passwordHash(id);
    if (!hash || !(await argon2.verify(hash, current))) return { ok: false, code: 'UNAUTHORIZED', message: 'the current password is wrong' };
    const problem = passwordProblem(next, id);
    if (problem) return { ok: false, code: 'BAD_REQUEST', message: problem };
    if (next === current) return { ok: false, code: 'BAD_REQUEST', message: 'the new password must differ from the current one' };
    await this.store.setPassword(id, await argon2.hash(next), false);
    return { ok: true, data: null };
  }

  /**
   * Ends every session of an account, then logs it: every node (this one included) closes the
   * account's live connections when the event reaches it. Rejects if the log cannot be written
   * (the sessions are gone; revoking again tells the other nodes).
   */
  async revoke(id: string, reason: RevokeReason = 'revoked'): Promise<number> {
    const n = await this.store.deleteSessionsOf(id);
    const data: Revoked = { accountId: id, reason };
    await this.log.append([{ type: REVOKED_EVENT, subject: id, ts: this.clock.now(), data }]);
    return n;
  }

  sweep(): Promise<number> {
    return this.store.deleteExpired(this.clock.now());
  }

  private async wasteTime(password: string): Promise<false> {
    this.dummyHash ??= argon2.hash(oneTimePassword());
    await argon2.verify(await this.dummyHash, password);
    return false;
  }
}
