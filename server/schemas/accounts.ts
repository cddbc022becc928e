// Accounts and sessions as the API answers them (core/accounts.ts AccountView, core/org.ts Actor).
import { Type } from 'typebox';
import { ACCOUNT_ROLES, type AccountView } from '../../core/accounts.ts';
import type { Actor } from '../../core/org.ts';
import type { AuthMode } from '../plugins/auth.ts';
import { ActorRefSchema } from './cases.ts';
import { exactly, Nullable } from './exact.ts';

export const ActorSchema = exactly<Actor>()(ActorRefSchema);

export const AccountViewSchema = exactly<AccountView>()(Type.Object({
  id: Type.String(), name: Type.String(), role: Type.Enum(ACCOUNT_ROLES), org: Type.String(), disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(), createdAt: Type.Number(), locked: Type.Boolean(),
}, { description: 'an account as an admin sees it (never its password)' }));

export const SignedInSchema = Type.Object({ account: AccountViewSchema, actor: ActorSchema, expiresAt: Type.Number() }, { description: 'the session: the account, who it acts as, when it ends' });

export const SessionSchema = exactly<{ mode: AuthMode; account: AccountView | null; actor: Actor | null; expiresAt: number | null }>()(Type.Object({
  mode: Type.Enum(['accounts', 'declared'] as const), account: Nullable(AccountViewSchema), actor: Nullable(ActorSchema), expiresAt: Nullable(Type.Number()),
}, { description: 'who this browser is signed in as; account, actor and expiresAt null when nobody is' }));

export const CreatedAccountSchema = exactly<{ account: AccountView; oneTimePassword?: string }>()(Type.Object({
  account: AccountViewSchema, oneTimePassword: Type.Optional(Type.String()),
}, { description: 'the account created, and its one-time password when none was given' }));

export const OneTimePasswordSchema = exactly<{ oneTimePassword: string }>()(Type.Object({ oneTimePassword: Type.String() }, { description: 'the one-time password, shown this once' }));
