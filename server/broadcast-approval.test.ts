// Leader approval of urgent broadcasts (issue 15 item 4) over socket.io-client and MQTT against a
// temporary SQLite file: a 特急 broadcast is pending and plays nowhere until a duty leader other than
// the requester approves it; a dispatcher cannot approve, a requester cannot approve their own; a
// rejection sends nothing; an undecided request expires; request, approval and rejection are in
// the audit log; screens see requests only in their scope.
import { afterEach, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Actor } from '../core/org.ts';
import type { AuditEntry } from '../core/audit.ts';
import type { Selection } from '../core/broadcast.ts';
import { commandFilter, commandTopic } from '../core/field.ts';
import { nextDelta, smallDistrict, startTestServer, TEST_KEY, type TestServer } from './test-support.ts';

const T0 = Date.UTC(2026, 10, 23, 2, 0);
let t = T0;
const clock = { now: () => t };
const WINDOW = 10 * 60_000;

/** Points 1–3 in the west (德宽路街道), 4–5 in the east (玉琳路街道), as in broadcasts.test.ts. */
function district() {
  const d = smallDistrict();
  const point = (i: number) => ({ ...d.placedDevice('broadcast', i)!, lon: i < 3 ? 117.01 + i * 0.001 : 117.08 + i * 0.001, lat: 30.5 });
  const placedDevice: typeof d.placedDevice = (kind, i) => (kind === 'broadcast' ? point(i) : d.placedDevice(kind, i));
  return { ...d, placedDevice };
}

const A = {
  dispatcher: { id: 'd1', name: '区派遣员', role: 'dispatcher', org: '340803' },
  dispatcher2: { id: 'd2', name: '另一派遣员', role: 'dispatcher', org: '340803' },
  leader: { id: 'DUTY-L01', name: '值班领导甲', role: 'duty-leader', org: '340803' },
  leader2: { id: 'DUTY-L02', name: '值班领导乙', role: 'duty-leader', org: '340803' },
  township2: { id: 't2', name: '玉琳路坐席', role: 'township-operator', org: '340803002' },
} satisfies Record<string, Actor>;

const EMERGENCY = { text: '防汛特急：请低洼地带居民立即转移', priority: 'emergency', repeat: 2 } as const;
const DISTRICT = { mode: 'scope', code: '340803' } as const;

let server: TestServer;
let gateway: MqttClient | null = null;
const commands: Array<{ topic: string; payload: any }> = [];

afterEach(async () => {
  await gateway?.endAsync(true).catch(() => {});
  gateway = null;
  await server?.close();
});

async function start() {
  t = T0;
  commands.length = 0;
  server = await startTestServer({ clock, district: district(), config: { broadcastApprovalMs: WINDOW } });
  gateway = await connectAsync(server.mqttUrl, { username: 'test', password: TEST_KEY, reconnectPeriod: 200, connectTimeout: 5000 });
  gateway.on('message', (topic, buf) => commands.push({ topic, payload: JSON.parse(buf.toString()) }));
  await gateway.subscribeAsync(commandFilter('broadcast'), { qos: 1 });
}

/** Every command the server published before this call has reached the gateway (it keeps order). */
async function commandsSoFar(): Promise<Array<{ topic: string; payload: any }>> {
  const marker = commandTopic('broadcast', `MARKER-${commands.length}`);
  await server.app.field.publish(marker, { marker: true });
  await expect.poll(() => commands.some((c) => c.topic === marker), { timeout: 5000, interval: 20 }).toBe(true);
  return commands.filter((c) => !c.topic.includes('MARKER'));
}

const eventTypes = async () => (await server.app.store.readAfter(0, 1000)).filter((e) => e.type.startsWith('broadcast:')).map((e) => `${e.type} ${e.subject}`);

describe('approval of urgent broadcasts', () => {
  it('特急 is pending, not sent; a dispatcher and the requester cannot approve; a leader\'s approval sends it; a rejection does not; all audited', async () => {
    await start();
    const asDispatcher = (await server.connect({ actor: A.dispatcher })).client;
    const asDispatcher2 = (await server.connect({ actor: A.dispatcher2 })).client;
    const asLeader = (await server.connect({ actor: A.leader })).client;
    const asLeader2 = (await server.connect({ actor: A.leader2 })).client;

    // One click cannot play it: a send of 特急 is refused and names the way.
    const direct = await asDispatcher.emitWithAck('broadcast:send', { message: EMERGENCY, selection: DISTRICT });
    expect(direct).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringMatching(/approval/) });
    expect(await eventTypes()).toEqual([]);

    // Requested: pending, and the leader's screen gets it in its next delta.
    const seen = nextDelta(asLeader, (d) => (d.broadcastRequests ?? []).some((r) => r.status === 'pending'));
    const asked = await asDispatcher.emitWithAck('broadcast:request', { message: EMERGENCY, selection: DISTRICT });
    if (!asked.ok) throw new Error(asked.message);
    const id = asked.data.id;
    expect(asked.data).toMatchObject({ status: 'pending', pointCount: 5, requestedBy: { id: 'd1', name: '区派遣员' }, expiresAt: T0 + WINDOW, decidedBy: null });
    expect((await seen).broadcastRequests!.find((r) => r.id === id)).toMatchObject({ status: 'pending', requestedBy: { id: 'd1' } });
    expect(await eventTypes()).toEqual([`broadcast:requested ${id}`]);
    expect(await commandsSoFar()).toEqual([]);

    // Neither another dispatcher nor the requester can approve; nothing is sent.
    t += 60_000;
    expect(await asDispatcher2.emitWithAck('broadcast:approve', { broadcastId: id })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await asDispatcher.emitWithAck('broadcast:approve', { broadcastId: id })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    // A leader's own request: refused as their own.
    const own = await asLeader2.emitWithAck('broadcast:request', { message: { ...EMERGENCY, text: '领导自己的特急广播' }, selection: DISTRICT });
    if (!own.ok) throw new Error(own.message);
    expect(await asLeader2.emitWithAck('broadcast:approve', { broadcastId: own.data.id })).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringMatching(/own/) });
    expect(await asLeader2.emitWithAck('broadcast:reject', { broadcastId: own.data.id, reason: '撤回' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await eventTypes()).toEqual([`broadcast:requested ${id}`, `broadcast:requested ${own.data.id}`]);
    expect(await commandsSoFar()).toEqual([]);

    // The duty leader approves: sent at once under the request's id, one command per point.
    t += 60_000;
    const approved = await asLeader.emitWithAck('broadcast:approve', { broadcastId: id });
    if (!approved.ok) throw new Error(approved.message);
    expect(approved.data).toMatchObject({ id, status: 'sent', actor: { id: 'd1' }, sentAt: t, message: { priority: 'emergency' }, progress: { targets: 5, pending: 5 } });
    const sent = await commandsSoFar();
    expect(sent.map((c) => c.topic).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `linkage/cmd/broadcast/BC-000${i}`));
    expect(sent[0].payload).toEqual({ broadcastId: id, text: EMERGENCY.text, priority: 'emergency', repeat: 2 });
    // Approving twice changes nothing.
    expect(await asLeader.emitWithAck('broadcast:approve', { broadcastId: id })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });

    // The other leader's request, rejected by the duty leader with a reason: nothing is sent.
    expect(await asLeader.emitWithAck('broadcast:reject', { broadcastId: own.data.id, reason: '   ' })).toMatchObject({ ok: false, code: 'INVALID_COMMAND' });
    const rejected = await asLeader.emitWithAck('broadcast:reject', { broadcastId: own.data.id, reason: '范围过大，请改为受影响社区' });
    expect(rejected).toMatchObject({ ok: true, data: { status: 'rejected', reason: '范围过大，请改为受影响社区', decidedBy: { id: 'DUTY-L01' } } });
    expect(await asLeader.emitWithAck('broadcast:approve', { broadcastId: own.data.id })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
    expect(await eventTypes()).toEqual([
      `broadcast:requested ${id}`, `broadcast:requested ${own.data.id}`, `broadcast:approved ${id}`, `broadcast:sent ${id}`, `broadcast:rejected ${own.data.id}`,
    ]);
    expect((await commandsSoFar()).filter((c) => c.payload.broadcastId === own.data.id)).toEqual([]);
    // The requester's screen learns the outcome from a snapshot (and deltas).
    const later = (await server.connect({ actor: A.leader2 })).snapshot;
    expect(later.broadcastRequests?.find((r) => r.id === own.data.id)).toMatchObject({ status: 'rejected', reason: '范围过大，请改为受影响社区', decidedBy: { name: '值班领导甲' } });

    // The audit log: the request, the approval (then the send) and the rejection, each with its person.
    const audited = async () => ((await server.get('/api/audit?action=broadcast')).body.data.entries as AuditEntry[]).reverse();
    await expect.poll(async () => (await audited()).length, { timeout: 5000, interval: 50 }).toBe(5);
    expect((await audited()).map((e) => [e.action, e.subject, e.actor?.id])).toEqual([
      ['broadcast:request', id, 'd1'],
      ['broadcast:request', own.data.id, 'DUTY-L02'],
      ['broadcast:approve', id, 'DUTY-L01'],
      ['broadcast:send', id, 'd1'],
      ['broadcast:reject', own.data.id, 'DUTY-L01'],
    ]);
    expect((await audited())[4]).toMatchObject({ before: { status: 'pending' }, after: { status: 'rejected', reason: '范围过大，请改为受影响社区' } });
  });

  it('an undecided request expires after the window and can no longer be approved; screens see requests only in their scope', async () => {
    await start();
    const asTownship = (await server.connect({ actor: A.township2 })).client;
    const east: Selection = { mode: 'area', ring: [[117.07, 30.49], [117.1, 30.49], [117.1, 30.51], [117.07, 30.51]] };
    const asked = await asTownship.emitWithAck('broadcast:request', { message: { ...EMERGENCY, priority: 'urgent' }, selection: east });
    if (!asked.ok) throw new Error(asked.message);
    expect(asked.data).toMatchObject({ status: 'pending', pointCount: 2, places: [expect.stringMatching(/^340803002/)] });

    // Read confined to the scope: the east township and the district see it, the west township does not.
    expect((await server.connect({ scope: '340803002' })).snapshot.broadcastRequests?.map((r) => r.id)).toEqual([asked.data.id]);
    expect((await server.connect({ scope: '340803' })).snapshot.broadcastRequests?.map((r) => r.id)).toEqual([asked.data.id]);
    expect((await server.connect({ scope: '340803001' })).snapshot.broadcastRequests).toEqual([]);
    expect((await server.get('/api/broadcasts/requests?scope=340803001')).body.data).toEqual([]);
    expect((await server.get('/api/broadcasts/requests?scope=340803002')).body.data.map((r: { id: string }) => r.id)).toEqual([asked.data.id]);

    // One millisecond before the window ends nothing expires; at its end the sweep expires it.
    t = T0 + WINDOW - 1;
    expect(await server.app.broadcastApprovals.expireDue()).toBe(0);
    t = T0 + WINDOW;
    expect(await server.app.broadcastApprovals.expireDue()).toBe(1);
    const asLeader = (await server.connect({ actor: A.leader })).client;
    expect(await asLeader.emitWithAck('broadcast:approve', { broadcastId: asked.data.id })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION', message: expect.stringMatching(/expired/) });
    expect(await eventTypes()).toEqual([`broadcast:requested ${asked.data.id}`, `broadcast:expired ${asked.data.id}`]);
    expect(await commandsSoFar()).toEqual([]);

    // Over HTTP the same rules: a 一般 request is refused (send it), a payload error names its field.
    const normal = await server.post('/api/broadcasts/requests', { actor: A.dispatcher, message: { ...EMERGENCY, priority: 'normal' }, selection: DISTRICT });
    expect(normal.status).toBe(422);
    expect(normal.body.message).toMatch(/\/message\/priority/);
    const noReason = await server.post(`/api/broadcasts/requests/${asked.data.id}/reject`, { actor: A.leader });
    expect(noReason.status).toBe(422);
    expect(noReason.body.message).toMatch(/reason/);
  });
});
