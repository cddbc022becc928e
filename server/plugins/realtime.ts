// Infrastructure plugin: Socket.IO on the Fastify HTTP server and the realtime hub.
// Scaling out later: add the Redis Streams adapter here (io.adapter(...)); nothing else changes.
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import type { Clock } from '../../core/domain.ts';
import { RealtimeHub, type LinkageServer } from '../realtime/hub.ts';
import { SocketHandlers } from '../realtime/handlers/index.ts';
import { caseHandlers } from '../realtime/handlers/cases.ts';
import { snapshotHandlers } from '../realtime/handlers/snapshot.ts';
import fastifyCookie from '@fastify/cookie';
import { sessionForAccount, sessionFromAuth } from '../realtime/session.ts';
import { SESSION_COOKIE } from './auth.ts';
import { REVOKED_EVENT, type Revoked, type SignedIn } from '../auth/service.ts';
import { watchBackpressure } from '../realtime/backpressure.ts';
import { crossSiteProblem, ownOrigins } from '../security/origin.ts';
import { FEEDS, type Feed } from '../../core/protocol.ts';

declare module 'fastify' {
  interface FastifyInstance {
    io: LinkageServer;
    hub: RealtimeHub;
    /** Where each bounded context adds its socket handlers (server/realtime/handlers). */
    socketHandlers: SocketHandlers;
  }
}

export const realtimePlugin = fp<{ tickMs: number; clock: Clock; commandsPerSecond: number; allowedOrigins: string[] }>(
  async (app, opts) => {
    const io: LinkageServer = new Server(app.server, {
      serveClient: false,
      maxHttpBufferSize: 64 * 1024,
      pingInterval: 10_000,
      pingTimeout: 10_000,
      // A page of another origin must not open a socket with this browser's session cookie.
      allowRequest: (req, callback) => {
        const encrypted = 'encrypted' in req.socket && req.socket.encrypted === true;
        const problem = crossSiteProblem(req.headers, ownOrigins(req.headers, opts.allowedOrigins, encrypted));
        if (problem) app.log.warn({ origin: req.headers.origin }, 'socket handshake refused: cross-site');
        callback(problem, problem === null);
      },
    });
    const hub = new RealtimeHub(io, app.projector, opts.clock, { tickMs: opts.tickMs, heartbeatMs: 1000, kpiEveryMs: 250, moveEveryMs: 250 }, app.sla.calendar.config);
    const socketHandlers = new SocketHandlers({ now: () => opts.clock.now(), commandsPerSecond: opts.commandsPerSecond });
    socketHandlers.add(caseHandlers({ cases: app.caseService, whistles: app.whistleService, alarms: app.alarmService, projector: app.projector, clock: opts.clock }));
    socketHandlers.add(snapshotHandlers(hub));
    // Revocations seen by this node, numbered: a handshake whose session was read just before its
    // account was revoked (the event arriving while it resolved) is refused, not left open.
    let revocations = 0;
    const revokedAt = new Map<string, number>();
    // Sessions that end (disabled, revoked, new role) close the account's sockets on every node:
    // the revocation is logged (AuthService.revoke) and each node reads it here.
    const unsubscribe = app.store.onCommit((events) => {
      for (const e of events) {
        if (e.type !== REVOKED_EVENT) continue;
        const accountId = (e.data as Revoked | null)?.accountId;
        if (typeof accountId !== 'string') continue;
        revokedAt.set(accountId, ++revocations);
        for (const socket of io.of('/').sockets.values()) if (socket.data.accountId === accountId) socket.disconnect(true);
      }
    });
    // Who the connection acts as, and its area; a malformed identity is refused with the reason (connect_error).
    io.use(async (socket, next) => {
      const before = revocations;
      let found: SignedIn | null;
      try {
        found = await app.auth.resolve(fastifyCookie.parse(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE]);
      } catch (error) {
        app.log.error({ err: error }, 'socket handshake: session not resolved');
        return next(new Error('UNAVAILABLE: sessions cannot be read now, try again'));
      }
      const signedIn = found && (revokedAt.get(found.account.id) ?? 0) <= before ? found : null;
      socket.data.revocationsSeen = before;
      // A signed-in browser is its account; otherwise, only where allowed, the identity it declares.
      const session = signedIn
        ? sessionForAccount(signedIn.actor, socket.handshake.auth)
        : app.authMode === 'accounts'
          ? { error: 'UNAUTHORIZED: sign in first' }
          : sessionFromAuth(socket.handshake.auth);
      if ('error' in session) return next(new Error(session.error));
      const feed = (socket.handshake.auth as { feed?: unknown } | undefined)?.feed;
      if (feed !== undefined && !FEEDS.includes(feed as Feed)) return next(new Error(`feed "${String(feed)}" is not one of ${FEEDS.join(', ')}`));
      socket.data.session = session;
      socket.data.feed = (feed as Feed | undefined) ?? 'all';
      socket.data.accountId = signedIn?.account.id;
      next();
    });
    io.on('connection', (socket) => {
      // Revoked after the handshake read the session but before the socket joined the list the
      // revocation walks (socket.io adds it a tick after next()): cut here.
      const accountId = socket.data.accountId;
      if (accountId && (revokedAt.get(accountId) ?? 0) > (socket.data.revocationsSeen ?? 0)) {
        socket.disconnect(true);
        return;
      }
      // Every command this connection may send, checked and rate-limited (the one place handlers are bound).
      socketHandlers.bind(socket);
      hub.attach(socket);
    });
    app.decorate('io', io);
    app.decorate('socketHandlers', socketHandlers);
    app.decorate('hub', hub);
    // Slow consumers are cut (they resync by snapshot on reconnect) so their queues stay bounded.
    let stopWatch: (() => void) | null = null;
    app.addHook('onReady', async () => {
      hub.start();
      stopWatch = watchBackpressure(io, undefined, (msg) => app.log.warn(msg));
    });
    // Fastify closes the HTTP server itself; here only the sockets and the engine are ended.
    app.addHook('preClose', async () => {
      unsubscribe();
      hub.close();
      stopWatch?.();
      io.local.disconnectSockets(true);
      io.engine.close();
    });
  },
  { name: 'linkage-realtime', dependencies: ['linkage-projections', 'linkage-cases', 'linkage-auth', 'linkage-calendar'] },
);
