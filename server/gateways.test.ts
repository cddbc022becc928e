// Device credentials over real HTTP and MQTT (AUTH_MODE=accounts): an admin issues a gateway key,
// the gateway ingests over HTTP and MQTT with it, and a revocation cuts both at once; a gateway key
// never opens the people's API; keys from GATEWAY_KEYS cannot be changed at run time.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectAsync } from 'mqtt';
import { startTestServer, TEST_KEY, type TestServer } from './test-support.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
});

async function start(managed: boolean): Promise<{ s: TestServer; admin: string }> {
  let printed = '';
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    printed += String(chunk);
    return write(chunk as never, ...(rest as []));
  });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'linkage-gw-'));
  const s = await startTestServer({ dataDir, config: { authMode: 'accounts', ...(managed ? { gatewayKeysFile: path.join(dataDir, 'gateway-keys.json') } : {}) } });
  vi.restoreAllMocks();
  server = s;
  const res = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'admin', password: /admin \/ (\S+)/.exec(printed)![1] }) });
  return { s, admin: res.headers.get('set-cookie')!.split(';')[0] };
}

const call = async (s: TestServer, method: string, p: string, cookie: string | null, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(s.url + p, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}), ...headers }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: (await res.json()) as any };
};
const batch = () => ({ records: [{ kind: 'camera', id: 'CAM-00002', ts: Date.now(), status: 'online' }] });

describe('gateway keys', () => {
  it('an admin issues a key; the gateway ingests over HTTP and MQTT; revoking it cuts both at once', async () => {
    const { s, admin } = await start(true);
    expect((await call(s, 'POST', '/api/gateways', admin, { name: 'bad name!' })).body.message).toMatch(/2–32 letters/);
    const issued = await call(s, 'POST', '/api/gateways', admin, { name: 'east-gw' });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    const key = issued.body.data.key as string;
    expect(key.length).toBeGreaterThanOrEqual(32);
    expect((await call(s, 'POST', '/api/gateways', admin, { name: 'east-gw' })).status).toBe(409);
    expect((await call(s, 'GET', '/api/gateways', admin)).body.data).toEqual({ managed: true, gateways: [{ name: 'east-gw', keys: 1 }, { name: 'test', keys: 1 }] });
    expect((await s.post('/api/ingest/devices', batch(), key)).status).toBe(200);
    // A device key is not a person: the people's API still wants a signed-in account.
    expect((await call(s, 'GET', '/api/cases', null, undefined, { 'x-gateway-key': key })).status).toBe(401);
    const mqttClient = await connectAsync(s.mqttUrl, { username: 'east-gw', password: key, reconnectPeriod: 0, connectTimeout: 3000 });
    const closed = new Promise<void>((resolve) => mqttClient.once('close', () => resolve()));

    const revoked = await call(s, 'DELETE', '/api/gateways/east-gw', admin);
    expect(revoked.body.data).toEqual({ name: 'east-gw', keysRevoked: 1, disconnected: 1 });
    await closed;
    expect((await s.post('/api/ingest/devices', batch(), key)).status).toBe(401);
    await expect(connectAsync(s.mqttUrl, { username: 'east-gw', password: key, reconnectPeriod: 0, connectTimeout: 3000 })).rejects.toThrow(/username or password|Not authorized/i);
    mqttClient.end(true);
    // The key file (mode 600) no longer holds it; the other gateway's key still works.
    const file = JSON.parse(readFileSync(path.join(s.dataDir, 'gateway-keys.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(file)).toEqual(['test']);
    expect((await s.post('/api/ingest/devices', batch(), TEST_KEY)).status).toBe(200);
    expect((await call(s, 'DELETE', '/api/gateways/east-gw', admin)).status).toBe(404);
    // Audit: who issued and revoked it.
    const actions = (await call(s, 'GET', '/api/audit?action=gateway', admin)).body.data.entries.map((e: { action: string; actor: { id: string } }) => `${e.action}:${e.actor.id}`);
    expect(actions).toEqual(['gateway:revoke:admin', 'gateway:issue:admin']);
  });

  it('refuses anyone but an admin, and keys fixed by GATEWAY_KEYS cannot change here', async () => {
    const { s, admin } = await start(false);
    expect((await call(s, 'GET', '/api/gateways', null)).status).toBe(401);
    await call(s, 'POST', '/api/accounts', admin, { id: 'd1', name: '派遣员', role: 'dispatcher', org: '340803', password: 'dispatch desk one' });
    const login = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'd1', password: 'dispatch desk one' }) });
    const dispatcher = login.headers.get('set-cookie')!.split(';')[0];
    expect((await call(s, 'POST', '/api/gateways', dispatcher, { name: 'x-gw' })).status).toBe(403);
    expect((await call(s, 'POST', '/api/gateways', admin, { name: 'x-gw' })).body).toMatchObject({ code: 'CONFLICT', message: 'gateway keys come from GATEWAY_KEYS: change them there and restart the server' });
    expect((await call(s, 'GET', '/api/gateways', admin)).body.data.managed).toBe(false);
  });
});
