// The audit chain and device health of a cluster: two nodes on one private PostgreSQL. Commands and
// direct records on both nodes make ONE chain that verifies, each audited event in it exactly once
// and in event order, also across a failover; device health is sampled by the leader only and
// read on both nodes.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../core/domain.ts';
import type { Actor } from '../core/org.ts';
import { verifyAuditDatabase } from './audit/verify.ts';
import { startPgTestServer, type PgTestServer } from './store/pg-test-server.ts';
import { startTestServer, until, type TestServer } from './test-support.ts';

const T0 = Date.UTC(2026, 10, 23, 1, 0);
const COMMUNITY: Actor = { id: 'c1', name: '马山社区坐席', role: 'community-operator', org: '340803001002' };
const DISPATCHER = { id: 'd1', name: '区派遣员', role: 'dispatcher', org: '340803' };
const AUDITED = new Set(['case:filed', 'case:dispatched']);

let pgServer: PgTestServer;
let databases = 0;
let nodes: TestServer[] = [];

beforeAll(async () => {
  pgServer = await startPgTestServer({ fsync: false });
});
afterEach(async () => {
  for (const n of nodes) await n.close().catch(() => undefined);
  nodes = [];
});
afterAll(async () => {
  await pgServer?.stop();
});

/** Two nodes on a fresh database: the first leads (it takes the lock before the second starts). */
async function cluster(clocks: [Clock, Clock], extra: Record<string, unknown> = {}) {
  const databaseUrl = await pgServer.createDatabase(`audit_pg_${++databases}`);
  const start = (clock: Clock) => startTestServer({ clock, config: { databaseUrl, authMode: 'declared', ...extra } });
  const a = await start(clocks[0]);
  nodes.push(a);
  const b = await start(clocks[1]);
  nodes.push(b);
  expect([a.app.leadership.isLeader(), b.app.leadership.isLeader()]).toEqual([true, false]);
  return { databaseUrl, a, b };
}

async function ok(res: Promise<{ status: number; body: any }>) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}
const report = (id: string) => ({ id, source: 'citizen', eventClass: '0102', title: `案件${id}`, urgency: 'normal', lon: 117.01, lat: 30.5, reportedAt: T0 });
const command = (node: TestServer, id: string, cmd: Record<string, unknown>) => ok(node.post(`/api/cases/${id}/commands`, { actor: COMMUNITY, command: cmd }));
const fileAndDispatch = async (node: TestServer, id: string) => {
  await command(node, id, { type: 'file' });
  await command(node, id, { type: 'dispatch', unit: 'DEPT-SW' });
};
const login = (node: TestServer, n: number) => node.app.audit.record({ action: 'auth:login', actor: DISPATCHER, scope: '340803', subject: `d1-${n}` });

/** The chain holds every audited event of the log once, in event order, and `records` direct entries. */
async function expectOneChain(databaseUrl: string, node: TestServer, records: number) {
  const events = await node.app.store.readAfter(0, 10_000);
  const audited = events.filter((e) => AUDITED.has(e.type)).map((e) => e.seq);
  const verdict = await verifyAuditDatabase(databaseUrl);
  expect(verdict).toMatchObject({ ok: true, count: audited.length + records });
  const entries = await node.app.audit.log.readAfter(0, 10_000);
  expect(entries.filter((e) => e.eventSeq !== null).map((e) => e.eventSeq)).toEqual(audited);
  expect(entries.filter((e) => e.eventSeq === null)).toHaveLength(records);
  return verdict;
}

describe('audit chain and device health in a cluster', () => {
  it('commands and records on both nodes make one chain, each event audited once, also across a failover', async () => {
    const clock = { now: () => T0 };
    const { databaseUrl, a, b } = await cluster([clock, clock]);
    await ok(a.post('/api/ingest/cases', { records: ['C-1', 'C-2', 'C-3', 'C-4', 'C-5', 'C-6'].map(report) }));
    // Event-derived writes of the second node while it does not lead: there must be none.
    const followerWrites: number[] = [];
    const log = b.app.audit.log;
    const append = log.append.bind(log);
    log.append = (drafts, eventsThrough) => {
      if (eventsThrough !== undefined && !b.app.leadership.isLeader()) followerWrites.push(eventsThrough);
      return append(drafts, eventsThrough);
    };

    // At the same time on both nodes: the leader audits every commit, both append direct records.
    await Promise.all([
      fileAndDispatch(a, 'C-1'), fileAndDispatch(a, 'C-2'), fileAndDispatch(b, 'C-3'), fileAndDispatch(b, 'C-4'),
      ...[1, 2, 3].map((n) => login(a, n)), ...[4, 5, 6].map((n) => login(b, n)),
    ]);
    // The leader has seen the follower's commits, and written what they became.
    await a.app.store.catchUp();
    await a.app.audit.idle();
    await expectOneChain(databaseUrl, a, 6);
    // The follower answers the admin from the same chain.
    expect((await ok(b.get('/api/audit?action=case&limit=1000'))).data.entries).toHaveLength(8);

    // The leader goes; the follower acts before and after it takes the lead.
    await a.close();
    nodes = [b];
    await fileAndDispatch(b, 'C-5');
    await login(b, 7);
    await until('the follower to lead', () => b.app.leadership.isLeader(), { timeout: 10_000 });
    await fileAndDispatch(b, 'C-6');
    await b.app.audit.catchUp();
    await b.app.audit.idle();
    const verdict = await expectOneChain(databaseUrl, b, 7);
    expect(followerWrites).toEqual([]);

    // The verify command reads the same chain when DATABASE_URL is set.
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/audit/verify-cli.ts'], {
      cwd: path.resolve(import.meta.dirname, '..'), env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    const { count, head } = verdict as { count: number; head: { hash: string } };
    expect(stdout).toContain(`audit chain OK: ${count} entries, head ${head.hash}`);

    // Append-only in the database itself.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await expect(client.query(`UPDATE audit SET after = '{}' WHERE seq = 1`)).rejects.toThrow(/append-only/);
      await expect(client.query('DELETE FROM audit')).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  }, 60_000);

  it('device health is sampled by the leader only, into the shared table both nodes read', async () => {
    // A clock per node, on disjoint ranges of one hour: the sample times tell which node wrote them.
    const started = Date.now();
    const sinceStart = () => Date.now() - started;
    const baseA = T0 + 5 * 60_000;
    const baseB = T0 + 30 * 60_000;
    const { databaseUrl, a, b } = await cluster([{ now: () => baseA + sinceStart() }, { now: () => baseB + sinceStart() }], { deviceHealthEveryMs: 50 });
    await ok(a.post('/api/ingest/devices', { records: [{ kind: 'camera', id: 'CAM-00001', ts: T0, status: 'online' }] }));
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const times = async () => (await client.query<{ ts: string }>('SELECT DISTINCT ts FROM device_health ORDER BY ts')).rows.map((r) => Number(r.ts));
    try {
      // Eight of the leader's ticks: the follower, ticking as often, had as many chances to sample.
      await until('eight samples', async () => (await times()).length >= 8, { timeout: 10_000 });
      expect((await times()).filter((t) => t >= baseB)).toEqual([]);
      const cameraHour = async (node: TestServer) => (await ok(node.get(`/api/analysis/device-health?from=${T0}&to=${T0 + 3_600_000}&bucket=hour&kind=camera`))).data.series.camera[0];
      for (const node of [a, b]) {
        const hour = await cameraHour(node);
        // Samples taken before the camera's report count it offline: the hour's mean is below its last.
        expect(hour.t).toBe(T0);
        expect(hour.onlineRate).toBeGreaterThan(0);
        expect(hour.onlineRate).toBeLessThanOrEqual(0.1);
        expect(hour.samples).toBeGreaterThanOrEqual(8);
      }

      // The leader goes: the other node samples from when it leads, into the same series.
      await a.close();
      nodes = [b];
      const byA = (await times()).length;
      await until('the follower to lead and sample', async () => (await times()).some((t) => t >= baseB), { timeout: 10_000 });
      expect((await times()).filter((t) => t < baseB)).toHaveLength(byA);
      expect((await cameraHour(b)).samples).toBeGreaterThan(byA);
    } finally {
      await client.end();
    }
  }, 60_000);
});
