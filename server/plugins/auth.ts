// Infrastructure plugin: who is signed in. Every request and socket is resolved from the session
// cookie; a signed-in account is who acts (a declared actor in a body is replaced by it) and bounds
// what is read (a ?scope outside its area is refused, a missing one is set to its area). In
// 'accounts' mode the API answers nobody else; in 'declared' mode (development, browser tests) a
// screen that is not signed in may still declare who it acts as.
import fp from 'fastify-plugin';
import fastifyCookie from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../core/domain.ts';
import { DISTRICT_CODE, scopeOf } from '../../core/org.ts';
import { AuthService, type SignedIn } from '../auth/service.ts';
import { SqliteAccountStore } from '../auth/sqlite-account-store.ts';
import { storeFile } from './store.ts';

export type AuthMode = 'accounts' | 'declared';
export const SESSION_COOKIE = 'linkage_session';

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthService;
    authMode: AuthMode;
  }
  interface FastifyRequest {
    signedIn: SignedIn | null;
  }
}

export interface AuthPluginOptions {
  clock: Clock;
  dataDir: string;
  synchronous: 'FULL' | 'NORMAL';
  mode: AuthMode;
  cookieSecure: boolean;
}

/** API paths open without a session: liveness, signing in, and device ingest (gateway keys). */
const OPEN = [/^\/api\/health(\?|$)/, /^\/api\/auth\/(login|session)(\?|$)/, /^\/api\/ingest\//, /^\/api\/docs/];
const needsSession = (url: string) => url.startsWith('/api/') && !OPEN.some((re) => re.test(url));

export const authPlugin = fp<AuthPluginOptions>(
  async (app, opts) => {
    await app.register(fastifyCookie);
    const store = new SqliteAccountStore(storeFile(opts.dataDir), opts.synchronous);
    const service = new AuthService(store, opts.clock);
    const first = await service.ensureAdmin();
    if (first) {
      // The only time this password is shown: nothing else keeps it in clear.
      app.log.warn({ login: first.id }, 'first start: an admin account was created with a one-time password (printed on stdout); sign in and choose a new one');
      process.stdout.write(`\n  First start — admin sign-in: ${first.id} / ${first.password}   (one-time password: change it at first sign-in)\n\n`);
    }
    app.decorate('auth', service);
    app.decorate('authMode', opts.mode);
    app.decorateRequest('signedIn', null);
    app.addHook('onRequest', async (req, reply) => {
      req.signedIn = service.resolve(req.cookies[SESSION_COOKIE]);
      if (opts.mode === 'accounts' && !req.signedIn && needsSession(req.url)) {
        return reply.code(401).send({ ok: false, code: 'UNAUTHORIZED', message: 'sign in first' });
      }
    });
    app.addHook('preValidation', async (req, reply) => {
      const s = req.signedIn;
      if (!s || req.url.startsWith('/api/ingest/')) return;
      const body = req.body as Record<string, unknown> | null;
      if (body && typeof body === 'object' && !Array.isArray(body) && 'actor' in body) body.actor = s.actor;
      const problem = confine(req, scopeOf(s.actor));
      if (problem) return reply.code(403).send({ ok: false, code: 'FORBIDDEN', message: problem });
    });
    const sweep = setInterval(() => service.sweep(), 3_600_000);
    sweep.unref();
    app.addHook('onClose', async () => {
      clearInterval(sweep);
      store.close();
    });
  },
  { name: 'linkage-auth', dependencies: ['linkage-store'] },
);

/** A read of an account is confined to its area; returns why not, or null. */
function confine(req: FastifyRequest, own: string): string | null {
  const q = req.query as Record<string, unknown> | undefined;
  if (!q || typeof q !== 'object') return null;
  if (typeof q.scope === 'string') return q.scope.startsWith(own) ? null : `scope ${q.scope} is outside your area (${own})`;
  if (own !== DISTRICT_CODE) q.scope = own;
  return null;
}
