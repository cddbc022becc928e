// A phone follows cases only (issue 16): a socket whose handshake says feed 'cases' gets its
// scope's cases, KPIs and alarms, and none of the device layers (status bytes, positions, drones)
// a wall screen of the same scope gets. Over real HTTP and socket.io-client.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeDelta, toTyped, type Delta } from '../../core/protocol.ts';
import { nextEvent, startTestServer, type TestServer } from '../test-support.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('cases-only feed', () => {
  it('receives case events and deltas without device changes, beside a screen that gets them', async () => {
    server = await startTestServer();
    const wall = await server.connect();
    const phone = await server.connect({ feed: 'cases' });
    // The phone's snapshot has no device layers; the wall's has every device.
    expect(toTyped(phone.snapshot.status.camera, Uint8Array).length).toBe(0);
    expect(toTyped(phone.snapshot.moving.worker.lonlat, Float64Array).length).toBe(0);
    expect(toTyped(wall.snapshot.status.camera, Uint8Array).length).toBeGreaterThan(0);

    const phoneDeltas: Delta[] = [];
    phone.client.on('delta:sent', (w) => phoneDeltas.push(decodeDelta(w)));
    // A status goes in the next tick, a move at the moves' pace: maybe in two deltas.
    const wallDeltas: Delta[] = [];
    wall.client.on('delta:sent', (w) => wallDeltas.push(decodeDelta(w)));
    const phoneCase = nextEvent(phone.client, 'case:reported', (c) => c.id === 'C-PHONE');
    const now = Date.now();
    expect((await server.post('/api/ingest/devices', { records: [
      { kind: 'camera', id: 'CAM-00001', ts: now, status: 'fault' },
      { kind: 'worker', id: 'GW-0001', ts: now, lon: 117.0123, lat: 30.5012, heading: 45 },
    ] })).status).toBe(200);
    expect((await server.post('/api/ingest/cases', { records: [{ id: 'C-PHONE', source: 'citizen', eventClass: '0102', title: '案件', urgency: 'normal', lon: 117.01, lat: 30.5, reportedAt: now }] })).status).toBe(200);
    expect((await phoneCase).id).toBe('C-PHONE');
    await expect.poll(() => wallDeltas.some((d) => d.status.camera !== undefined) && wallDeltas.some((d) => d.moves.worker !== undefined), { timeout: 10_000 }).toBe(true);
    const wallSeq = wallDeltas.at(-1)!.seq;
    // The phone has had the deltas of the same ticks (it reached the wall's seq), none with a device change.
    await expect.poll(() => phoneDeltas.at(-1)?.seq ?? -1, { timeout: 10_000 }).toBeGreaterThanOrEqual(wallSeq);
    expect(phoneDeltas.length).toBeGreaterThan(0);
    for (const d of phoneDeltas) {
      expect(d.status).toEqual({});
      expect(d.moves).toEqual({});
      expect(d.drones).toBeUndefined();
    }
    // Its deltas chain like every screen's.
    for (let i = 1; i < phoneDeltas.length; i++) expect(phoneDeltas[i].prevSeq).toBe(phoneDeltas[i - 1].seq);
  });

  it('refuses a feed it does not know, saying which there are', async () => {
    server = await startTestServer();
    await expect(server.connect({ feed: 'devices' as never })).rejects.toThrow(/feed "devices" is not one of all, cases/);
  });
});
