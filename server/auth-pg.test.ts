// Accounts in a cluster: two servers on one private PostgreSQL (accounts, sessions and the event log
// shared). One first-start admin across concurrent starts, a session opened on one node valid on the
// other (HTTP and socket), and a revocation on one node closing the account's sockets on both.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { decodeSnapshot, type ClientToServerEvents, type ServerToClientEvents, type Snapshot } from '../core/protocol.ts';
import { startPgTestServer, type PgTestServer } from './store/pg-test-server.ts';
import { startTestServer, type TestServer } from './test-support.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let pgServer: PgTestServer;
const servers: TestServer[] = [];
const sockets: Client[] = [];

beforeAll(async () => {
  pgServer = await startPgTestServer({ fsync: false });
}, 120_000);
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  vi.restoreAllMocks();
});
afterAll(async () => {
  await pgServer?.stop();
});

/** Starts `n` nodes at once on one database; returns them and everything they printed. */
async function startNodes(n: number, databaseUrl: string): Promise<{ nodes: TestServer[]; printed: string }> {
  let printed = '';
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    printed += String(chunk);
    return write(chunk as never, ...(rest as []));
  });
  const started = await Promise.allSettled(Array.from({ length: n }, () => startTestServer({ config: { authMode: 'accounts', databaseUrl } })));
  vi.restoreAllMocks();
  const nodes = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  servers.push(...nodes);
  for (const r of started) if (r.status === 'rejected') throw r.reason;
  return { nodes, printed };
}

async function call(s: TestServer, method: string, path: string, body?: unknown, cookie?: string): Promise<{ status: number; body: any; setCookie: string | null }> {
  const res = await fetch(s.url + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json(), setCookie: res.headers.get('set-cookie') };
}

async function signIn(s: TestServer, id: string, password: string): Promise<string> {
  const r = await call(s, 'POST', '/api/auth/login', { id, password });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.setCookie!.split(';')[0];
}

function socketAs(s: TestServer, cookie: string): Promise<{ client: Client; snapshot: Snapshot }> {
  return new Promise((resolve, reject) => {
    const client: Client = connect(s.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
    sockets.push(client);
    client.once('snapshot:sent', (w) => resolve({ client, snapshot: decodeSnapshot(w) }));
    client.once('connect_error', reject);
  });
}

/** The reason of the socket's next disconnect, or a rejection after `ms`. */
function disconnected(client: Client, ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket not disconnected within ${ms} ms`)), ms);
    client.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

const auditActions = async (s: TestServer, cookie: string, action: string) =>
  ((await call(s, 'GET', `/api/audit?action=${action}&limit=50`, undefined, cookie)).body.data.entries as Array<{ subject: string }>).map((e) => e.subject);

describe('accounts on a shared PostgreSQL', () => {
  it('two nodes starting at once on an empty database print one admin; a session of either node is valid on the other; revoking on one cuts the sockets on both', async () => {
    const databaseUrl = await pgServer.createDatabase('auth_two_nodes');
    const { nodes: [a, b], printed } = await startNodes(2, databaseUrl);
    const passwords = [...printed.matchAll(/admin \/ (\S+)/g)].map((m) => m[1]);
    expect(passwords, printed).toHaveLength(1);

    // Signed in on B, the admin manages accounts on A.
    const admin = await signIn(b, 'admin', passwords[0]);
    const created = await call(a, 'POST', '/api/accounts', { id: 'wall-dk', name: '德宽路大屏', role: 'display', org: '340803001', password: 'wall screen 2026' }, admin);
    expect(created.status, JSON.stringify(created.body)).toBe(200);

    // A session opened on A is valid on B, over HTTP and over the socket.
    const wall = await signIn(a, 'wall-dk', 'wall screen 2026');
    expect((await call(b, 'GET', '/api/auth/session', undefined, wall)).body.data.account).toMatchObject({ id: 'wall-dk', role: 'display' });
    expect((await call(b, 'GET', '/api/cases', undefined, wall)).status).toBe(200);
    const onB = await socketAs(b, wall);
    expect(onB.snapshot.session).toMatchObject({ actor: { id: 'wall-dk', role: 'display' }, scope: '340803001' });
    const onA = await socketAs(a, wall);

    // Revoked on A: the socket on B is closed too, as the logged revocation reaches B.
    const closedB = disconnected(onB.client);
    const closedA = disconnected(onA.client);
    const revoked = await call(a, 'POST', '/api/accounts/wall-dk/revoke', undefined, admin);
    expect(revoked.body).toMatchObject({ ok: true, data: { sessionsEnded: 1 } });
    expect(await closedB).toBe('io server disconnect');
    expect(await closedA).toBe('io server disconnect');
    expect((await call(b, 'GET', '/api/cases', undefined, wall)).status).toBe(401);
    await expect(socketAs(b, wall)).rejects.toThrow(/UNAUTHORIZED/);
    expect(await b.app.store.readOfType('auth:', 10)).toMatchObject([{ type: 'auth:revoked', subject: 'wall-dk', data: { accountId: 'wall-dk', reason: 'revoked' } }]);

    // The other way round: disabled on B, the new session's socket on A is closed.
    const again = await signIn(b, 'wall-dk', 'wall screen 2026');
    const second = await socketAs(a, again);
    const closed = disconnected(second.client);
    expect((await call(b, 'PATCH', '/api/accounts/wall-dk', { disabled: true }, admin)).body).toMatchObject({ ok: true, data: { disabled: true } });
    expect(await closed).toBe('io server disconnect');
    expect((await call(a, 'GET', '/api/auth/session', undefined, again)).body.data.account).toBeNull();

    // Audited once, by the route that acted (not again as the event reaches each node); the
    // revocation events themselves are not audited.
    expect(await auditActions(a, admin, 'account:revoke')).toEqual(['wall-dk']);
    for (const s of [a, b]) expect(await auditActions(s, admin, 'auth:revoked')).toEqual([]);
  });
});
