// Emergency resources over real HTTP: the list each area reads (a township its own shelters and
// every team; the district all), and the admin's import — dry run, apply, re-apply, bad rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-support.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const ids = (body: { data: { resources: { id: string }[] } }) => body.data.resources.map((r) => r.id).sort();

describe('GET /api/resources', () => {
  it('gives the district every resource, a township its own shelters and the district-wide teams', async () => {
    const district = await server.get('/api/resources');
    expect(district.status).toBe(200);
    expect(ids(district.body)).toEqual(['RT-001', 'SH-001', 'SH-002']);
    expect(district.body.data.area).toBe('340803');

    const west = await server.get('/api/resources?scope=340803001');
    expect(ids(west.body)).toEqual(['RT-001', 'SH-001']);
    const east = await server.get('/api/resources?scope=340803002');
    expect(ids(east.body)).toEqual(['RT-001', 'SH-002']);
    // A community reads its township's shelters: it evacuates into them.
    const community = await server.get('/api/resources?scope=340803001002');
    expect(ids(community.body)).toEqual(['RT-001', 'SH-001']);
  });

  it('serves what a card shows', async () => {
    const { body } = await server.get('/api/resources?scope=340803002');
    const team = body.data.resources.find((r: { id: string }) => r.id === 'RT-001');
    expect(team).toMatchObject({ kind: 'team', name: '大观区水上救援队', phone: '0556-5500003', members: 24, specialty: 'water', equipment: ['冲锋舟'] });
    const shelter = body.data.resources.find((r: { id: string }) => r.id === 'SH-002');
    expect(shelter).toMatchObject({ capacity: 5000, areaM2: 9000 });
  });

  it('refuses a scope that is not an area of the district', async () => {
    const bad = await server.get('/api/resources?scope=999');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/scope/);
  });
});
