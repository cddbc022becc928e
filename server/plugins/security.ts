// Security headers (@fastify/helmet) with a Content-Security-Policy the dashboard satisfies: its own
// scripts only, no eval; blob: for the map's workers and the video player's media; the media
// server's origin (VIDEO_URL_TEMPLATE / VIDEO_STREAMS_FILE) for the streams. The browser tests
// collect every CSP violation and fail on one.
import fp from 'fastify-plugin';
import { routedPath } from '../auth/read-policy.ts';
import helmet from '@fastify/helmet';
import { crossSiteProblem, ownOrigins } from '../security/origin.ts';
import { sendFailure } from '../http-errors.ts';

export interface SecurityOptions {
  /** Origins the video wall plays streams from (http://host:port), beside this server. */
  mediaOrigins: string[];
  /** Origins beside this server's own that may change state (a reverse proxy's public name): ALLOWED_ORIGINS. */
  allowedOrigins: string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Device ingest authenticates by gateway key, never by cookie: a browser's origin means nothing there. */
const changesStateByCookie = (method: string, url: string) => !SAFE_METHODS.has(method) && url.startsWith('/api/') && !url.startsWith('/api/ingest/');

/** The origins of the stream URLs a deployment configured (a template or a file of URLs). */
export function mediaOriginsOf(template: string | null | undefined, streams: Record<string, string> | undefined): string[] {
  const origins = new Set<string>();
  for (const u of [template ?? '', ...Object.values(streams ?? {})]) {
    try {
      if (u) origins.add(new URL(u.replace(/\{[a-z]+\}/g, 'x')).origin);
    } catch {
      // not a URL: the video routes report it
    }
  }
  return [...origins];
}

export const securityPlugin = fp<SecurityOptions>(
  async (app, opts) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // React style props, ECharts and MapLibre set inline styles on elements.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'", ...opts.mediaOrigins],
          mediaSrc: ["'self'", 'blob:', ...opts.mediaOrigins],
          workerSrc: ["'self'", 'blob:'],
          childSrc: ["'self'", 'blob:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // The dashboard is served over plain HTTP on the room's LAN: HSTS would only pin a name to HTTPS it may not have.
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
    });
    app.addHook('onRequest', async (req, reply) => {
      if (!changesStateByCookie(req.method, routedPath(req))) return;
      const problem = crossSiteProblem(req.headers, ownOrigins(req.headers, opts.allowedOrigins, req.protocol === 'https'));
      if (problem) return sendFailure(reply, 'FORBIDDEN', problem);
    });
  },
  { name: 'linkage-security' },
);
