// Accounts (issue 6): who may sign in, as which role and for which area, and the rules of signing
// in — password strength, lockout after failures, how long a session lasts. Pure and clock-free:
// the server passes `now` and keeps the state.
import { Type, type Static } from 'typebox';
import type { AuditActor } from './audit.ts';
import { actorProblem, DISTRICT_CODE, ROLES, type Actor, type Role } from './org.ts';

/** Every role of DOMAIN.md §5 a person or a screen signs in as; admin manages accounts and reads the audit log. */
export const ACCOUNT_ROLES = ['admin', ...ROLES.filter((r) => r !== 'system')] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export const LOGIN_NAME_PATTERN = '^[A-Za-z0-9_.:-]{2,64}$';

export const AccountInputSchema = Type.Object(
  {
    /** The login name; also the actor id in the log (a grid worker's GW-0001, a duty leader's DUTY-L03). */
    id: Type.String({ pattern: LOGIN_NAME_PATTERN }),
    name: Type.String({ minLength: 1, maxLength: 40 }),
    role: Type.Union(ACCOUNT_ROLES.map((r) => Type.Literal(r))),
    /** Admin code of the account's center (district, township or community), or a department id. */
    org: Type.String({ minLength: 1, maxLength: 32 }),
    /** Optional: when left out, a one-time password is generated and shown once. */
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type AccountInput = Static<typeof AccountInputSchema>;

export interface Account {
  id: string;
  name: string;
  role: AccountRole;
  org: string;
  disabled: boolean;
  /** Set for a generated (one-time) password: the first thing after signing in is choosing one. */
  mustChangePassword: boolean;
  createdAt: number;
  failedLogins: number;
  lockedUntil: number;
}

/** What the client is told about an account (never the hash). */
export type AccountView = Omit<Account, 'failedLogins' | 'lockedUntil'> & { locked: boolean };

export const viewOf = (a: Account, now: number): AccountView => ({
  id: a.id, name: a.name, role: a.role, org: a.org, disabled: a.disabled, mustChangePassword: a.mustChangePassword, createdAt: a.createdAt, locked: a.lockedUntil > now,
});

/** Who the audit log names for an account's own actions: its real role, admin included. */
export const auditActorOf = (a: Pick<Account, 'id' | 'name' | 'role' | 'org'>): AuditActor => ({ id: a.id, name: a.name, role: a.role, org: a.org });

/** Who an account acts as: an admin watches the district read-only; everyone else is their role. */
export function actorOf(a: Pick<Account, 'id' | 'name' | 'role' | 'org'>): Actor {
  return a.role === 'admin' ? { id: a.id, name: a.name, role: 'display', org: DISTRICT_CODE } : { id: a.id, name: a.name, role: a.role as Role, org: a.org };
}

/** null when the account's role fits its org, else why not. */
export function accountProblem(a: Pick<Account, 'id' | 'name' | 'role' | 'org'>): string | null {
  if (a.role === 'admin') return a.org === DISTRICT_CODE ? null : `an admin belongs to the district (${DISTRICT_CODE}), not "${a.org}"`;
  return actorProblem(actorOf(a));
}

export const MIN_PASSWORD = 10;

/** null when the password may be used, else why not (shown to the person choosing it). */
export function passwordProblem(password: string, id: string): string | null {
  if (password.length < MIN_PASSWORD) return `a password needs at least ${MIN_PASSWORD} characters`;
  if (new Set(password).size < 4) return 'a password needs at least 4 different characters';
  if (password.toLowerCase().includes(id.toLowerCase())) return 'a password must not contain the login name';
  return null;
}

/**
 * Wrong passwords for one login name from one address: the fifth in a row blocks that name from that
 * address for 15 minutes. Only that pair: a flood from elsewhere cannot keep a wall screen or a duty
 * leader out, and unknown names are counted exactly like known ones (the answer tells nothing).
 */
export const LOCKOUT = { failures: 5, lockMs: 15 * 60_000 } as const;

export interface SignInAttempts {
  failures: number;
  blockedUntil: number;
}

/** The attempts of a name and address after one more wrong password. */
export function afterWrongPassword(a: SignInAttempts | undefined, now: number): SignInAttempts {
  const failures = (a && a.blockedUntil <= now ? a.failures : 0) + 1;
  return failures >= LOCKOUT.failures ? { failures: 0, blockedUntil: now + LOCKOUT.lockMs } : { failures, blockedUntil: 0 };
}

/** Why sign-ins of this name from this address wait, or null. The same words whether the name exists or not. */
export function blockedMessage(a: SignInAttempts | undefined, now: number): string | null {
  if (!a || a.blockedUntil <= now) return null;
  return `too many wrong passwords for this login name from this address: try again in ${Math.ceil((a.blockedUntil - now) / 60_000)} min`;
}

/** Why an account may not sign in even with the right password (kept for the audit log; the caller is told only "wrong"), or null. */
export function signInRefusal(a: Account | undefined): string | null {
  return a?.disabled ? 'this account is disabled' : null;
}


/** A person's session lasts a long shift; an unattended screen's a quarter (it is revoked by disabling its account). */
export const sessionTtlMs = (role: AccountRole): number => (role === 'display' ? 90 * 86_400_000 : 14 * 3_600_000);
