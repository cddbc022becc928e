// An alarm acknowledged from a screen (the socket's alarm:acknowledge, as the dashboard's alert
// pop-up sends it) is in the audit log: who, when, which alarm, in which area (issue 15).
import { afterEach, expect, it } from 'vitest';
import type { AuditEntry } from '../core/audit.ts';
import type { Actor } from '../core/org.ts';
import { startTestServer, type TestServer } from './test-support.ts';

const MONDAY_9 = Date.UTC(2026, 10, 23, 1, 0); // 09:00 Asia/Shanghai
let t = MONDAY_9;
const clock = { now: () => t };
let server: TestServer;

afterEach(async () => {
  await server?.close();
});

const TOWNSHIP: Actor = { id: 't1', name: '德宽路坐席', role: 'township-operator', org: '340803001' };

it('alarm:acknowledge over the socket becomes an audit entry with the screen\'s actor, the time and the alarm\'s area', async () => {
  server = await startTestServer({ clock });
  // A doubtful detection: an alarm without a case, in 德宽路街道 / 马山社区 (the test district's west).
  const ingest = await server.post('/api/ingest/video-events', { records: [{ id: 'V-9', cameraId: 'CAM-00005', ts: t, eventClass: '0107', confidence: 0.6 }] });
  expect(ingest.status).toBe(200);
  await server.app.alarmService.idle();
  const { client } = await server.connect({ actor: TOWNSHIP, scope: '340803001' });
  t += 90_000;
  const answer = await client.timeout(5000).emitWithAck('alarm:acknowledge', { alarmId: 'AL-V-9' });
  expect(answer).toMatchObject({ ok: true, data: { id: 'AL-V-9', status: 'acknowledged', ackBy: 't1', ackAt: MONDAY_9 + 90_000 } });

  const res = await server.get('/api/audit?action=alarm');
  expect(res.status).toBe(200);
  const entries = res.body.data.entries as AuditEntry[];
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({
    action: 'alarm:acknowledge', actor: TOWNSHIP, subject: 'AL-V-9', scope: '340803001002', at: MONDAY_9 + 90_000,
    before: { status: 'active' }, after: { status: 'acknowledged' },
  });
});
