// The audit log over real HTTP against a temporary SQLite file: people's case, whistle, alarm and
// broadcast actions become chained entries with actor, scope and before/after, telemetry and what
// the system does by itself do not; the admin's filters and paging; the table refuses UPDATE and
// DELETE; entries an audit write missed are caught up from the event log; and the verify command
// passes an intact chain and names the first entry an attacker with the file changed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { linkEntries, verifyChain, type AuditEntry } from '../core/audit.ts';
import type { Actor } from '../core/org.ts';
import { auditRoutes } from './audit/routes.ts';
import { SqliteAuditLog } from './audit/sqlite-audit-log.ts';
import { storeFile } from './plugins/store.ts';
import { startTestServer, type TestServer } from './test-support.ts';

const MONDAY_9 = Date.UTC(2026, 10, 23, 1, 0); // 09:00 Asia/Shanghai
let t = MONDAY_9;
const clock = { now: () => t };
let server: TestServer;

afterEach(async () => {
  await server?.close();
});

const A = {
  dispatcher: { id: 'd1', name: '区派遣员', role: 'dispatcher', org: '340803' },
  township1: { id: 't1', name: '德宽路坐席', role: 'township-operator', org: '340803001' },
  community: { id: 'c1', name: '马山社区坐席', role: 'community-operator', org: '340803001002' },
  sw: { id: 'sw1', name: '水务', role: 'department', org: 'DEPT-SW' },
  worker: { id: 'GW-0001', name: '网格员1', role: 'grid-worker', org: '340803001002' },
} satisfies Record<string, Actor>;
const WEST = { lon: 117.01, lat: 30.5 }; // 德宽路街道 340803001 / 马山社区 340803001002
const COMMUNITY = '340803001002';

const report = (id: string, over: Record<string, unknown> = {}) => ({ id, source: 'citizen', eventClass: '0102', title: `案件${id}`, urgency: 'normal', ...WEST, reportedAt: t, ...over });

async function ok(res: Promise<{ status: number; body: any }>) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}
const command = (id: string, actor: Actor, cmd: Record<string, unknown>) => {
  t += 60_000;
  return ok(server.post(`/api/cases/${id}/commands`, { actor, command: cmd }));
};
const audit = async (query = ''): Promise<{ entries: AuditEntry[]; next: number | null }> => (await ok(server.get(`/api/audit${query}`))).data;

/** People act on cases, a whistle, an alarm and a broadcast; gateways and devices report around them. */
async function actions() {
  await ok(server.post('/api/cases', { actor: A.worker, report: report('P-1', { source: 'patrol', reporter: A.worker.id }) }));
  await ok(server.post('/api/ingest/cases', { records: [report('C-1')] })); // by a gateway: the system
  await ok(server.post('/api/ingest/devices', { records: [{ kind: 'camera', id: 'CAM-00001', ts: t, status: 'online' }] }));
  await command('C-1', A.community, { type: 'file' });
  await command('C-1', A.community, { type: 'dispatch', unit: 'DEPT-SW' });
  t += 60_000;
  await ok(server.post('/api/whistles', { actor: A.township1, command: { type: 'blow', whistleId: 'WH-1', caseId: 'C-1', kind: 'quick', lead: 'DEPT-ZJ', supporting: ['DEPT-SW'] } }));
  t += 60_000;
  await ok(server.post('/api/whistles/WH-1/commands', { actor: A.sw, command: { type: 'report-in' } }));
  // A doubtful detection: the system raises an alarm (not audited), a person acknowledges it (audited).
  await ok(server.post('/api/ingest/video-events', { records: [{ id: 'V-1', cameraId: 'CAM-00005', ts: t, eventClass: '0107', confidence: 0.6 }] }));
  await server.app.alarmService.idle();
  t += 60_000;
  await ok(server.post('/api/alarms/AL-V-1/commands', { actor: A.township1, command: { type: 'acknowledge', note: '已派人核实' } }));
  t += 60_000;
  await ok(server.post('/api/broadcasts', { actor: A.dispatcher, message: { text: '防汛通知', priority: 'normal', repeat: 1 }, selection: { mode: 'radius', ...WEST, radiusM: 2000 } }));
}

describe('audit log', () => {
  it('records what people do, with actor, scope and before/after, in a chain that verifies; not telemetry or the system', async () => {
    t = MONDAY_9;
    server = await startTestServer({ clock });
    await actions();
    const { entries, next } = await audit();
    expect(next).toBeNull();
    const inOrder = [...entries].reverse();
    expect(inOrder.map((e) => e.action)).toEqual(['case:report', 'case:file', 'case:dispatch', 'whistle:blow', 'whistle:report-in', 'alarm:acknowledge', 'broadcast:send']);
    expect(verifyChain(inOrder)).toMatchObject({ ok: true, count: 7 });

    const [reported, filed, dispatched, blown, reportedIn, acked, sent] = inOrder;
    expect(reported).toMatchObject({ seq: 1, actor: A.worker, subject: 'P-1', scope: COMMUNITY, before: null, after: { stage: 'reported', source: 'patrol', eventClass: '0102' } });
    expect(filed).toMatchObject({ actor: A.community, subject: 'C-1', scope: COMMUNITY, before: { stage: 'reported' }, after: { stage: 'filed' }, at: MONDAY_9 + 60_000 });
    expect(dispatched).toMatchObject({ before: { stage: 'filed' }, after: { stage: 'dispatched', unit: 'DEPT-SW', deadline: expect.any(Number) } });
    expect(blown).toMatchObject({ actor: A.township1, subject: 'WH-1', scope: COMMUNITY, after: { caseId: 'C-1', kind: 'quick', lead: 'DEPT-ZJ', supporting: ['DEPT-SW'] } });
    expect(reportedIn).toMatchObject({ actor: A.sw, subject: 'WH-1', scope: COMMUNITY, after: { unit: 'DEPT-SW' } });
    expect(acked).toMatchObject({ actor: A.township1, subject: 'AL-V-1', scope: COMMUNITY, before: { status: 'active' }, after: { status: 'acknowledged', note: '已派人核实' } });
    expect(sent).toMatchObject({ actor: A.dispatcher, scope: COMMUNITY, before: null, after: { text: '防汛通知', priority: 'normal', mode: 'radius', targets: 5 } });

    // Each entry points at the event it came from; gateway reports, telemetry and alarms the system raised have none.
    const events = (await server.app.store.readAfter(0, 1000));
    const bySeq = new Map(events.map((e) => [e.seq, e]));
    expect(inOrder.map((e) => bySeq.get(e.eventSeq!)?.type)).toEqual(['case:reported', 'case:filed', 'case:dispatched', 'whistle:blown', 'whistle:reported-in', 'alarm:acknowledged', 'broadcast:sent']);
    const audited = new Set(inOrder.map((e) => e.eventSeq));
    const unaudited = [...new Set(events.filter((e) => !audited.has(e.seq)).map((e) => e.type))].sort();
    expect(unaudited).toEqual(expect.arrayContaining(['alarm:raised', 'case:reported', 'case:whistled', 'device:reported', 'video:detected']));

    // What is not an event: recorded directly, chained after the rest.
    t += 60_000;
    const login = await server.app.audit.record({ action: 'auth:login', actor: A.dispatcher, scope: '340803', subject: 'd1', after: { ip: '127.0.0.1' } });
    expect(login).toMatchObject({ seq: 8, at: t, eventSeq: null, prevHash: sent.hash });
    await expect(server.app.audit.record({ action: 'Login', actor: null, scope: '340803', subject: 'x' })).rejects.toThrow(/context:verb/);
    expect((await audit('?limit=1')).entries[0]).toEqual(login);
  });

  it('filters by actor, action, scope, subject and time, pages back by seq, and says what is wrong with a query', async () => {
    t = MONDAY_9;
    server = await startTestServer({ clock });
    await actions();
    const ids = (r: { entries: AuditEntry[] }) => r.entries.map((e) => e.seq);
    expect(ids(await audit('?actor=t1'))).toEqual([6, 4]);
    expect((await audit('?action=case')).entries.map((e) => e.action)).toEqual(['case:dispatch', 'case:file', 'case:report']);
    expect(ids(await audit('?action=case:file'))).toEqual([2]);
    expect(ids(await audit('?subject=WH-1'))).toEqual([5, 4]);
    expect((await audit('?scope=340803001')).entries).toHaveLength(7); // the township holds the community
    expect((await audit('?scope=340803002')).entries).toHaveLength(0);
    expect(ids(await audit(`?from=${MONDAY_9 + 60_000}&to=${MONDAY_9 + 120_001}`))).toEqual([3, 2]);
    expect(ids(await audit('?actor=c1&action=case:dispatch'))).toEqual([3]);

    const first = await audit('?limit=3');
    expect(ids(first)).toEqual([7, 6, 5]);
    expect(first.next).toBe(5);
    const second = await audit(`?limit=3&before=${first.next}`);
    expect(ids(second)).toEqual([4, 3, 2]);
    const last = await audit(`?limit=3&before=${second.next}`);
    expect(ids(last)).toEqual([1]);
    expect(last.next).toBeNull();

    const bad = async (query: string) => {
      const res = await server.get(`/api/audit${query}`);
      expect(res.status, query).toBe(400);
      return res.body.message as string;
    };
    expect(await bad('?actr=t1')).toMatch(/unknown parameter "actr"/);
    expect(await bad(`?from=${MONDAY_9}&to=${MONDAY_9}`)).toBe('from must be before to');
    expect(await bad('?limit=0')).toMatch(/limit/);
    expect(await bad('?limit=5000')).toMatch(/limit/);
    expect(await bad('?action=Case:File')).toMatch(/action/);
    expect(await bad('?scope=DEPT-CG')).toMatch(/scope/);
    expect(await bad('?before=abc')).toMatch(/before/);
  });

  it('asks `authorize` before answering, when the accounts pass one', async () => {
    const dir = (await import('node:fs')).mkdtempSync(path.join((await import('node:os')).tmpdir(), 'linkage-audit-'));
    const log = new SqliteAuditLog({ file: path.join(dir, 'a.db'), synchronous: 'NORMAL' });
    await log.append([{ at: MONDAY_9, actor: A.dispatcher, action: 'auth:login', scope: '340803', subject: 'd1' }]);
    const app = Fastify();
    app.decorate('audit', { log, idle: async () => undefined } as never);
    await app.register(auditRoutes, { prefix: '/api', authorize: (req) => (req.headers['x-role'] === 'admin' ? null : 'only administrators read the audit log') });
    const refused = await app.inject({ url: '/api/audit' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ ok: false, code: 'FORBIDDEN', message: 'only administrators read the audit log' });
    const allowed = await app.inject({ url: '/api/audit', headers: { 'x-role': 'admin' } });
    expect(allowed.json().data.entries).toHaveLength(1);
    await app.close();
    await log.close();
    (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
  });

  it('catches up from the event log what an audit write missed, also across a restart', async () => {
    t = MONDAY_9;
    server = await startTestServer({ clock });
    const dataDir = server.dataDir;
    const log = server.app.audit.log;
    await ok(server.post('/api/ingest/cases', { records: [report('C-1'), report('C-2')] }));
    const append = log.append.bind(log);
    log.append = () => {
      throw new Error('disk full');
    };
    await command('C-1', A.community, { type: 'file' });
    log.append = append;
    // Behind: later commits wait for the catch-up, so the entries stay in event order.
    await command('C-2', A.community, { type: 'file' });
    expect((await audit()).entries).toHaveLength(0);
    expect(await server.app.audit.catchUp()).toBeGreaterThan(0);
    expect((await audit()).entries.map((e) => e.subject)).toEqual(['C-2', 'C-1']);

    log.append = () => {
      throw new Error('disk full');
    };
    await command('C-1', A.community, { type: 'dispatch', unit: 'DEPT-SW' });
    log.append = append;
    await server.close(false);
    server = await startTestServer({ clock, dataDir });
    const after = (await audit()).entries;
    expect(after.map((e) => [e.subject, e.action])).toEqual([['C-1', 'case:dispatch'], ['C-2', 'case:file'], ['C-1', 'case:file']]);
    expect(after[0].at).toBe(t);
    expect(verifyChain([...after].reverse())).toMatchObject({ ok: true, count: 3 });
  });

  it('refuses UPDATE and DELETE; the verify command passes an intact chain and names the entry changed behind its back', async () => {
    t = MONDAY_9;
    // The SQLite file itself, in either project (the PostgreSQL chain: server/audit-pg.test.ts).
    server = await startTestServer({ clock, config: { databaseUrl: null } });
    const { dataDir } = server;
    await actions();
    const file = storeFile(dataDir);
    const db = new Database(file);
    expect(() => db.prepare("UPDATE audit SET after = '{}' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit WHERE seq = 7').run()).toThrow(/append-only/);
    db.close();
    await server.close(false);

    const verify = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'server/audit/verify-cli.ts', dataDir, ...args], { cwd: path.resolve(import.meta.dirname, '..'), encoding: 'utf8' });
    const intact = verify();
    expect(intact.status, intact.stderr).toBe(0);
    const m = /^audit chain OK: 7 entries, head ([0-9a-f]{64})$/m.exec(intact.stdout);
    expect(m, intact.stdout).not.toBeNull();
    const noted = `7:${m![1]}`;
    expect(verify('--expect', noted).status).toBe(0);

    // An attacker with the file: drops the trigger, then changes what a row says.
    const attacker = new Database(file);
    attacker.exec('DROP TRIGGER audit_no_update');
    attacker.prepare(`UPDATE audit SET after = '{"stage":"voided"}' WHERE seq = 3`).run();
    const broken = verify();
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/^audit chain BROKEN at entry 3: hash does not match/m);

    // A thorough one re-hashes the chain from there on: only the head noted earlier shows it.
    const rows = new SqliteAuditLog({ file, readonly: true });
    const entries = await rows.readAfter(0, 100);
    await rows.close();
    const relinked = linkEntries({ seq: 2, hash: entries[1].hash }, entries.slice(2));
    const update = attacker.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?');
    for (const e of relinked) update.run(e.prevHash, e.hash, e.seq);
    attacker.close();
    expect(verify().status).toBe(0);
    const caught = verify('--expect', noted);
    expect(caught.status).toBe(1);
    expect(caught.stdout).toMatch(/BROKEN at entry 7: .*noted earlier/);
    expect(verify('--expect', 'nonsense').status).toBe(2);
  }, 60_000);
});
