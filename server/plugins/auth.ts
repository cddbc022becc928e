// Infrastructure plugin: who is signed in. Every request and socket is resolved from the session
// cookie; a signed-in account is who acts (a declared actor in a body is replaced by it) and bounds
// what is read (a ?scope outside its area is refused, a missing one is set to its area). In
// 'accounts' mode the API answers nobody else; in 'declared' mode (development, browser tests) a
// screen that is not signed in may still declare who it acts as.
import fp from 'fastify-plugin';
import fastifyCookie from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../core/domain.ts';
import { DISTRICT_CODE, actorProblem, scopeOf, type Actor } from '../../core/org.ts';
import { AuthService, type SignedIn } from '../auth/service.ts';
import type { AccountStore } from '../auth/account-store.ts';
import { SqliteAccountStore } from '../auth/sqlite-account-store.ts';
import { PgAccountStore } from '../auth/pg-account-store.ts';
import { embedded } from './sqlite.ts';
import { sendFailure } from '../http-errors.ts';
import { areaOf, declareReadPolicy, KEYED_POLICIES, policyOf, routedPath } from '../auth/read-policy.ts';

export type AuthMode = 'accounts' | 'declared';
export const SESSION_COOKIE = 'linkage_session';

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthService;
    authMode: AuthMode;
  }
  interface FastifyRequest {
    signedIn: SignedIn | null;
    /**
     * Who acts, on a route that declares `config.acts`: the signed-in account's actor; in declared
     * mode, when nobody is signed in, the body's `actor` (checked by the route's schema, then here).
     */
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** The route acts on someone's behalf: request.actor is set before its handler, or it is refused. */
    acts?: boolean;
  }
}

export interface AuthPluginOptions {
  clock: Clock;
  mode: AuthMode;
  cookieSecure: boolean;
  /** The cluster's PostgreSQL: accounts and sessions there, shared by every node; else SQLite. */
  databaseUrl: string | null;
}

/** Open without a session: routes declared public (liveness, signing in) or keyed (gateways, the city feed). Unknown API paths are not. */
const needsSession = (req: FastifyRequest) => {
  const read = policyOf(req);
  return routedPath(req).startsWith('/api/') && read !== 'public' && !KEYED_POLICIES.has(read);
};

export const authPlugin = fp<AuthPluginOptions>(
  async (app, opts) => {
    await app.register(fastifyCookie);
    const store: AccountStore = opts.databaseUrl
      ? await PgAccountStore.open(opts.databaseUrl)
      : new SqliteAccountStore({ db: embedded(app.sqlite) });
    const service = new AuthService(store, opts.clock, app.store);
    const first = await service.ensureAdmin().catch(async (error: unknown) => {
      await store.close();
      throw error;
    });
    if (first) {
      // The only time this password is shown: nothing else keeps it in clear.
      app.log.warn({ login: first.id }, 'first start: an admin account was created with a one-time password (printed on stdout); sign in and choose a new one');
      process.stdout.write(`\n  First start — admin sign-in: ${first.id} / ${first.password}   (one-time password: change it at first sign-in)\n\n`);
    }
    app.decorate('auth', service);
    app.decorate('authMode', opts.mode);
    app.decorateRequest('signedIn', null);
    app.decorateRequest('actor', null);
    app.decorateRequest('area', DISTRICT_CODE);
    // Every API route declares what it lets a reader see; a route without a policy stops the start.
    app.addHook('onRoute', declareReadPolicy);
    app.addHook('onRequest', async (req, reply) => {
      req.signedIn = await service.resolve(req.cookies[SESSION_COOKIE]);
      if (opts.mode === 'accounts' && !req.signedIn && needsSession(req)) {
        return sendFailure(reply, 'UNAUTHORIZED', 'sign in first');
      }
      if (req.signedIn && policyOf(req) === 'admin' && req.signedIn.account.role !== 'admin') {
        return sendFailure(reply, 'FORBIDDEN', 'only an admin may do this');
      }
    });
    app.addHook('preValidation', async (req, reply) => {
      const s = req.signedIn;
      const read = policyOf(req);
      if (read === 'public' || KEYED_POLICIES.has(read)) return;
      const area = areaOf(req.query, s ? scopeOf(s.actor) : null);
      // Not signed in (declared mode): a bad ?scope is the route's to answer, with its own wording.
      if (typeof area !== 'string') {
        if (s) return sendFailure(reply, 'FORBIDDEN', area.error);
        return;
      }
      req.area = area;
      if (!s) return;
      req.actor = s.actor;
      const body = req.body as Record<string, unknown> | null;
      if (body && typeof body === 'object' && !Array.isArray(body) && 'actor' in body) body.actor = s.actor;
      // Routes that read ?scope themselves see the confined area there too.
      const q = req.query as Record<string, unknown> | undefined;
      if (q && typeof q === 'object' && area !== DISTRICT_CODE) q.scope = area;
    });
    // After the schema: a route that acts needs someone to act as. Signed in, that is the account
    // (set above); in declared mode the body names it, and nobody may act as the system.
    app.addHook('preHandler', async (req, reply) => {
      if (!req.routeOptions.config?.acts || req.actor) return;
      const refuse = (message: string) => sendFailure(reply, 'INVALID_COMMAND', message);
      const declared = (req.body as { actor?: Actor } | null)?.actor;
      if (!declared) return refuse(opts.mode === 'declared' ? 'actor: sign in, or name who acts in the body\'s actor' : 'sign in first');
      if (declared.role === 'system') return refuse('actor: nobody may act as the system');
      const problem = actorProblem(declared);
      if (problem) return refuse(`actor: ${problem}`);
      req.actor = declared;
    });
    const sweep = setInterval(() => service.sweep().catch((err: unknown) => app.log.warn({ err }, 'expired sessions not swept')), 3_600_000);
    sweep.unref();
    app.addHook('onClose', async () => {
      clearInterval(sweep);
      await store.close();
    });
  },
  { name: 'linkage-auth', dependencies: ['linkage-sqlite', 'linkage-store'] },
);
