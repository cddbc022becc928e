// Bounded context: accounts (issue 6). Signing in and out, the session, one's own password, and
// the accounts an admin manages. Under /api/auth and /api/accounts.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCOUNT_ROLES, AccountInputSchema, LOGIN_NAME_PATTERN, actorOf, auditActorOf, viewOf, type Account, type AccountRole } from '../../core/accounts.ts';
import type { Clock } from '../../core/domain.ts';
import { DISTRICT_CODE, scopeOf } from '../../core/org.ts';
import { SESSION_COOKIE } from '../plugins/auth.ts';
import type { AuthResult } from './service.ts';
import { Ok, replies, sendFailure, sendResult } from '../http-errors.ts';
import { AccountViewSchema as AccountView, CreatedAccountSchema, OneTimePasswordSchema, SessionSchema, SignedInSchema as Session } from '../schemas/accounts.ts';

/** Sign-in attempts per client address per minute, on top of the per-account lockout. */
const SIGN_INS_PER_MINUTE = 20;

export interface AuthRoutesOptions {
  clock: Clock;
  cookieSecure: boolean;
}

export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const send = <T>(reply: FastifyReply, r: AuthResult<T>) => sendResult(reply, r);
  // The sign-in limit is @fastify/rate-limit's (plugins/limits.ts registers it); without it the route would be unlimited.
  if (!fastify.hasDecorator('rateLimit')) throw new Error('auth routes need @fastify/rate-limit registered first (linkage-limits)');
  /** Every sign-in, sign-out and account change goes to the audit log (as the admin or the account that did it). */
  // The audit log names an account by its real role (an admin acts as a display elsewhere).
  const audit = (req: FastifyRequest, action: string, subject: string, after?: unknown, account: Account | null = req.signedIn?.account ?? null) =>
    app.audit.record({ action, actor: account && auditActorOf(account), scope: account ? scopeOf(actorOf(account)) : DISTRICT_CODE, subject, ...(after === undefined ? {} : { after }) });
  const admin = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.signedIn) return sendFailure(reply, 'UNAUTHORIZED', 'sign in first');
    if (req.signedIn.account.role !== 'admin') return sendFailure(reply, 'FORBIDDEN', 'only an admin manages accounts');
  };

  app.post('/auth/login', {
    config: {
      read: 'public',
      // Per address, whatever the API limit (even when that is off), answered like every refusal.
      rateLimit: {
        max: SIGN_INS_PER_MINUTE,
        timeWindow: 60_000,
        allowList: () => false,
        keyGenerator: (req) => `sign-in:${req.ip}`,
        errorResponseBuilder: () => ({ statusCode: 429, ok: false, code: 'RATE_LIMITED', message: `more than ${SIGN_INS_PER_MINUTE} sign-in attempts a minute from this address: wait a minute` }),
      },
    },
    schema: { summary: 'Sign in: sets the httpOnly session cookie', tags: ['auth'], body: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }), response: replies(Ok(Session)) },
  }, async (req, reply) => {
    const r = await app.auth.signIn(req.body.id, req.body.password, req.ip);
    if (!r.ok) {
      // The reason (unknown name, disabled, ...) is the admin's to read in the audit log, never the caller's.
      await audit(req, 'auth:login-failed', req.body.id, { ip: req.ip, reason: r.reason ?? r.message }, null);
      return sendFailure(reply, r.code, r.message);
    }
    const { token, signedIn } = r.data;
    await audit(req, 'auth:login', signedIn.account.id, { ip: req.ip, role: signedIn.account.role }, signedIn.account);
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: opts.cookieSecure, path: '/', expires: new Date(signedIn.expiresAt) });
    return { ok: true as const, data: { account: viewOf(signedIn.account, opts.clock.now()), actor: signedIn.actor, expiresAt: signedIn.expiresAt } };
  });

  app.post('/auth/logout', { config: { read: 'self' }, schema: { summary: 'Sign out: ends this session', tags: ['auth'], response: replies(Ok(Type.Null())) } }, async (req, reply) => {
    if (req.signedIn) await audit(req, 'auth:logout', req.signedIn.account.id);
    await app.auth.signOut(req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const, data: null };
  });

  app.get('/auth/session', { config: { read: 'public' }, schema: { summary: 'Who this browser is signed in as (account null when nobody), and whether signing in is required', tags: ['auth'], response: replies(Ok(SessionSchema)) } }, async (req) => {
    const s = req.signedIn;
    return { ok: true as const, data: { mode: app.authMode, account: s ? viewOf(s.account, opts.clock.now()) : null, actor: s?.actor ?? null, expiresAt: s?.expiresAt ?? null } };
  });

  app.post('/auth/password', {
    config: { read: 'self' },
    schema: { summary: 'Change one\'s own password', tags: ['auth'], body: Type.Object({ current: Type.String({ maxLength: 200 }), next: Type.String({ maxLength: 200 }) }, { additionalProperties: false }), response: replies(Ok(Type.Null())) },
  }, async (req, reply) => {
    if (!req.signedIn) return sendFailure(reply, 'UNAUTHORIZED', 'sign in first');
    const r = await app.auth.changePassword(req.signedIn.account.id, req.body.current, req.body.next);
    if (r.ok) await audit(req, 'auth:password-change', req.signedIn.account.id);
    return send(reply, r);
  });

  app.get('/accounts', { config: { read: 'admin' }, preHandler: admin, schema: { summary: 'Every account (admin)', tags: ['auth'], response: replies(Ok(Type.Array(AccountView))) } }, async () => ({ ok: true as const, data: await app.auth.list() }));

  app.post('/accounts', { config: { read: 'admin' }, preHandler: admin, schema: { summary: 'Create an account (admin); without a password a one-time password is returned once', tags: ['auth'], body: AccountInputSchema, response: replies(Ok(CreatedAccountSchema)) } }, async (req, reply) => {
    const r = await app.auth.create(req.body);
    if (r.ok) await audit(req, 'account:create', r.data.account.id, { role: r.data.account.role, org: r.data.account.org, name: r.data.account.name });
    return send(reply, r);
  });

  const Id = Type.Object({ id: Type.String({ pattern: LOGIN_NAME_PATTERN }) });
  app.patch('/accounts/:id', {
    config: { read: 'admin' },
    preHandler: admin,
    schema: {
      summary: 'Change an account (admin): name, role, area, disabled. Disabling or a new role/area signs it out everywhere',
      tags: ['auth'],
      params: Id,
      response: replies(Ok(AccountView)),
      body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })), role: Type.Optional(Type.Union(ACCOUNT_ROLES.map((r) => Type.Literal(r)))), org: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })), disabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    if (req.params.id === req.signedIn!.account.id && (req.body.disabled || (req.body.role && req.body.role !== 'admin'))) {
      return sendFailure(reply, 'BAD_REQUEST', 'an admin cannot disable or demote their own account');
    }
    const before = (await app.auth.list()).find((a) => a.id === req.params.id);
    const r = await app.auth.update(req.params.id, { ...req.body, role: req.body.role as AccountRole | undefined });
    if (r.ok) await app.audit.record({ action: 'account:update', actor: auditActorOf(req.signedIn!.account), scope: DISTRICT_CODE, subject: r.data.id, before: before && { name: before.name, role: before.role, org: before.org, disabled: before.disabled }, after: { name: r.data.name, role: r.data.role, org: r.data.org, disabled: r.data.disabled } });
    return send(reply, r);
  });

  app.post('/accounts/:id/reset-password', { config: { read: 'admin' }, preHandler: admin, schema: { summary: 'A new one-time password (admin), returned once; signs the account out everywhere', tags: ['auth'], params: Id, response: replies(Ok(OneTimePasswordSchema)) } }, async (req, reply) => {
    const r = await app.auth.resetPassword(req.params.id);
    if (r.ok) await audit(req, 'account:reset-password', req.params.id);
    return send(reply, r);
  });

  app.post('/accounts/:id/revoke', { config: { read: 'admin' }, preHandler: admin, schema: { summary: 'Sign an account out everywhere (admin), e.g. a screen that was stolen', tags: ['auth'], params: Id, response: replies(Ok(Type.Object({ sessionsEnded: Type.Number() }))) } }, async (req) => {
    const sessionsEnded = await app.auth.revoke(req.params.id);
    await audit(req, 'account:revoke', req.params.id, { sessionsEnded });
    return { ok: true as const, data: { sessionsEnded } };
  });
};
