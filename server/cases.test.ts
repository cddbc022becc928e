// The closed loop over real HTTP and socket.io-client against a temporary SQLite file: every source
// runs the whole loop, illegal commands change nothing, overdue cases escalate on a fake clock,
// whistles and alarms follow their rules, and every scope sees only its own cases.
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../core/org.ts';
import type { CaseState } from '../core/cases/model.ts';
import { decodeDelta } from '../core/protocol.ts';
import { nextEvent, startTestServer, TEST_KEY, type TestServer } from './test-support.ts';

// Monday 2026-11-23 09:00 Asia/Shanghai.
const MONDAY_9 = Date.UTC(2026, 10, 23, 1, 0);
const H = 3_600_000;

const A = {
  dispatcher: { id: 'd1', name: '区派遣员', role: 'dispatcher', org: '340803' },
  leader: { id: 'l1', name: '值班领导', role: 'duty-leader', org: '340803' },
  township1: { id: 't1', name: '德宽路坐席', role: 'township-operator', org: '340803001' },
  township2: { id: 't2', name: '玉琳路坐席', role: 'township-operator', org: '340803002' },
  community: { id: 'c1', name: '马山社区坐席', role: 'community-operator', org: '340803001002' },
  cg: { id: 'cg1', name: '城管队员', role: 'department', org: 'DEPT-CG' },
  sw: { id: 'sw1', name: '水务', role: 'department', org: 'DEPT-SW' },
  gd: { id: 'gd1', name: '供电', role: 'department', org: 'DEPT-GD' },
  worker: { id: 'GW-0001', name: '网格员1', role: 'grid-worker', org: '340803001002' },
} satisfies Record<string, Actor>;

let server: TestServer;
let t = MONDAY_9;
const clock = { now: () => t };

afterEach(async () => {
  await server?.close();
});

async function start(opts: { escalateEveryMs?: number } = {}) {
  t = MONDAY_9;
  server = await startTestServer({ clock, ...opts });
}

/** West (lon < 117.05) lies in 德宽路街道 / 马山社区, east in 玉琳路街道. */
const WEST = { lon: 117.01, lat: 30.5 };
const EAST = { lon: 117.08, lat: 30.5 };

function report(id: string, over: Record<string, unknown> = {}) {
  return { id, source: 'citizen', eventClass: '0102', title: `案件${id}`, urgency: 'normal', ...WEST, reportedAt: t, ...over };
}

async function ingest(...records: unknown[]) {
  const res = await server.post('/api/ingest/cases', { records });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function command(id: string, actor: Actor, cmd: Record<string, unknown>, expectedVersion?: number) {
  return server.post(`/api/cases/${id}/commands`, { actor, command: cmd, ...(expectedVersion ? { expectedVersion } : {}) });
}

/** Gives a command that must succeed; returns the new state. */
async function must(id: string, actor: Actor, cmd: Record<string, unknown>): Promise<CaseState> {
  t += 5 * 60_000;
  const res = await command(id, actor, cmd);
  expect(res.status, `${cmd.type} by ${actor.role}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body.data as CaseState;
}

/** file → dispatch → accept → feedback → recheck → (reply) → close, by the right people. */
async function runLoop(id: string, owner: Actor, unit: string, handler: Actor, hotline = false): Promise<CaseState> {
  await must(id, owner, { type: 'file' });
  const dispatched = await must(id, owner, { type: 'dispatch', unit });
  expect(dispatched.deadline).toBeGreaterThan(t);
  await must(id, handler, { type: 'accept' });
  await must(id, handler, { type: 'feedback', note: '已处理完毕' });
  await must(id, owner, { type: 'recheck', passed: true, note: '现场核查合格' });
  if (hotline) await must(id, owner, { type: 'reply', note: '已电话答复市民' });
  return must(id, owner, { type: 'close' });
}

describe('a case from each source runs the whole loop', () => {
  it('patrol: handled on the spot by the reporting grid worker (巡办合一)', async () => {
    await start();
    await ingest(report('P-1', { source: 'patrol', reporter: 'GW-0001' }));
    const closed = await must('P-1', A.worker, { type: 'close-on-spot', note: '已现场清理' });
    expect(closed).toMatchObject({ stage: 'closed', onSpot: true, owner: '340803001002' });
  });

  it('patrol referred: the community files and dispatches to its own center, the township could too', async () => {
    await start();
    await ingest(report('P-2', { source: 'patrol', reporter: 'GW-0001', eventClass: '0401' }));
    const closed = await runLoop('P-2', A.community, 'LC-340803001002', A.community);
    expect(closed.stage).toBe('closed');
    expect(closed.handledAt).not.toBeNull();
  });

  it('12345: the district takes the order, dispatches, replies before closing and calls back', async () => {
    await start();
    await ingest(report('H-1', { source: 'hotline-12345', hotlineOrderNo: '12345-20261123-000101' }));
    expect((await server.get('/api/cases/H-1')).body.data.case.owner).toBe('340803');
    await must('H-1', A.dispatcher, { type: 'file' });
    await must('H-1', A.dispatcher, { type: 'dispatch', unit: 'DEPT-CG' });
    await must('H-1', A.cg, { type: 'accept' });
    await must('H-1', A.cg, { type: 'feedback', note: '已清运' });
    await must('H-1', A.dispatcher, { type: 'recheck', passed: true });
    const early = await command('H-1', A.dispatcher, { type: 'close' });
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ ok: false, code: 'INVALID_COMMAND', message: expect.stringContaining('答复') });
    await must('H-1', A.dispatcher, { type: 'reply', note: '已答复' });
    await must('H-1', A.dispatcher, { type: 'close' });
    const called = await must('H-1', A.dispatcher, { type: 'callback', resolved: true, rating: 'satisfied' });
    expect(called.hotline).toMatchObject({ orderNo: '12345-20261123-000101', resolved: true, rating: 'satisfied' });
    const detail = (await server.get('/api/cases/H-1')).body.data;
    expect(detail.timeline.map((e: { command: string }) => e.command)).toEqual(['report', 'file', 'dispatch', 'accept', 'feedback', 'recheck', 'reply', 'close', 'callback']);
    expect(detail.timeline[2]).toMatchObject({ actor: { id: 'd1', role: 'dispatcher' }, from: 'filed', to: 'dispatched', data: { unit: 'DEPT-CG' } });
  });

  it('12319, citizen and City Brain cases close through departments', async () => {
    await start();
    await ingest(
      report('H-2', { source: 'hotline-12319', hotlineOrderNo: '12319-1', eventClass: '0602' }),
      report('CB-1', { source: 'city-brain', eventClass: '0503' }),
      report('CZ-1', { source: 'citizen' }),
    );
    expect((await runLoop('H-2', A.dispatcher, 'DEPT-GD', A.gd, true)).stage).toBe('closed');
    expect((await runLoop('CB-1', A.dispatcher, 'DEPT-SW', A.sw)).stage).toBe('closed');
    // A citizen report lands at the community; the district may take it over.
    expect((await runLoop('CZ-1', A.dispatcher, 'DEPT-CG', A.cg)).stage).toBe('closed');
  });

  it('video AI: a confident detection opens a case at the township; a second one nearby joins it', async () => {
    await start();
    const { client } = await server.connect();
    const opened = nextEvent(client, 'case:reported');
    await server.post('/api/ingest/video-events', { records: [{ id: 'V-1', cameraId: 'CAM-00001', ts: t, eventClass: '0402', confidence: 0.95 }] });
    const c = await opened;
    expect(c).toMatchObject({ id: 'C-AL-V-1', source: 'video-ai', owner: '340803001', eventClass: '0402' });
    // Another camera 96 m away sees the same stall a minute later: one case, two alarms.
    await server.post('/api/ingest/video-events', { records: [{ id: 'V-2', cameraId: 'CAM-00002', ts: t + 60_000, eventClass: '0402', confidence: 0.97 }] });
    await server.app.alarmService.idle();
    expect(server.app.projector.alarms.get('AL-V-2')).toMatchObject({ caseId: 'C-AL-V-1' });
    expect(server.app.projector.cases.get('C-AL-V-1')).toMatchObject({ alarms: 1 });
    // The same camera again within ten minutes is a repeat of its alarm, not a new one.
    await server.post('/api/ingest/video-events', { records: [{ id: 'V-3', cameraId: 'CAM-00001', ts: t + 120_000, eventClass: '0402', confidence: 0.99 }] });
    await server.app.alarmService.idle();
    expect(server.app.projector.alarms.get('AL-V-3')).toBeUndefined();
    expect(server.app.projector.alarms.get('AL-V-1')).toMatchObject({ repeats: 1 });
    // A doubtful detection raises an alarm but no case.
    await server.post('/api/ingest/video-events', { records: [{ id: 'V-4', cameraId: 'CAM-00005', ts: t, eventClass: '0107', confidence: 0.6 }] });
    await server.app.alarmService.idle();
    expect(server.app.projector.alarms.get('AL-V-4')).toMatchObject({ caseId: null, status: 'active' });
    expect((await runLoop('C-AL-V-1', A.township1, 'DEPT-CG', A.cg)).stage).toBe('closed');
  });

  it('sensor: a component alarm opens an urgent case and its alarm clears when the reading is normal again', async () => {
    await start();
    const id = '3408030117000001';
    await server.post('/api/ingest/devices', { records: [{ kind: 'component', id, ts: t, status: 'online', metric: 'lamp-power', value: 320 }] });
    await server.app.alarmService.idle();
    const alarm = server.app.projector.alarms.openOfDevice(id)!;
    expect(alarm).toMatchObject({ kind: 'sensor', eventClass: '0602', status: 'active' });
    const ack = await server.post(`/api/alarms/${alarm.id}/commands`, { actor: A.township1, command: { type: 'acknowledge' } });
    expect(ack.body.data).toMatchObject({ status: 'acknowledged', ackBy: 't1' });
    expect(server.app.projector.cases.get(alarm.caseId!)).toMatchObject({ source: 'sensor', urgency: 'normal' });
    await server.post('/api/ingest/devices', { records: [{ kind: 'component', id, ts: t + 1000, status: 'online', metric: 'lamp-power', value: 110 }] });
    await server.app.alarmService.idle();
    expect(server.app.projector.alarms.get(alarm.id)).toMatchObject({ status: 'cleared', clearedBy: 'system' });
    expect((await runLoop(alarm.caseId!, A.township1, 'DEPT-GD', A.gd)).stage).toBe('closed');
  });
});

describe('illegal commands change nothing and say why', () => {
  it('answers 409/403/422 with a code and leaves the case and the log as they were', async () => {
    await start();
    await ingest(report('E-1'));
    const seq = server.app.store.lastSeq();
    const cases = [
      [await command('E-1', A.cg, { type: 'accept' }), 409, 'INVALID_TRANSITION'],
      [await command('E-1', A.township2, { type: 'file' }), 403, 'FORBIDDEN'],
      [await command('E-1', A.dispatcher, { type: 'void', note: '' }), 422, 'INVALID_COMMAND'],
      [await command('E-1', A.dispatcher, { type: 'dispatch' }), 422, 'INVALID_COMMAND'],
      [await command('E-1', { ...A.dispatcher, org: '999999' }, { type: 'file' }), 422, 'INVALID_COMMAND'],
      [await command('E-1', { ...A.dispatcher, role: 'system' }, { type: 'escalate' }), 422, 'INVALID_COMMAND'],
      [await command('NOPE', A.dispatcher, { type: 'file' }), 404, 'NOT_FOUND'],
      [await command('E-1', A.dispatcher, { type: 'file' }, 7), 409, 'CONFLICT'],
    ] as const;
    for (const [res, status, code] of cases) {
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body).toMatchObject({ ok: false, code });
      expect(res.body.message.length).toBeGreaterThan(5);
    }
    expect(cases[3][0].body.message).toContain('unit');
    expect(server.app.store.lastSeq()).toBe(seq);
    expect(server.app.projector.cases.get('E-1')).toMatchObject({ stage: 'reported', version: 1 });
  });

  it('two operators racing to dispatch: one wins, the other gets a clear refusal', async () => {
    await start();
    await ingest(report('R-1', { source: 'hotline-12345', hotlineOrderNo: '12345-9' }));
    await must('R-1', A.dispatcher, { type: 'file' });
    const [a, b] = await Promise.all([
      command('R-1', A.dispatcher, { type: 'dispatch', unit: 'DEPT-CG' }),
      command('R-1', A.leader, { type: 'dispatch', unit: 'DEPT-SW' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(server.app.projector.cases.get('R-1')!.version).toBe(3);
  });
});

describe('SLA and escalation on a fake clock', () => {
  it('counts the deadline in working hours and escalates an overdue case community → township → district', async () => {
    await start();
    await ingest(report('S-1', { source: 'patrol', reporter: 'GW-0001' })); // 0102 暴露垃圾: 4 working hours
    await must('S-1', A.community, { type: 'file' });
    t = MONDAY_9 + 2 * H; // 11:00
    const d = await command('S-1', A.community, { type: 'dispatch', unit: 'DEPT-CG' });
    // 11:00–12:00 (1 h) + 14:00–17:00 (3 h) → 17:00 Shanghai = 09:00 UTC.
    expect(d.body.data.deadline).toBe(Date.UTC(2026, 10, 23, 9, 0));
    expect(d.body.data.warnAt).toBe(Date.UTC(2026, 10, 23, 8, 12)); // 80%: 3.2 h → 16:12
    t = Date.UTC(2026, 10, 23, 8, 59);
    expect(await server.app.caseService.escalateDue()).toBe(0);
    t = Date.UTC(2026, 10, 23, 9, 1);
    expect(await server.app.caseService.escalateDue()).toBe(1);
    expect(server.app.projector.cases.get('S-1')).toMatchObject({ owner: '340803001', escalations: 1 });
    // The community may no longer act for it; the township may.
    expect((await command('S-1', A.community, { type: 'defer', note: 'x' })).status).toBe(403);
    expect(await server.app.caseService.escalateDue()).toBe(0);
    t = Date.UTC(2026, 10, 23, 11, 1); // + half of the 4 h limit
    expect(await server.app.caseService.escalateDue()).toBe(1);
    expect(server.app.projector.cases.get('S-1')).toMatchObject({ owner: '340803', escalations: 2 });
    t += 100 * H;
    expect(await server.app.caseService.escalateDue()).toBe(0); // the district is the top
    const timeline = (await server.get('/api/cases/S-1')).body.data.timeline;
    expect(timeline.filter((e: { command: string }) => e.command === 'escalate')).toHaveLength(2);
    expect(timeline.at(-1)).toMatchObject({ actor: { role: 'system' }, data: { owner: '340803' } });
  });

  it('the periodic sweep escalates by itself', async () => {
    await start({ escalateEveryMs: 1000 });
    await ingest(report('S-2', { urgency: 'urgent', eventClass: '0501' }));
    await must('S-2', A.community, { type: 'file' });
    await must('S-2', A.community, { type: 'dispatch', unit: 'DEPT-ZJ' });
    t += 3 * H; // urgent: 2 natural hours
    await expect.poll(() => server.app.projector.cases.get('S-2')!.owner, { timeout: 3000 }).toBe('340803001');
  });
});

describe('whistle and report (吹哨报到)', () => {
  it('a township blows, departments report in (one late), the township closes with ratings; scores accumulate', async () => {
    await start();
    await ingest(report('W-1', { eventClass: '0501', urgency: 'urgent' }));
    await must('W-1', A.township1, { type: 'file' });
    await must('W-1', A.township1, { type: 'dispatch', unit: 'DEPT-ZJ' });
    const blow = await server.post('/api/whistles', { actor: A.township1, command: { type: 'blow', whistleId: 'WH-1', caseId: 'W-1', kind: 'emergency', lead: 'DEPT-ZJ', supporting: ['DEPT-SW', 'DEPT-GD'] } });
    expect(blow.status, JSON.stringify(blow.body)).toBe(200);
    expect(blow.body.data).toMatchObject({ kind: 'emergency', deadline: t + 15 * 60_000 });
    expect(server.app.projector.cases.get('W-1')!.whistleId).toBe('WH-1');
    const outside = await server.post('/api/whistles', { actor: A.township2, command: { type: 'blow', whistleId: 'WH-2', caseId: 'W-1', kind: 'quick', lead: 'DEPT-ZJ', supporting: ['DEPT-SW'] } });
    expect(outside.status).toBe(403);
    t += 10 * 60_000;
    expect((await server.post('/api/whistles/WH-1/commands', { actor: A.sw, command: { type: 'report-in' } })).status).toBe(200);
    t += 10 * 60_000;
    expect((await server.post('/api/whistles/WH-1/commands', { actor: A.gd, command: { type: 'report-in' } })).status).toBe(200);
    expect((await server.post('/api/whistles/WH-1/commands', { actor: A.cg, command: { type: 'report-in' } })).status).toBe(403);
    const early = await server.post('/api/whistles/WH-1/commands', { actor: A.township1, command: { type: 'close', ratings: { 'DEPT-SW': 5, 'DEPT-GD': 3 } } });
    expect(early.status).toBe(409); // 事不完、人不撤: the case is not handled yet
    const zj: Actor = { id: 'zj', name: '住建', role: 'department', org: 'DEPT-ZJ' };
    await must('W-1', zj, { type: 'accept' });
    await must('W-1', zj, { type: 'feedback', note: '已回填修复' });
    const closed = await server.post('/api/whistles/WH-1/commands', { actor: A.township1, command: { type: 'close', ratings: { 'DEPT-SW': 5, 'DEPT-GD': 3 } } });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const scores = (await server.get('/api/whistles/scores?scope=340803001')).body.data;
    expect(scores).toEqual([
      expect.objectContaining({ department: 'DEPT-GD', summoned: 1, reportedOnTime: 0, reportInRate: 0, cooperation: 3 }),
      expect.objectContaining({ department: 'DEPT-SW', summoned: 1, reportedOnTime: 1, reportInRate: 1, cooperation: 5 }),
    ]);
    expect((await server.get('/api/whistles/scores?scope=340803002')).body.data).toEqual([]);
    expect((await server.get('/api/cases/W-1')).body.data.timeline.map((e: { command: string }) => e.command)).toContain('whistle');
  });
});

describe('scope isolation at every level', () => {
  it('district, township and community screens receive only their own cases, and cannot touch others', async () => {
    await start();
    const district = await server.connect();
    const west = await server.connect({ scope: '340803001' });
    const east = await server.connect({ actor: A.township2 });
    const community = await server.connect({ actor: A.community });
    const refused = server.connect({ actor: A.township2, scope: '340803001' });
    await expect(refused).rejects.toThrow(/outside the area/);
    await expect(server.connect({ actor: { ...A.cg, org: 'DEPT-NOPE' } })).rejects.toThrow(/unknown department/);
    expect(east.snapshot.session).toMatchObject({ actor: { id: 't2' }, scope: '340803002' });

    const seen = new Map<string, Set<string>>();
    const seqOf = new Map<string, number>(); // the seq of the last delta each screen received
    for (const [name, c] of Object.entries({ district, west, east, community })) {
      const ids = new Set<string>();
      seen.set(name, ids);
      c.client.on('case:reported', (x) => ids.add(x.id));
      c.client.on('delta:sent', (w) => {
        const d = decodeDelta(w);
        d.cases.forEach((x: CaseState) => ids.add(x.id));
        seqOf.set(name, d.seq);
      });
    }
    const eastCase = nextEvent(east.client, 'case:reported');
    await ingest(report('WEST-1'), report('EAST-1', EAST), report('WEST-2', { source: 'hotline-12345', hotlineOrderNo: '12345-2' }));
    await eastCase;
    await must('EAST-1', A.dispatcher, { type: 'file' });
    await must('WEST-1', A.dispatcher, { type: 'file' });
    // Every screen's deltas have reached the last event logged: whatever it was to get, it has.
    const last = server.app.projector.lastSeq;
    await expect.poll(() => [...seen.keys()].filter((name) => (seqOf.get(name) ?? -1) < last), { message: 'screens yet to get the last delta', timeout: 5000, interval: 10 }).toEqual([]);
    expect([...seen.get('district')!].sort()).toEqual(['EAST-1', 'WEST-1', 'WEST-2']);
    expect([...seen.get('west')!].sort()).toEqual(['WEST-1', 'WEST-2']);
    expect([...seen.get('community')!].sort()).toEqual(['WEST-1', 'WEST-2']);
    expect([...seen.get('east')!]).toEqual(['EAST-1']);

    const fresh = await server.connect({ scope: '340803002' });
    expect(fresh.snapshot.cases.map((c) => c.id)).toEqual(['EAST-1']);
    expect(fresh.snapshot.kpis.cases.today).toBe(1);

    const ack = await east.client.timeout(2000).emitWithAck('case:dispatch', { caseId: 'WEST-1', unit: 'DEPT-CG' });
    expect(ack).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const detail = await east.client.timeout(2000).emitWithAck('case:detail', { caseId: 'WEST-2' });
    expect(detail).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect((await server.get('/api/cases/WEST-1?scope=340803002')).status).toBe(403);
    expect((await server.get('/api/cases?scope=340803002&open=1')).body.data.map((c: CaseState) => c.id)).toEqual(['EAST-1']);
    // Reporting cannot reach into another area, by location or by naming an existing id.
    const outside = await server.post('/api/cases', { actor: A.township2, report: report('X-9', WEST) });
    expect(outside).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const probe = await east.client.timeout(2000).emitWithAck('case:report', { id: 'WEST-1', source: 'citizen', eventClass: '0102', title: 'x', urgency: 'normal', ...EAST });
    expect(probe).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('an operator runs a case over the socket: report, file, dispatch; a bad payload says which field', async () => {
    await start();
    const { client } = await server.connect({ actor: A.dispatcher });
    const reported = await client.timeout(2000).emitWithAck('case:report', { source: 'citizen', eventClass: '0104', title: '道路不洁', urgency: 'normal', ...EAST });
    expect(reported).toMatchObject({ ok: true, data: { stage: 'reported', owner: '340803002001', reporter: 'd1' } });
    const id = (reported as { data: CaseState }).data.id;
    expect(await client.timeout(2000).emitWithAck('case:file', { caseId: id })).toMatchObject({ ok: true, data: { stage: 'filed' } });
    const bad = await client.timeout(2000).emitWithAck('case:dispatch', { caseId: id, unit: 42 } as never);
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_COMMAND', message: expect.stringContaining('/unit') });
    const ok = await client.timeout(2000).emitWithAck('case:dispatch', { caseId: id, unit: 'DEPT-CG', expectedVersion: 2 });
    expect(ok).toMatchObject({ ok: true, data: { stage: 'dispatched', assignee: 'DEPT-CG', version: 3 } });
    const display = await server.connect();
    expect(await display.client.timeout(2000).emitWithAck('case:accept', { caseId: id })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});

describe('indicators', () => {
  it('the KPI read model and the live KPIs move as cases close', async () => {
    await start();
    await ingest(report('K-1', { source: 'hotline-12345', hotlineOrderNo: '12345-3' }), report('K-2', EAST));
    const before = (await server.get('/api/kpis')).body.data[0].kpis;
    expect(before.counts).toMatchObject({ reported: 2, closed: 0 });
    await runLoop('K-1', A.dispatcher, 'DEPT-CG', A.cg, true);
    const after = (await server.get('/api/kpis')).body.data[0].kpis;
    expect(after.counts).toMatchObject({ reported: 2, closed: 1, closedOnTime: 1, dispatched: 1 });
    expect(after.rates.onTimeClosureRate).toBe(1);
    const byTownship = (await server.get('/api/kpis?by=township')).body.data;
    expect(byTownship.map((r: { key: string }) => r.key)).toEqual(['340803001', '340803002']);
    expect((await server.get('/api/kpis?by=nonsense')).status).toBe(400);
    const { snapshot } = await server.connect();
    expect(snapshot.kpis.loop.today.counts).toMatchObject({ reported: 2, closed: 1 });
    expect(snapshot.calendar.periods).toEqual([['08:30', '12:00'], ['14:00', '17:30']]);
    expect(snapshot.calendar.holidays).toContain('2026-10-01');
    expect(TEST_KEY).toBeTruthy();
  });
});

describe('attachments', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake image body')]);
  it('stores a photo checked by its content, serves it back, and refuses wrong types, sizes and strangers', async () => {
    await start();
    await ingest(report('AT-1', { source: 'patrol', reporter: 'GW-0001' }));
    const post = (actor: Actor, type: string, bytes: Buffer) => server.post('/api/cases/AT-1/attachments', { actor, name: '现场照片.png', type, data: bytes.toString('base64') });
    const ok = await post(A.worker, 'image/png', png);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.data.attachments).toBe(1);
    expect((await post(A.worker, 'image/jpeg', png)).body).toMatchObject({ code: 'INVALID_COMMAND', message: 'declared image/jpeg but the content is image/png' });
    expect((await post(A.worker, 'image/png', Buffer.from('<svg onload=alert(1)>'))).status).toBe(422);
    expect((await post(A.worker, 'image/png', Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]))).body.message).toMatch(/at most/);
    expect((await post(A.township2, 'image/png', png)).status).toBe(403);
    const timeline = (await server.get('/api/cases/AT-1')).body.data.timeline;
    const attached = timeline.find((e: { command: string }) => e.command === 'attach');
    expect(attached).toMatchObject({ actor: { id: 'GW-0001' }, note: '现场照片.png', data: { attachment: { type: 'image/png', bytes: png.length } } });
    const res = await fetch(`${server.url}/api/cases/AT-1/attachments/${attached.data.attachment.id}`);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
    expect((await fetch(`${server.url}/api/cases/AT-1/attachments/${attached.data.attachment.id}?scope=340803002`)).status).toBe(403);
    expect((await fetch(`${server.url}/api/cases/AT-1/attachments/..%2F..%2Flinkage.db`)).status).toBe(404);
  });
});
