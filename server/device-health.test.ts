// Device health over time over real HTTP against a temporary SQLite file: statuses reported through
// ingest change the sampled counts, the series average and bound each bucket, a gap stays a gap, bad
// windows are refused, and the samples outlive a restart on the same file.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-support.ts';

const M = 60_000;
const H = 60 * M;
const DAY = 24 * H;
const MON = Date.UTC(2026, 10, 22, 16); // Monday 00:00 Asia/Shanghai
let t = MON;
const clock = { now: () => t };
let server: TestServer;

afterEach(async () => {
  await server?.close();
});

const cam = (n: number) => `CAM-${String(n).padStart(5, '0')}`;
/** Reports statuses of the small district's 10 cameras (1-based numbers → status). */
async function cameras(statuses: Record<number, string>) {
  const records = Object.entries(statuses).map(([n, status]) => ({ kind: 'camera', id: cam(Number(n)), ts: t, status }));
  const res = await server.post('/api/ingest/devices', { records });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}
const all = (status: string) => Object.fromEntries(Array.from({ length: 10 }, (_, i) => [i + 1, status]));
const health = async (query: string) => server.get(`/api/analysis/device-health?${query}`);

describe('device health over time', () => {
  it('samples the live counts and serves them per bucket, with gaps and bad windows said plainly', async () => {
    server = await startTestServer({ clock, config: { deviceHealthEveryMs: DAY } });

    t = MON + 5 * M;
    await cameras({ ...all('online'), 9: 'fault', 10: 'alarm' });
    await server.app.deviceHealth.sampleNow(); // cameras 8 of 10 online
    t = MON + 35 * M;
    await cameras({ 1: 'offline', 2: 'offline', 3: 'offline', 4: 'offline' });
    await server.app.deviceHealth.sampleNow(); // 4 of 10
    t = MON + H; // 01:00 sharp opens the next hour
    await cameras(all('online'));
    await server.app.deviceHealth.sampleNow();
    t = MON + 3 * H + 10 * M; // nothing sampled between 02:00 and 03:00
    await server.app.deviceHealth.sampleNow();

    const res = await health(`from=${MON}&to=${MON + 4 * H}&bucket=hour`);
    expect(res.status).toBe(200);
    const data = res.body.data;
    expect(data).toMatchObject({ from: MON, to: MON + 4 * H, bucket: 'hour' });
    expect(Object.keys(data.series).sort()).toEqual(['broadcast', 'camera', 'component', 'drone', 'lookout', 'worker']);
    const camera = data.series.camera;
    expect(camera.map((p: { t: number }) => p.t)).toEqual([MON, MON + H, MON + 2 * H, MON + 3 * H]);
    expect(camera[0]).toEqual({ t: MON, onlineRate: expect.closeTo(0.6, 9), minOnlineRate: 0.4, fault: 1, alarm: 1, samples: 2 });
    expect(camera[1]).toEqual({ t: MON + H, onlineRate: 1, minOnlineRate: 1, fault: 0, alarm: 0, samples: 1 });
    expect(camera[2]).toEqual({ t: MON + 2 * H, onlineRate: null, minOnlineRate: null, fault: null, alarm: null, samples: 0 });
    expect(camera[3]).toMatchObject({ onlineRate: 1, samples: 1 });
    // A kind that never reported counts offline: 0 %, which is not the same as no data.
    expect(data.series.lookout[0]).toMatchObject({ onlineRate: 0, samples: 2 });

    // One kind; days cut at Shanghai midnight, the day before the samples is a gap.
    const days = (await health(`from=${MON - DAY}&to=${MON + DAY}&bucket=day&kind=camera`)).body.data;
    expect(Object.keys(days.series)).toEqual(['camera']);
    expect(days.series.camera.map((p: { t: number; samples: number }) => [p.t, p.samples])).toEqual([[MON - DAY, 0], [MON, 4]]);
    expect(days.series.camera[1].minOnlineRate).toBe(0.4);
    // Without a bucket the window picks one (hours up to two days), as the case trend does.
    expect((await health(`from=${MON}&to=${MON + DAY}`)).body.data.bucket).toBe('hour');

    expect((await health(`from=${MON + H}&to=${MON}`)).body).toEqual({ ok: false, code: 'BAD_REQUEST', message: 'from must be before to' });
    expect((await health(`from=${MON - 400 * DAY}&to=${MON}&bucket=week`)).body.message).toBe('at most a year at a time');
    const tooFine = await health(`from=${MON - 60 * DAY}&to=${MON}&bucket=hour`);
    expect(tooFine.status).toBe(400);
    expect(tooFine.body.message).toMatch(/too many hours/);
    const badKind = await health(`kind=satellite`);
    expect(badKind.status).toBe(400);
    expect(badKind.body.message).toMatch(/kind/);
  });

  it('keeps its samples across a restart on the same file, with a last one taken at shutdown', async () => {
    server = await startTestServer({ clock, config: { deviceHealthEveryMs: DAY } });
    const { dataDir } = server;
    t = MON + 10 * M;
    await cameras({ ...all('online'), 10: 'fault' });
    await server.app.deviceHealth.sampleNow();
    t = MON + 50 * M;
    await cameras({ 1: 'offline' });
    await server.close(false); // the shutdown sample: 8 of 10

    server = await startTestServer({ clock, dataDir, config: { deviceHealthEveryMs: DAY } });
    const camera = (await health(`from=${MON}&to=${MON + H}&bucket=hour&kind=camera`)).body.data.series.camera;
    expect(camera).toEqual([{ t: MON, onlineRate: expect.closeTo(0.85, 9), minOnlineRate: 0.8, fault: 1, alarm: 0, samples: 2 }]);
  });

  it('drops samples older than 400 days', async () => {
    server = await startTestServer({ clock, config: { deviceHealthEveryMs: DAY } });
    t = MON;
    await server.app.deviceHealth.sampleNow();
    t = MON + 300 * DAY;
    await server.app.deviceHealth.sampleNow();
    const count = async () => (await health(`from=${MON}&to=${MON + 301 * DAY}&bucket=week&kind=camera`)).body.data.series.camera.reduce((n: number, p: { samples: number }) => n + p.samples, 0);
    expect(await count()).toBe(2);
    t = MON + 401 * DAY;
    await server.app.deviceHealth.sampleNow();
    expect(await count()).toBe(1);
  });
});
