// Rate limits (@fastify/rate-limit, in memory; a Redis store can follow when there are several
// nodes). Device ingest is counted per gateway key, everything else per signed-in account or, for
// a screen that is not signed in, per address. 0 turns a limit off. Socket commands are limited per
// connection in server/realtime/command-limit.ts.
import fp from 'fastify-plugin';
import { routedPath } from '../auth/read-policy.ts';
import rateLimit from '@fastify/rate-limit';

export interface LimitsOptions {
  /** Requests per minute per account (or address) on the API; 0 = no limit. */
  apiPerMinute: number;
  /** Ingest requests per minute per gateway key; 0 = no limit. */
  ingestPerMinute: number;
}

const isIngest = (url: string) => url.startsWith('/api/ingest/');

export const limitsPlugin = fp<LimitsOptions>(
  async (app, opts) => {
    // Registered even with both limits off: routes may set a limit of their own (signing in, auth/routes.ts).
    await app.register(rateLimit, {
      global: opts.apiPerMinute > 0 || opts.ingestPerMinute > 0,
      timeWindow: 60_000,
      // Only the API is limited: the dashboard's files and the dataset are static and cached.
      allowList: (req) => !routedPath(req).startsWith('/api/') || routedPath(req).startsWith('/api/health') || (isIngest(routedPath(req)) ? opts.ingestPerMinute <= 0 : opts.apiPerMinute <= 0),
      max: (req) => (isIngest(routedPath(req)) ? opts.ingestPerMinute : opts.apiPerMinute),
      keyGenerator: (req) => {
        if (isIngest(routedPath(req))) return `gateway:${String(req.headers['x-gateway-key'] ?? req.ip)}`;
        return req.signedIn ? `account:${req.signedIn.account.id}` : `ip:${req.ip}`;
      },
      errorResponseBuilder: (_req, ctx) => ({
        statusCode: 429,
        ok: false,
        code: 'RATE_LIMITED',
        message: `more than ${ctx.max} requests a minute: try again in ${Math.ceil(ctx.ttl / 1000)} s`,
      }),
    });
  },
  { name: 'linkage-limits', dependencies: ['linkage-auth'] },
);
