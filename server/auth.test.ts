// Accounts over real HTTP and socket.io-client against a temporary SQLite file, with signing in
// required (AUTH_MODE=accounts): the first start's one-time admin, who may read and do what, the
// account acting whatever a body declares, lockout, a display screen's sign-in and its revocation.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { request } from 'node:http';
import { io as connect, type Socket } from 'socket.io-client';
import { decodeSnapshot, type ClientToServerEvents, type ServerToClientEvents, type Snapshot } from '../core/protocol.ts';
import { startTestServer, TEST_KEY, type TestServer } from './test-support.ts';

const MONDAY_9 = Date.UTC(2026, 10, 23, 1, 0);
let t = MONDAY_9;
const clock = { now: () => t };
let server: TestServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
});

/** Starts the server in accounts mode and returns the one-time admin password it printed. */
async function start(dataDir?: string): Promise<{ s: TestServer; printed: string }> {
  let printed = '';
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    printed += String(chunk);
    return write(chunk as never, ...(rest as []));
  });
  const s = await startTestServer({ clock, ...(dataDir ? { dataDir } : {}), config: { authMode: 'accounts' } });
  vi.restoreAllMocks();
  server = s;
  return { s, printed };
}

async function call(s: TestServer, method: string, path: string, body?: unknown, cookie?: string) {
  const res = await fetch(s.url + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any, setCookie: res.headers.get('set-cookie') };
}

type Answer = { status: number; body: any };

/** A sign-in sent from a given loopback address (127.0.0.0/8 all reach the server on 127.0.0.1). */
function loginFrom(s: TestServer, localAddress: string, id: string, password: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ id, password });
    const req = request(s.url + '/api/auth/login', { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function signIn(s: TestServer, id: string, password: string): Promise<string> {
  const r = await call(s, 'POST', '/api/auth/login', { id, password });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.setCookie).toMatch(/linkage_session=[^;]+;.*HttpOnly/i);
  expect(r.setCookie).toMatch(/SameSite=Strict/i);
  return r.setCookie!.split(';')[0];
}

function socketAs(s: TestServer, cookie: string | null, auth: Record<string, unknown> = {}): Promise<{ client: Socket<ServerToClientEvents, ClientToServerEvents>; snapshot: Snapshot }> {
  return new Promise((resolve, reject) => {
    const client: Socket<ServerToClientEvents, ClientToServerEvents> = connect(s.url, { transports: ['websocket'], reconnection: false, auth, ...(cookie ? { extraHeaders: { cookie } } : {}) });
    sockets.push(client);
    client.once('snapshot:sent', (w) => resolve({ client, snapshot: decodeSnapshot(w) }));
    client.once('connect_error', reject);
  });
}

const report = (id: string, lon: number) => ({ id, source: 'citizen', eventClass: '0102', title: `案件${id}`, urgency: 'normal', lon, lat: 30.5, reportedAt: t });

describe('accounts', () => {
  it('a first start prints a one-time admin password; nothing but health and device ingest answers before signing in', async () => {
    const { s, printed } = await start();
    const password = /admin \/ (\S+)/.exec(printed)?.[1];
    expect(password, printed).toBeTruthy();
    expect((await call(s, 'GET', '/api/health')).status).toBe(200);
    expect(await call(s, 'GET', '/api/cases')).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED', message: 'sign in first' } });
    expect((await call(s, 'GET', '/api/duty/now')).status).toBe(401);
    // The router percent-decodes the path: an encoded /api/ is the same route and needs the same session.
    expect((await call(s, 'GET', '/%61pi/cases')).status).toBe(401);
    expect((await call(s, 'GET', '/%61%70%69/duty/now')).status).toBe(401);
    expect((await call(s, 'POST', '/%61pi/cases/K-0/commands', { actor: { id: 'd1', name: 'x', role: 'dispatcher', org: '340803' }, command: { type: 'file' } })).status).toBe(401);
    await expect(socketAs(s, null)).rejects.toThrow(/UNAUTHORIZED/);
    // Devices have their own credentials, never a user's: the gateway key still ingests, a session cookie does not.
    expect((await s.post('/api/ingest/cases', { records: [report('K-1', 117.01)] })).status).toBe(200);
    expect((await s.post('/api/ingest/cases', { records: [report('K-2', 117.01)] }, 'not-a-key')).status).toBe(401);

    expect(await call(s, 'POST', '/api/auth/login', { id: 'admin', password: 'wrong password' })).toMatchObject({ status: 401, body: { message: 'wrong login name or password' } });
    expect(await call(s, 'POST', '/api/auth/login', { id: 'nobody', password: 'wrong password' })).toMatchObject({ status: 401, body: { message: 'wrong login name or password' } });
    const admin = await signIn(s, 'admin', password!);
    expect((await call(s, 'GET', '/api/auth/session', undefined, admin)).body.data).toMatchObject({ mode: 'accounts', account: { id: 'admin', role: 'admin', mustChangePassword: true } });
    expect((await call(s, 'POST', '/api/auth/password', { current: password, next: 'short' }, admin)).body.message).toMatch(/at least 10/);
    expect((await call(s, 'POST', '/api/auth/password', { current: password, next: 'a much better passphrase' }, admin)).status).toBe(200);
    expect((await call(s, 'GET', '/api/auth/session', undefined, admin)).body.data.account.mustChangePassword).toBe(false);
    // A restart keeps the accounts and creates no second admin.
    const dir = s.dataDir;
    await s.close(false);
    const again = await start(dir);
    expect(again.printed).not.toMatch(/First start/);
    await signIn(again.s, 'admin', 'a much better passphrase');
  });

  it('the signed-in account acts and reads only within its area, whatever a request declares; an admin alone manages accounts', async () => {
    const { s, printed } = await start();
    const admin = await signIn(s, 'admin', /admin \/ (\S+)/.exec(printed)![1]);
    const created = await call(s, 'POST', '/api/accounts', { id: 'op-dk', name: '德宽路坐席', role: 'township-operator', org: '340803001' }, admin);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const oneTime = created.body.data.oneTimePassword as string;
    expect(oneTime).toHaveLength(16);
    expect((await call(s, 'POST', '/api/accounts', { id: 'op-dk', name: 'x', role: 'dispatcher', org: '340803' }, admin)).status).toBe(409);
    expect((await call(s, 'POST', '/api/accounts', { id: 'bad', name: 'x', role: 'township-operator', org: '340803' }, admin)).body.message).toMatch(/township/);
    expect((await call(s, 'POST', '/api/accounts', { id: 'd1', name: '派遣员', role: 'dispatcher', org: '340803', password: 'dispatch desk one' }, admin)).status).toBe(200);

    expect((await s.post('/api/ingest/cases', { records: [report('WEST-1', 117.01), report('EAST-1', 117.08)] })).status).toBe(200);
    const op = await signIn(s, 'op-dk', oneTime);
    expect((await call(s, 'GET', '/api/accounts', undefined, op)).status).toBe(403);
    // Reads default to the account's area; another area is refused.
    const own = await call(s, 'GET', '/api/cases?open=1', undefined, op);
    expect(own.body.data.map((c: { id: string }) => c.id)).toEqual(['WEST-1']);
    expect((await call(s, 'GET', '/api/cases?scope=340803002', undefined, op)).status).toBe(403);
    // The body claims to be the district dispatcher: the township operator acts (and may file its own case).
    const dispatcher = { id: 'd1', name: '派遣员', role: 'dispatcher', org: '340803' };
    const filed = await call(s, 'POST', '/api/cases/WEST-1/commands', { actor: dispatcher, command: { type: 'file' } }, op);
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    const timeline = (await call(s, 'GET', '/api/cases/WEST-1', undefined, op)).body.data.timeline;
    expect(timeline.at(-1).actor).toMatchObject({ id: 'op-dk', role: 'township-operator' });
    expect((await call(s, 'POST', '/api/cases/EAST-1/commands', { actor: dispatcher, command: { type: 'file' } }, op)).status).toBe(403);
    // Over the socket: the session is the account's, a declared actor is ignored.
    const { client, snapshot } = await socketAs(s, op, { actor: dispatcher });
    expect(snapshot.session).toEqual({ actor: { id: 'op-dk', name: '德宽路坐席', role: 'township-operator', org: '340803001' }, scope: '340803001' });
    expect(snapshot.cases.map((c) => c.id)).toEqual(['WEST-1']);
    const dispatch = await client.timeout(3000).emitWithAck('case:dispatch', { caseId: 'EAST-1', unit: 'DEPT-CG' });
    expect(dispatch).toMatchObject({ ok: false });
    await expect(socketAs(s, op, { scope: '340803002' })).rejects.toThrow(/outside the area/);
    // The audit log is the admin's; it holds the sign-ins and the account made.
    expect((await call(s, 'GET', '/api/audit', undefined, op)).status).toBe(403);
    const entries = (await call(s, 'GET', '/api/audit?limit=50', undefined, admin)).body.data.entries as Array<{ action: string; subject: string; actor: { id: string } | null }>;
    expect(entries.filter((e) => e.action === 'auth:login').map((e) => e.subject).sort()).toEqual(['admin', 'op-dk']);
    expect(entries.find((e) => e.action === 'account:create' && e.subject === 'op-dk')?.actor).toMatchObject({ id: 'admin', role: 'admin' });
    expect(entries.find((e) => e.action === 'case:file' && e.subject === 'WEST-1')?.actor?.id).toBe('op-dk');
    // Signed in, a body need not name an actor at all: the account acts (request.actor).
    const reported = await call(s, 'POST', '/api/cases', { report: report('WEST-2', 117.01) }, op);
    expect(reported.status, JSON.stringify(reported.body)).toBe(200);
    expect((await call(s, 'GET', '/api/cases/WEST-2', undefined, op)).body.data.timeline.at(-1).actor).toMatchObject({ id: 'op-dk' });
  });

  it('five wrong passwords make only that name and address wait, the same for unknown names; a display screen signs in read-only and is cut off when revoked', async () => {
    const { s, printed } = await start();
    const admin = await signIn(s, 'admin', /admin \/ (\S+)/.exec(printed)![1]);
    await call(s, 'POST', '/api/accounts', { id: 'wall-dk', name: '德宽路大屏', role: 'display', org: '340803001', password: 'wall screen 2026' }, admin);
    // An attacker at 127.0.0.3 guesses at the wall screen's name and at a name that does not exist.
    const known: Answer[] = [];
    const unknown: Answer[] = [];
    for (let i = 0; i < 6; i++) {
      known.push(await loginFrom(s, '127.0.0.3', 'wall-dk', `guess number ${i}`));
      unknown.push(await loginFrom(s, '127.0.0.3', 'no-such-screen', `guess number ${i}`));
    }
    expect(known.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429]);
    // Nothing in the answers tells which name exists.
    expect(unknown).toEqual(known);
    expect(known[0].body).toEqual({ ok: false, code: 'UNAUTHORIZED', message: 'wrong login name or password' });
    expect(known[5].body.message).toMatch(/try again in 15 min/);
    // Even the right password waits from that address...
    expect((await loginFrom(s, '127.0.0.3', 'wall-dk', 'wall screen 2026')).status).toBe(429);
    // ...but the screen itself, at another address, is not kept out.
    const here = await loginFrom(s, '127.0.0.2', 'wall-dk', 'wall screen 2026');
    expect(here.status, JSON.stringify(here.body)).toBe(200);
    // The audit log tells the admin what the caller was not told.
    const failed = (await call(s, 'GET', '/api/audit?action=auth:login-failed&limit=50', undefined, admin)).body.data.entries as Array<{ subject: string; after: { reason: string } }>;
    const reasons = (subject: string) => new Set(failed.filter((e) => e.subject === subject).map((e) => e.after.reason));
    expect(reasons('no-such-screen')).toEqual(new Set(['unknown login name', 'blocked']));
    expect(reasons('wall-dk')).toEqual(new Set(['wrong password', 'blocked']));
    t += 15 * 60_000;
    const wall = await signIn(s, 'wall-dk', 'wall screen 2026');
    const session = (await call(s, 'GET', '/api/auth/session', undefined, wall)).body.data;
    expect(session.expiresAt - t).toBe(90 * 86_400_000);
    const { client, snapshot } = await socketAs(s, wall);
    expect(snapshot.session.actor.role).toBe('display');
    expect(snapshot.session.scope).toBe('340803001');
    expect(await client.timeout(3000).emitWithAck('case:report', { source: 'citizen', eventClass: '0102', title: 'x', urgency: 'normal', lon: 117.01, lat: 30.5 } as never)).toMatchObject({ ok: false });
    const closed = new Promise<string>((resolve) => client.once('disconnect', resolve));
    // Two sessions: the one signed in from 127.0.0.2 above, and this one.
    expect((await call(s, 'POST', '/api/accounts/wall-dk/revoke', undefined, admin)).body.data.sessionsEnded).toBe(2);
    expect(await closed).toBe('io server disconnect');
    expect((await call(s, 'GET', '/api/cases', undefined, wall)).status).toBe(401);
    await expect(socketAs(s, wall)).rejects.toThrow(/UNAUTHORIZED/);
    // Disabling refuses the next sign-in too, in the same words as a wrong password.
    const patched = await call(s, 'PATCH', '/api/accounts/wall-dk', { disabled: true }, admin);
    expect(patched.body).toMatchObject({ ok: true, data: { disabled: true } });
    expect(await call(s, 'POST', '/api/auth/login', { id: 'wall-dk', password: 'wall screen 2026' })).toMatchObject({ status: 401, body: { ok: false, code: 'UNAUTHORIZED', message: 'wrong login name or password' } });
    void TEST_KEY;
  });

  it('more than 20 sign-in attempts a minute from one address are refused with RATE_LIMITED, even the right password; other addresses still sign in', async () => {
    const { s, printed } = await start();
    const password = /admin \/ (\S+)/.exec(printed)![1];
    // Counted before the body is read, so malformed attempts count too (and cost no password hash here).
    const answers: Answer[] = [];
    for (let i = 0; i < 20; i++) answers.push(await loginFrom(s, '127.0.0.4', `name-${i}`, ''));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(400));
    const refused = await loginFrom(s, '127.0.0.4', 'admin', password);
    expect(refused).toEqual({ status: 429, body: { ok: false, code: 'RATE_LIMITED', message: 'more than 20 sign-in attempts a minute from this address: wait a minute' } });
    expect((await loginFrom(s, '127.0.0.5', 'admin', password)).status).toBe(200);
  });
});
