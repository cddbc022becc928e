// The media server with real ffmpeg: a playlist, a segment that ffprobe reads as H.264 at the
// right size, 404 for unknown devices, 503 beyond --max-streams while all are watched, an unwatched
// stream's slot given to a new one, idle streams stopped.
// At most 2 encoders run at once (2-core machine).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ffprobePath } from './ffmpeg.ts';
import { MediaServer } from './server.ts';

const log = pino({ level: 'silent' });
let media: MediaServer;
let base: string;
const work = mkdtempSync(path.join(os.tmpdir(), 'linkage-media-test-'));

beforeAll(async () => {
  media = new MediaServer({
    sources: [
      { id: 'CAM-00001', name: '马山社区-1号摄像机', kind: 'camera' },
      { id: 'CAM-00002', name: '马山社区-2号摄像机', kind: 'camera' },
      { id: 'CAM-00003', name: '马山社区-3号摄像机', kind: 'camera' },
      { id: 'LK-1', name: '大观亭高空瞭望', kind: 'lookout' },
    ],
    port: 0,
    maxStreams: 2,
    idleS: 8,
    unwatchedS: 2,
    log,
    workDir: work,
  });
  base = `http://127.0.0.1:${await media.start()}`;
});

afterAll(async () => {
  await media?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The stream's playlist, once its encoder has started (503 STARTING until then). */
function playlist(id: string): Promise<Response> {
  return vi.waitFor(async () => {
    const res = await fetch(`${base}/hls/${id}/index.m3u8`);
    if (res.status === 503 && (await res.clone().json()).error === 'STARTING') throw new Error(`${id} did not start`);
    return res;
  }, { timeout: 10_000, interval: 500 });
}

/** Fetches the init segment and the newest media segment and probes them as a player would see them. */
async function probeNewest(id: string): Promise<{ codec_name: string; width: number; height: number; profile: string; nb_read_frames: string }> {
  const res = await playlist(id);
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  const text = await res.text();
  expect(text).toContain('#EXT-X-MAP:URI="init.mp4"');
  const segments = text.split('\n').filter((l) => l.endsWith('.m4s'));
  expect(segments.length).toBeGreaterThan(0);
  const init = Buffer.from(await (await fetch(`${base}/hls/${id}/init.mp4`)).arrayBuffer());
  const segRes = await fetch(`${base}/hls/${id}/${segments.at(-1)}`);
  expect(segRes.status).toBe(200);
  const seg = Buffer.from(await segRes.arrayBuffer());
  const file = path.join(work, `${id}.mp4`);
  writeFileSync(file, Buffer.concat([init, seg]));
  const out = execFileSync(ffprobePath, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,profile,width,height,nb_read_frames', '-of', 'json', file], { encoding: 'utf8' });
  return (JSON.parse(out) as { streams: never[] }).streams[0];
}

describe('simulator media server', () => {
  it('answers 404 with a message for an unknown device', async () => {
    const res = await fetch(`${base}/hls/CAM-99999/index.m3u8`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'UNKNOWN_DEVICE', message: expect.stringContaining('CAM-99999') });
  });

  it('serves a camera as live H.264 HLS at 640×360 with ~1 s segments', async () => {
    const s = await probeNewest('CAM-00001');
    expect(s).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect(s.profile).toMatch(/Baseline/);
    expect(Number(s.nb_read_frames)).toBeGreaterThanOrEqual(10); // 15 fps × ~1 s
    const text = await (await playlist('CAM-00001')).text();
    expect(text).toMatch(/#EXT-X-TARGETDURATION:1\b/);
  });

  it('serves a lookout as a wide 1280×360 panorama', async () => {
    const s = await probeNewest('LK-1');
    expect(s).toMatchObject({ codec_name: 'h264', width: 1280, height: 360 });
  });

  it('refuses a stream beyond --max-streams with 503 and says so', async () => {
    // Both slots in use (requested just now, so neither is idle).
    await Promise.all([playlist('CAM-00001'), playlist('LK-1')]);
    const status = await (await fetch(`${base}/hls`)).json();
    expect(status.streams.map((s: { id: string }) => s.id).sort()).toEqual(['CAM-00001', 'LK-1']);
    // Both watched: asked for just now.
    await Promise.all([fetch(`${base}/hls/CAM-00001/index.m3u8`), fetch(`${base}/hls/LK-1/index.m3u8`)]);
    const res = await fetch(`${base}/hls/CAM-00002/index.m3u8`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(await res.json()).toMatchObject({ error: 'TOO_MANY_STREAMS', message: expect.stringContaining('2 streams') });
  });

  it('gives the slot of a stream nobody watches any more to a new one (a tour moving on)', async () => {
    const lastAsked = async (id: string) => ((await (await fetch(`${base}/hls`)).json()).streams as { id: string; lastRequestAt: number }[]).find((s) => s.id === id)?.lastRequestAt ?? 0;
    // LK-1 stays watched (its playlist asked for again and again); CAM-00001 is left for over 2 s.
    await expect.poll(async () => {
      await fetch(`${base}/hls/LK-1/index.m3u8`);
      return Date.now() - (await lastAsked('CAM-00001'));
    }, { timeout: 10_000, interval: 300 }).toBeGreaterThan(2_500);
    const res = await playlist('CAM-00002');
    expect(res.status).toBe(200);
    const status = await (await fetch(`${base}/hls`)).json();
    expect(status.streams.map((s: { id: string }) => s.id).sort()).toEqual(['CAM-00002', 'LK-1']);
  }, 30_000);

  it('stops streams nobody requests for --media-idle-s and removes their files', async () => {
    const hlsDirs = () => readdirSync(work).filter((d) => d.startsWith('linkage-hls-'));
    expect(hlsDirs().length).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => (await (await fetch(`${base}/hls`)).json()).streams, { timeout: 25_000, interval: 500 }).toEqual([]);
    expect(hlsDirs()).toEqual([]);
    // The slots are free again.
    const s = await probeNewest('CAM-00003');
    expect(s.codec_name).toBe('h264');
  }, 50_000);

  it('leaves no ffmpeg and no files behind when stopped', async () => {
    await probeNewest('CAM-00001');
    const encoders = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(work) && !l.startsWith('sh '));
    expect(encoders().length).toBeGreaterThanOrEqual(1);
    await media.stop();
    await expect.poll(encoders, { message: 'encoders still running after the stop', timeout: 2000, interval: 50 }).toEqual([]);
    expect(readdirSync(work).filter((d) => d.startsWith('linkage-hls-'))).toEqual([]);
  });
});
