// GET /api/video/:kind/:id over real HTTP: stream URLs by configuration (template, per-id file).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-support.ts';

let withTemplate: TestServer;
let bare: TestServer;

beforeAll(async () => {
  withTemplate = await startTestServer({
    config: { videoUrlTemplate: 'http://127.0.0.1:8090/hls/{id}/index.m3u8?k={kind}', videoStreams: { 'LK-1': 'http://media.example/lookout-1.m3u8' } },
  });
  bare = await startTestServer();
});

afterAll(async () => {
  await withTemplate?.close();
  await bare?.close();
});

describe('GET /api/video/:kind/:id', () => {
  it('answers a camera from the template with its name', async () => {
    const r = await withTemplate.get('/api/video/camera/CAM-00002');
    expect(r).toEqual({ status: 200, body: { kind: 'camera', id: 'CAM-00002', name: '摄像机2', url: 'http://127.0.0.1:8090/hls/CAM-00002/index.m3u8?k=camera' } });
  });
  it('lets the per-device file win over the template', async () => {
    const r = await withTemplate.get('/api/video/lookout/LK-1');
    expect(r.body).toEqual({ kind: 'lookout', id: 'LK-1', name: '瞭望1', url: 'http://media.example/lookout-1.m3u8' });
    expect((await withTemplate.get('/api/video/drone/UAV-1')).body.url).toBe('http://127.0.0.1:8090/hls/UAV-1/index.m3u8?k=drone');
  });
  it('answers 404 for an unknown device or a device of another kind', async () => {
    const r = await withTemplate.get('/api/video/camera/CAM-99999');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ ok: false, code: 'UNKNOWN_DEVICE', message: expect.stringContaining('CAM-99999') });
    expect((await withTemplate.get('/api/video/lookout/CAM-00001')).status).toBe(404);
  });
  it('refuses kinds without video', async () => {
    expect((await withTemplate.get('/api/video/broadcast/BC-0001')).status).toBe(400);
  });
  it('answers 404 with a message when no stream is configured', async () => {
    const r = await bare.get('/api/video/camera/CAM-00001');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ ok: false, code: 'NO_STREAM', message: expect.stringContaining('VIDEO_URL_TEMPLATE') });
  });
});
