// Rate limits over real HTTP and socket.io-client: API requests per account or address, ingest per
// gateway key, socket commands per connection; each refusal says why, and nothing refused is run.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, TEST_KEY, type TestServer } from './test-support.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const OTHER_KEY = 'other-gateway-key-0123456789';

describe('rate limits', () => {
  it('limits API reads per client and ingest per gateway key, separately, with a clear 429', async () => {
    server = await startTestServer({ config: { apiPerMinute: 5, ingestPerMinute: 3, gatewayKeys: new Map([[TEST_KEY, 'test'], [OTHER_KEY, 'other']]) } });
    for (let i = 0; i < 5; i++) expect((await server.get('/api/cases')).status).toBe(200);
    const refused = await server.get('/api/cases');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ ok: false, code: 'RATE_LIMITED', message: expect.stringMatching(/more than 5 requests a minute: try again in \d+ s/) });
    // Liveness is never limited.
    expect((await server.get('/api/health')).status).toBe(200);
    const record = (i: number) => ({ records: [{ kind: 'camera', id: 'CAM-00001', ts: Date.now() + i, status: 'online' }] });
    for (let i = 0; i < 3; i++) expect((await server.post('/api/ingest/devices', record(i))).status).toBe(200);
    const seq = (await server.get('/api/health')).body.seq;
    expect((await server.post('/api/ingest/devices', record(9))).status).toBe(429);
    expect((await server.get('/api/health')).body.seq).toBe(seq); // the refused batch was not stored
    // Another gateway has its own allowance.
    expect((await server.post('/api/ingest/devices', record(10), OTHER_KEY)).status).toBe(200);
  });

  it('limits socket commands per connection: a burst, then RATE_LIMITED answers and nothing run', async () => {
    // The limiter reads the server's clock: held still here, so the burst is exact whatever the machine's load.
    let t = Date.UTC(2026, 10, 23, 1, 0);
    server = await startTestServer({ clock: { now: () => t }, config: { commandsPerSecond: 2 } });
    const { client } = await server.connect({ actor: { id: 'd1', name: '派遣员', role: 'dispatcher', org: '340803' } });
    const detail = () => client.timeout(3000).emitWithAck('case:detail', { caseId: 'NOPE' });
    const answers = await Promise.all(Array.from({ length: 10 }, detail));
    const codes = answers.map((a) => (a.ok ? 'OK' : a.code));
    // The burst (3 × 2 a second) is run (an unknown case: NOT_FOUND), the rest refused unrun.
    expect(codes).toEqual([...Array(6).fill('NOT_FOUND'), ...Array(4).fill('RATE_LIMITED')]);
    expect(answers[6]).toMatchObject({ message: 'more than 2 commands a second from this screen: slow down' });
    // Half a second later one more command is allowed (2 a second), then the screen is limited again.
    t += 500;
    expect((await detail()).code).toBe('NOT_FOUND');
    expect((await detail()).code).toBe('RATE_LIMITED');
    // A second later, two.
    t += 1000;
    expect([(await detail()).code, (await detail()).code, (await detail()).code]).toEqual(['NOT_FOUND', 'NOT_FOUND', 'RATE_LIMITED']);
  });
});
