// Replay over real socket.io-client against a temporary SQLite file: at moments T the live
// snapshot is recorded; afterwards a replay seek to each T (in shuffled order, across a
// checkpoint and across a restart) must give exactly that snapshot, in each screen's scope.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot, toTyped, type ReplayFrame, type Ack, type Session, type Snapshot } from '../core/protocol.ts';
import { DEVICE_KINDS, MOVING_KINDS } from '../core/domain.ts';
import { DISTRICT_SESSION, startTestServer, type TestClient, type TestServer } from './test-support.ts';

// Monday 2026-11-23 09:00 Asia/Shanghai.
const T0 = Date.UTC(2026, 10, 23, 1, 0);
const MIN = 60_000;
const DISPATCHER = { id: 'd1', name: '区派遣员', role: 'dispatcher', org: '340803' } as const;
const TOWNSHIP: Session = { actor: { id: 'display-340803001', name: '大屏', role: 'display', org: '340803001' }, scope: '340803001' };

let server: TestServer | undefined;
let t = T0;
const clock = { now: () => t };
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A snapshot as plain data: typed arrays as number lists, so two snapshots compare field by field. */
function plain(s: Snapshot): unknown {
  const wire = decodeSnapshot(JSON.parse(JSON.stringify(encodeSnapshot(s), (_k, v) => (ArrayBuffer.isView(v) ? { $bytes: [...new Uint8Array(v.buffer, v.byteOffset, v.byteLength)] } : v)), (_k, v) => (v && v.$bytes ? new Uint8Array(v.$bytes) : v)));
  return {
    ...wire,
    status: Object.fromEntries(DEVICE_KINDS.map((k) => [k, [...toTyped(wire.status[k], Uint8Array)]])),
    moving: Object.fromEntries(MOVING_KINDS.map((k) => [k, { lonlat: [...toTyped(wire.moving[k].lonlat, Float64Array)], heading: [...toTyped(wire.moving[k].heading, Float32Array)] }])),
  };
}

const seek = async (client: TestClient, at: number): Promise<Ack<ReplayFrame>> => client.timeout(5000).emitWithAck('replay:seek', { at });
async function replayed(client: TestClient, at: number): Promise<Snapshot> {
  const r = await seek(client, at);
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  expect(r.data.at).toBe(at);
  return decodeSnapshot(r.data.snapshot);
}

/** One minute of district life: device changes, worker moves, a case reported and handled now and then. */
async function minute(s: TestServer, i: number) {
  t += MIN;
  const records = [
    { kind: 'camera', id: `CAM-${String((i % 10) + 1).padStart(5, '0')}`, ts: t, status: i % 3 === 0 ? 'fault' : 'online' },
    { kind: 'broadcast', id: `BC-000${(i % 5) + 1}`, ts: t, status: i % 2 ? 'offline' : 'online' },
    { kind: 'worker', id: `GW-000${(i % 3) + 1}`, ts: t, lon: 117.0 + i * 0.0007, lat: 30.5 + i * 0.0003, status: 'online' },
  ];
  expect((await s.post('/api/ingest/devices', { records })).status).toBe(200);
  if (i % 2 === 0) {
    const west = i % 4 === 0;
    const c = { id: `R-${i}`, source: 'citizen', eventClass: '0102', title: `案件${i}`, urgency: 'normal', lon: west ? 117.01 : 117.08, lat: 30.5, reportedAt: t };
    expect((await s.post('/api/ingest/cases', { records: [c] })).status).toBe(200);
  }
  if (i % 4 === 2) {
    for (const command of [{ type: 'file' }, { type: 'dispatch', unit: 'DEPT-CG' }]) {
      t += 1000;
      const res = await s.post(`/api/cases/R-${i - 2}/commands`, { actor: DISPATCHER, command });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  }
}

describe('replay', () => {
  it('shows at each moment T exactly the snapshot the live screen was sent at T, across a checkpoint and a restart', async () => {
    t = T0;
    server = await startTestServer({ clock });
    const s = server;
    const recorded: Array<{ at: number; district: unknown; township: unknown }> = [];
    for (let i = 0; i < 12; i++) {
      await minute(s, i);
      t += 7_000;
      recorded.push({ at: t, district: plain(s.app.hub.snapshot(DISTRICT_SESSION)), township: plain(s.app.hub.snapshot(TOWNSHIP)) });
      // A checkpoint in the middle: later moments restore it, earlier ones start from the empty state.
      if (i === 5) await s.app.store.saveCheckpoint(s.app.projector.lastSeq, s.app.projector.checkpoint());
    }
    const { client } = await s.connect();
    const { client: townshipClient } = await s.connect({ scope: '340803001' });
    // Forward, backward, jumps across the checkpoint, the same moment twice.
    for (const i of [3, 4, 11, 0, 7, 6, 6, 1, 10]) {
      expect(plain(await replayed(client, recorded[i].at)), `moment ${i}`).toEqual(recorded[i].district);
    }
    for (const i of [8, 2]) {
      const snap = await replayed(townshipClient, recorded[i].at);
      expect(plain(snap), `township moment ${i}`).toEqual(recorded[i].township);
      expect(snap.cases.every((c) => c.townshipCode === '340803001')).toBe(true);
    }
    // The replayed moments really differ (a replay stuck on one state would fail above, but say so plainly).
    expect(recorded[2].district).not.toEqual(recorded[9].district);
    // A restart: the cursor is rebuilt from the stored checkpoints and log.
    await s.close(false);
    server = await startTestServer({ clock, dataDir: s.dataDir });
    const { client: again } = await server.connect();
    for (const i of [9, 2]) expect(plain(await replayed(again, recorded[i].at)), `after restart, moment ${i}`).toEqual(recorded[i].district);
  });

  it('refuses moments outside the log and malformed seeks with a reason, and limits the screens replaying at once', async () => {
    t = T0;
    server = await startTestServer({ clock });
    const { client } = await server.connect();
    const empty = await seek(client, t);
    expect(empty).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: 'the log is empty: nothing to replay' });
    await minute(server, 0);
    const range = await client.timeout(2000).emitWithAck('replay:range');
    expect(range).toEqual({ ok: true, data: { first: T0 + MIN, last: T0 + MIN } });
    expect(await seek(client, T0)).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: expect.stringContaining('before the log begins') });
    expect(await seek(client, t + 1)).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: '/at is in the future' });
    expect(await client.timeout(2000).emitWithAck('replay:seek', { at: 'yesterday' } as never)).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: '/at must be an integer (UTC ms)' });
    expect((await seek(client, t)).ok).toBe(true);
    // Eight cursors at most: this connection holds one, seven more fit, the ninth is refused.
    for (let k = 0; k < 7; k++) expect((await server.app.replay.seek(`other-${k}`, DISTRICT_SESSION, t)).ok).toBe(true);
    expect(await server.app.replay.seek('one-too-many', DISTRICT_SESSION, t)).toMatchObject({ ok: false, code: 'REPLAY_BUSY' });
    // Back to live frees the cursor.
    expect(await client.timeout(2000).emitWithAck('replay:stop')).toEqual({ ok: true, data: null });
    expect(server.app.replay.active).toBe(7);
    expect((await server.app.replay.seek('one-too-many', DISTRICT_SESSION, t)).ok).toBe(true);
  });
});
