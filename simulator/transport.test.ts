import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Sender } from './transport.ts';

type Handler = (req: IncomingMessage, body: any, res: ServerResponse, n: number) => void;

let server: Server | null = null;
async function serve(handler: Handler): Promise<string> {
  let n = 0;
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => handler(req, JSON.parse(data || '{}'), res, n++));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = null;
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const rec = (i: number) => ({ kind: 'camera', id: `CAM-${i}`, ts: 1_800_000_000_000, status: 'online' });

describe('Sender', () => {
  it('retries a failed batch (network error, then 503) and counts it only after the 2xx', async () => {
    const seen: number[] = [];
    const acceptedAtAttempt: number[] = []; // what the sender had counted when each attempt reached the server
    const url = await serve((req, body, res, n) => {
      expect(req.headers['x-gateway-key']).toBe('k');
      seen.push(body.records?.length ?? -1);
      acceptedAtAttempt.push(s.stats.accepted);
      if (n === 0) return req.socket.destroy(); // network error
      if (n === 1) return json(res, 503, { code: 'UNAVAILABLE' });
      json(res, 200, { accepted: body.records.length, rejected: [], lastSeq: 42 });
    });
    const s = new Sender({ baseUrl: url, path: '/api/ingest/devices', key: 'k', backoffMs: [20, 50] });
    for (let i = 0; i < 5; i++) s.push(rec(i));
    s.pump();
    expect(await s.drain(5000)).toBe(true);
    expect(seen).toEqual([5, 5, 5]);
    expect(acceptedAtAttempt).toEqual([0, 0, 0]); // nothing counted before the 2xx
    expect(s.stats).toMatchObject({ sent: 5, accepted: 5, retried: 10, rejected: 0, lastSeq: 42 });
  });

  it('keeps records in order and splits batches at maxBatch', async () => {
    const ids: string[] = [];
    const url = await serve((_req, body, res) => {
      ids.push(...body.records.map((r: any) => r.id));
      json(res, 200, { accepted: body.records.length, rejected: [], lastSeq: ids.length });
    });
    const s = new Sender({ baseUrl: url, path: '/x', key: 'k', maxBatch: 3 });
    for (let i = 0; i < 10; i++) s.push(rec(i));
    await s.drain(5000);
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `CAM-${i}`));
    expect(s.stats.requests).toBe(4);
  });

  it('counts rejected records from a 207 and does not resend them', async () => {
    let calls = 0;
    const url = await serve((_req, body, res) => {
      calls++;
      json(res, 207, { accepted: body.records.length - 1, rejected: [{ index: 0, id: 'CAM-0', field: '/status', code: 'INVALID_RECORD', message: 'bad' }], lastSeq: 1 });
    });
    const s = new Sender({ baseUrl: url, path: '/x', key: 'k' });
    for (let i = 0; i < 4; i++) s.push(rec(i));
    await s.drain(5000);
    expect(calls).toBe(1);
    expect(s.stats).toMatchObject({ accepted: 3, rejected: 1, retried: 0 });
  });

  it('stops on 401 (bad key) and reports it', async () => {
    const url = await serve((_req, _body, res) => json(res, 401, { code: 'UNAUTHORIZED' }));
    let fatal: Error | null = null;
    const s = new Sender({ baseUrl: url, path: '/x', key: 'bad', onFatal: (e) => (fatal = e) });
    s.push(rec(1));
    await s.sendBody('{"records":[]}', 0).catch(() => {});
    expect(fatal).not.toBeNull();
    expect(s.stats.accepted).toBe(0);
  });
});
