// Boundary import over real HTTP (AUTH_MODE=accounts), on SQLite and (project pg) PostgreSQL: a
// GeoJSON of grids with good and bad features is dry-run (nothing logged), applied with its token (a
// screen hears the redrawn grids; a case is placed in the new grid), applied again (nothing changes),
// audited, and still drawn after a restart.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connect, type Socket } from 'socket.io-client';
import type { Boundary } from '../core/boundaries.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../core/protocol.ts';
import { smallDistrict, TEST_KEY, type TestServer } from './test-support.ts';
import { startAccountsServer } from './test-accounts.ts';
import { startTestServer } from './test-support.ts';
import { Projector } from './projections/projector.ts';

let server: TestServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const c of sockets.splice(0)) c.disconnect();
  await server?.close(true);
  server = undefined;
});

const call = async (s: TestServer, method: string, p: string, cookie: string, body?: unknown) => {
  const res = await fetch(s.url + p, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), cookie }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: (await res.json()) as any };
};
const signIn = async (s: TestServer, id: string, password: string) => {
  const res = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, password }) });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0];
};

// The small district's west grid (340803001002001) spans 116.9–117.05 E; the file shrinks it to
// 116.9–117.02 and adds grid 002 for 117.02–117.05 in the same community.
const rect = (w: number, e: number) => ({ type: 'Polygon', coordinates: [[[w, 30.4], [e, 30.4], [e, 30.6], [w, 30.6], [w, 30.4]]] });
const grid = (code: string, name: string, geometry: unknown) => ({ type: 'Feature', properties: { code, name, community: code.slice(0, 12) }, geometry });
const GRIDS = {
  type: 'FeatureCollection',
  features: [
    grid('340803001002001', '马山社区第1网格', rect(116.9, 117.02)),
    grid('340803001002002', '马山社区第2网格', rect(117.02, 117.05)),
    grid('340803001002003', '交叉网格', { type: 'Polygon', coordinates: [[[117.0, 30.45], [117.01, 30.46], [117.01, 30.45], [117.0, 30.46], [117.0, 30.45]]] }),
    grid('340803001009001', '无社区网格', rect(117.0, 117.01)),
    grid('340803002001001', '玉琳社区第1网格', rect(117.05, 117.1)),
  ],
};
const at = Date.parse('2026-12-07T01:00:00Z');
const caseAt = (id: string, lon: number) => ({ id, source: 'city-brain', eventClass: '0102', title: `案件${id}`, urgency: 'normal', lon, lat: 30.5, reportedAt: at });

describe('boundary import', () => {
  it('dry run → apply with the token → again changes nothing; bad features cost only themselves; cases land in the new grids, also after a restart', async () => {
    const { server: s, adminPassword } = await startAccountsServer({ district: smallDistrict({ geography: true }) });
    server = s;
    const admin = await signIn(s, 'admin', adminPassword);
    const client: Socket<ServerToClientEvents, ClientToServerEvents> = connect(s.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: admin } });
    sockets.push(client);
    const heard: Boundary[] = [];
    client.on('boundaries:redrawn', (list) => heard.push(...list));
    await new Promise((resolve) => client.once('snapshot:sent', resolve));

    // Before: 117.03 E is in the west grid (index 0).
    expect((await s.post('/api/ingest/cases', { records: [caseAt('BEFORE', 117.03)] }, TEST_KEY)).status).toBe(200);
    await vi.waitFor(async () => expect((await call(s, 'GET', '/api/cases/BEFORE', admin)).body.data.case).toMatchObject({ gridIndex: 0, communityCode: '340803001002' }));

    const file = { file: JSON.stringify(GRIDS), filename: '马山社区网格.geojson', level: 'grid', crs: 'WGS84' };
    const seq0 = s.app.store.lastSeq();
    const dry = await call(s, 'POST', '/api/boundaries/import/dry-run', admin, file);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.data.counts).toEqual({ new: 1, redrawn: 1, unchanged: 1, bad: 2 });
    expect(dry.body.data.changes.map((c: any) => [c.feature, c.code, c.action, c.changed])).toEqual([
      [0, '340803001002001', 'redrawn', ['geometry']],
      [1, '340803001002002', 'new', []],
      [4, '340803002001001', 'unchanged', []],
    ]);
    expect(dry.body.data.bad.map((b: any) => [b.feature, b.field])).toEqual([[2, 'geometry'], [3, 'community']]);
    expect(dry.body.data.bad[0].reason).toMatch(/crosses itself/);
    // The same reason as a key with values, for a screen to say in its language.
    expect(dry.body.data.bad[0].why).toEqual({ key: 'ringCrosses', values: { lon: expect.stringMatching(/^117\.\d{5}$/), lat: expect.stringMatching(/^30\.\d{5}$/) } });
    expect(s.app.store.lastSeq()).toBe(seq0);

    // Only an admin imports; a token that is not this file's (or other options) is refused.
    expect((await call(s, 'POST', '/api/boundaries/import/apply', '', { ...file, token: dry.body.data.token })).status).toBe(401);
    expect((await call(s, 'POST', '/api/boundaries/import/apply', admin, { ...file, token: 'a'.repeat(64) })).body.code).toBe('CONFLICT');
    expect((await call(s, 'POST', '/api/boundaries/import/apply', admin, { ...file, crs: 'GCJ02', token: dry.body.data.token })).body.code).toBe('CONFLICT');
    expect((await call(s, 'POST', '/api/boundaries/import/dry-run', admin, { ...file, file: '{"type":"Feature"' })).body.code).toBe('BAD_REQUEST');

    const applied = await call(s, 'POST', '/api/boundaries/import/apply', admin, { ...file, token: dry.body.data.token });
    expect(applied.body.data).toMatchObject({ applied: 2, counts: { new: 1, redrawn: 1, unchanged: 1, bad: 2 } });
    await vi.waitFor(() => expect(heard.map((b) => b.code).sort()).toEqual(['340803001002001', '340803001002002']));
    expect(heard.find((b) => b.code === '340803001002002')).toMatchObject({ level: 'grid', name: '马山社区第2网格', parentCode: '340803001002' });

    // After: 117.03 E is in the new grid (the next index, 2), 117.01 E still in the redrawn west grid.
    expect((await s.post('/api/ingest/cases', { records: [caseAt('AFTER', 117.03), caseAt('WEST', 117.01)] }, TEST_KEY)).status).toBe(200);
    await vi.waitFor(async () => expect((await call(s, 'GET', '/api/cases/AFTER', admin)).body.data.case).toMatchObject({ gridIndex: 2, townshipCode: '340803001', communityCode: '340803001002' }));
    expect((await call(s, 'GET', '/api/cases/WEST', admin)).body.data.case.gridIndex).toBe(0);
    expect((await call(s, 'GET', '/api/boundaries', admin)).body.data.map((b: Boundary) => b.code)).toEqual(['340803001002001', '340803001002002']);

    // A checkpoint carries the drawn grids; a replay cursor's projector (drawsGeography false) leaves its district alone.
    const checkpoint = s.app.projector.checkpoint();
    const restored = new Projector(smallDistrict({ geography: true }), { now: () => at });
    expect(restored.restore(checkpoint)).toBe(true);
    expect(restored.district.resolvePlace(117.03, 30.5)).toEqual({ gridIndex: 2, townshipCode: '340803001', communityCode: '340803001002' });
    const replayed = new Projector(smallDistrict({ geography: true }), { now: () => at }, undefined, false);
    expect(replayed.restore(checkpoint)).toBe(true);
    expect(replayed.district.resolvePlace(117.03, 30.5).gridIndex).toBe(0);

    // The same file again: nothing to change, nothing logged.
    const seq1 = s.app.store.lastSeq();
    const again = await call(s, 'POST', '/api/boundaries/import/dry-run', admin, file);
    expect(again.body.data.counts).toEqual({ new: 0, redrawn: 0, unchanged: 3, bad: 2 });
    expect((await call(s, 'POST', '/api/boundaries/import/apply', admin, { ...file, token: again.body.data.token })).body.data).toMatchObject({ applied: 0 });
    expect(s.app.store.lastSeq()).toBe(seq1);

    // Audited: who drew which boundary from which file.
    await vi.waitFor(async () => {
      const entries = (await call(s, 'GET', '/api/audit?limit=50', admin)).body.data.entries as Array<{ action: string; subject: string; actor: { id: string } | null; after: any }>;
      expect(entries.filter((e) => e.action === 'boundary:draw').map((e) => [e.subject, e.actor?.id, e.after.source.startsWith('import:马山社区网格.geojson:')]).sort()).toEqual([
        ['boundary:340803001002001', 'admin', true], ['boundary:340803001002002', 'admin', true],
      ]);
    });

    // A restart on the same data: the log draws the grids again (the one-time password is spent: set a real one).
    expect((await call(s, 'POST', '/api/auth/password', admin, { current: adminPassword, next: 'boundaries passphrase' })).status).toBe(200);
    const dataDir = s.dataDir;
    await s.close(false);
    server = undefined;
    const s2 = await startTestServer({ dataDir, district: smallDistrict({ geography: true }), config: { authMode: 'accounts' } });
    server = s2;
    const admin2 = await signIn(s2, 'admin', 'boundaries passphrase');
    expect((await call(s2, 'GET', '/api/boundaries', admin2)).body.data.map((b: Boundary) => b.code)).toEqual(['340803001002001', '340803001002002']);
    expect((await s2.post('/api/ingest/cases', { records: [caseAt('RESTARTED', 117.04)] }, TEST_KEY)).status).toBe(200);
    await vi.waitFor(async () => expect((await call(s2, 'GET', '/api/cases/RESTARTED', admin2)).body.data.case.gridIndex).toBe(2));
    expect((await call(s2, 'POST', '/api/boundaries/import/dry-run', admin2, file)).body.data.counts).toEqual({ new: 0, redrawn: 0, unchanged: 3, bad: 2 });
  }, 90_000);
});
