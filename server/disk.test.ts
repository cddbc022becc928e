// Disk trouble at the gateway's end of the wire: while the store cannot write (SQLite's
// max_page_count stands in for a full disk), HTTP ingest answers 503 saying why and MQTT gets no
// PUBACK; nothing acknowledged is missing from the log and nothing refused is in it; periodic
// checkpoints failing meanwhile do not take the server down; once the disk has room again both
// acknowledge again, and the MQTT message held back meanwhile is committed on its resend.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { uplinkTopic } from '../core/field.ts';
import { startTestServer, TEST_KEY, type TestServer } from './test-support.ts';

const T0 = Date.UTC(2026, 10, 23, 2, 0, 0);
const COMPONENTS = Array.from({ length: 20 }, (_, i) => `34080301170000${String(i + 1).padStart(2, '0')}`);
/** A batch of `n` component heartbeats all stamped `ts`: the ts marks the batch in the log. */
const batch = (ts: number, n: number) => ({ records: Array.from({ length: n }, (_, i) => ({ kind: 'component', id: COMPONENTS[i % 20], ts, status: i % 7 ? 'online' : 'fault' })) });

type Db = { pragma(s: string, o?: { simple: boolean }): unknown };
const dbOf = (s: TestServer) => (s.app.store as unknown as { db: Db }).db;
/** Rows in the log per batch marker (ts). */
async function rowsByTs(s: TestServer): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let after = 0; ; ) {
    const page = (await s.app.store.readAfter(after, 50_000));
    if (page.length === 0) return out;
    for (const e of page) if (e.type === 'device:reported') out.set(e.ts, (out.get(e.ts) ?? 0) + 1);
    after = page[page.length - 1].seq;
  }
}

let server: TestServer | null = null;
let gw: MqttClient | null = null;
afterEach(async () => {
  await gw?.endAsync(true).catch(() => {});
  await server?.close();
  gw = null;
  server = null;
});

describe('disk trouble over HTTP and MQTT', () => {
  it('acknowledges nothing it could not commit, says why, survives failing checkpoints and recovers when the disk does', async () => {
    server = await startTestServer({ checkpointEveryMs: 50 });
    const s = server;
    const db = dbOf(s);
    const checkpoints = { ok: 0, failed: 0 };
    const save = s.app.store.saveCheckpoint.bind(s.app.store);
    s.app.store.saveCheckpoint = async (seq, body) => {
      try {
        await save(seq, body);
        checkpoints.ok++;
      } catch (error) {
        checkpoints.failed++;
        throw error;
      }
    };
    gw = await connectAsync(s.mqttUrl, { username: 'test', password: TEST_KEY, reconnectPeriod: 100, connectTimeout: 5000 });
    const topic = uplinkTopic('test', 'devices');
    const acked = new Map<number, number>(); // ts → records acknowledged
    const refused = new Set<number>();

    // 1. Healthy: both ways acknowledge.
    let ts = T0;
    const post = async (n: number) => {
      const t = ++ts;
      const res = await s.post('/api/ingest/devices', batch(t, n));
      if (res.status === 200) acked.set(t, n);
      else refused.add(t);
      return res;
    };
    expect((await post(50)).status).toBe(200);
    const t1 = ++ts;
    await gw.publishAsync(topic, JSON.stringify(batch(t1, 50)), { qos: 1 });
    acked.set(t1, 50);

    // 2. The disk fills up while gateways keep sending: let the file grow by a few pages only.
    // A real district's checkpoint is megabytes, ~1 MB as stored gzip (this one's ~2 KB would fit in
    // freed pages): pad it with text gzip cannot shrink much (random base64, ~150 KB stored).
    const body = s.app.projector.checkpoint.bind(s.app.projector);
    const pad = randomBytes(150_000).toString('base64');
    s.app.projector.checkpoint = () => body().replace(/}$/, `,"pad":"${pad}"}`);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 8}`);
    const statuses: number[] = [];
    for (let i = 0; i < 200 && !statuses.includes(503); i++) {
      const res = await post(30);
      statuses.push(res.status);
      if (res.status === 503) {
        expect(res.body).toMatchObject({ statusCode: 503, code: 'UNAVAILABLE', message: expect.stringMatching(/event store cannot write: database or disk is full/) });
      }
    }
    expect(statuses.filter((st) => st === 200).length).toBeGreaterThan(1); // the few pages took some batches
    expect(statuses.at(-1)).toBe(503); // then the disk was full
    // Senders at once (one group commit): all refused, none half-stored.
    const together = await Promise.all([post(30), post(30), post(30)]);
    expect(together.map((r) => r.status)).toEqual([503, 503, 503]);
    const seqWhenFull = s.app.store.lastSeq();

    // 3. Still full: an MQTT batch gets no PUBACK; the server says why on /api/field.
    const t2 = ++ts;
    let mqttAcked = false;
    const held = gw.publishAsync(topic, JSON.stringify(batch(t2, 50)), { qos: 1 }).then(() => (mqttAcked = true));
    await expect.poll(async () => (await s.get('/api/field')).body.notCommitted, { message: 'the MQTT message refused at least twice (sent, resent)', timeout: 5000, interval: 25 }).toBeGreaterThanOrEqual(2);
    expect(mqttAcked).toBe(false);
    const field = (await s.get('/api/field')).body;
    expect(field.lastNotCommitted).toMatchObject({ topic, reason: expect.stringMatching(/database or disk is full/) });
    expect((await rowsByTs(s)).get(t2)).toBeUndefined();
    // Checkpoints (every 50 ms here) fail meanwhile too; the server stays up and keeps refusing.
    await expect.poll(() => checkpoints.failed, { message: 'checkpoints failing', timeout: 5000, interval: 25 }).toBeGreaterThan(0);
    expect((await s.get('/api/health')).status).toBe(200);
    expect((await post(30)).status).toBe(503);
    expect(s.app.store.lastSeq()).toBe(seqWhenFull);

    // 4. The disk recovers: the held MQTT message is committed on its resend and acknowledged; HTTP acknowledges again.
    db.pragma('max_page_count = 1000000');
    await held;
    acked.set(t2, 50);
    expect((await post(50)).status).toBe(200);
    await expect.poll(async () => (await s.app.store.latestCheckpoint())?.seq ?? 0, { message: 'a checkpoint taken after the recovery', timeout: 3000, interval: 25 }).toBe(s.app.store.lastSeq());

    // Everything acknowledged is in the log once; nothing refused is in it.
    const found = await rowsByTs(s);
    for (const [t, n] of acked) expect(found.get(t), `batch ${t}`).toBe(n);
    for (const t of refused) expect(found.has(t), `refused batch ${t}`).toBe(false);
    const summary = (await s.get('/api/summary')).body;
    expect(summary.seq).toBe(s.app.store.lastSeq());
    expect(summary.seq).toBe([...acked.values()].reduce((a, b) => a + b, 0));
  });
});
