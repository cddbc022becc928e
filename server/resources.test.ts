// Emergency resources over real HTTP: the list each area reads (a township its own shelters and
// every team; the district all), and the admin's import — dry run, apply, re-apply, bad rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { nextEvent, startTestServer, type TestClient, type TestServer } from './test-support.ts';

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

describe('POST /api/resources/import', () => {
  const CSV = [
    'id,kind,name,lon,lat,township,address,phone,capacity,area_m2,members,specialty,equipment,beds,stock',
    // row 2: SH-001 with a new capacity → changed
    'SH-001,shelter,马山小学应急避难场所,117.02,30.5,340803001,德宽路街道马山社区,0556-5500001,1500,2400,,,,,',
    // row 3: new shelter; its name holds a comma, quoted
    'SH-101,shelter,"人民公园,东区应急避难场所",117.03,30.51,340803001,德宽路街道,0556-5500101,4000,8000,,,,,',
    // row 4: new depot with stock
    'DP-101,depot,德宽路应急物资储备点,117.04,30.52,340803001,德宽路街道,0556-5500102,,,,,,,帐篷:120:顶;棉被:300:床',
    // row 5: exactly as the district has it → unchanged
    'RT-001,team,大观区水上救援队,117.06,30.51,340803002,玉琳路街道,0556-5500003,,,24,water,冲锋舟,,',
    // rows 6–11: one thing wrong each
    'SH-102,shelter,坏类别,117.03,30.51,340803001,,0556-5500103,100,,,,,,',
    'SH-103,hospital,前缀不符,117.03,30.51,340803001,,0556-5500104,,,,,,50,',
    'HO-104,hospital,区外医院,118.5,30.51,340803001,,0556-5500105,,,,,,50,',
    'HO-105,hospital,电话不对,117.03,30.51,340803001,,call us,,,,,,50,',
    'SH-101,shelter,重复编号,117.03,30.51,340803001,,0556-5500106,100,,,,,,',
    'DP-106,depot,库存格式,117.03,30.51,340803001,,0556-5500107,,,,,,,帐篷一百顶',
    // row 12: a shelter east of 117.05 (玉琳路街道's grid) declared in 德宽路街道
    'SH-107,shelter,街道不符,117.08,30.51,340803001,,0556-5500108,100,,,,,,',
  ].join('\n');
  // row 6's kind is broken on purpose
  const csv = CSV.replace('SH-102,shelter,坏类别', 'SH-102,bunker,坏类别');
  const EXPECTED_ERRORS = [
    { row: 6, column: 'kind', reason: expect.stringContaining('"bunker" is not one of'), why: { key: 'notOneOf', values: expect.objectContaining({ value: 'bunker' }) } },
    { row: 7, column: 'id', reason: expect.stringContaining('prefix'), why: { key: 'idPrefix', values: { id: 'SH-103' } } },
    { row: 8, column: 'lon', reason: expect.stringContaining('outside the district'), why: { key: 'outsideDistrictAs', values: { lon: 118.5, lat: 30.51, crs: 'WGS84' } } },
    { row: 9, column: 'phone', reason: expect.any(String), why: { key: 'refused', values: { message: expect.any(String) } } },
    { row: 10, column: 'id', reason: 'SH-101 appears already in row 3', why: { key: 'appearsAlready', values: { id: 'SH-101', row: 3 } } },
    { row: 11, column: 'stock', reason: expect.stringContaining('item:quantity:unit'), why: { key: 'notStock', values: { value: '帐篷一百顶' } } },
    { row: 12, column: 'township', reason: 'its point lies in township 340803002, not 340803001', why: { key: 'townshipOther', values: { there: '340803002', named: '340803001' } } },
  ];

  it('is an admin\'s: refused without signing in', async () => {
    const res = await fetch(`${server.url}/api/resources/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ format: 'csv', text: csv, source: 'x.csv', apply: true }) });
    expect(res.status).toBe(401);
    expect(ids((await server.get('/api/resources')).body)).toEqual(['RT-001', 'SH-001', 'SH-002']);
  });

  it('dry run lists every change and bad row and stores nothing; apply stores the good rows; the same file again changes nothing', async () => {
    const { startAccountsServer } = await import('./test-accounts.ts');
    const { server: s, adminPassword } = await startAccountsServer();
    try {
      const login = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'admin', password: adminPassword }) });
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      let appliedSeq = 0;
      const post = async (body: unknown) => {
        const res = await fetch(`${s.url}/api/resources/import`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as any };
      };
      const list = async () => (await (await fetch(`${s.url}/api/resources`, { headers: { cookie } })).json()).data.resources as any[];

      const dry = await post({ format: 'csv', text: csv, source: 'ledger.csv', apply: false });
      expect(dry.status, JSON.stringify(dry.body)).toBe(200);
      expect(dry.body.data).toEqual({
        applied: false, rows: 11, unchanged: 1, seq: null, token: expect.stringMatching(/^[0-9a-f]{64}$/),
        added: [{ row: 3, id: 'SH-101', name: '人民公园,东区应急避难场所', fields: [] }, { row: 4, id: 'DP-101', name: '德宽路应急物资储备点', fields: [] }],
        changed: [{ row: 2, id: 'SH-001', name: '马山小学应急避难场所', fields: ['capacity'] }],
        errors: EXPECTED_ERRORS,
      });
      expect((await list()).map((r) => r.id).sort()).toEqual(['RT-001', 'SH-001', 'SH-002']);

      // An apply needs the dry run's token: none, another file's, or other options are refused and store nothing.
      expect((await post({ format: 'csv', text: csv, source: 'ledger.csv', apply: true })).status).toBe(400);
      expect((await post({ format: 'csv', text: csv, source: 'ledger.csv', apply: true, token: 'a'.repeat(64) })).body.code).toBe('CONFLICT');
      expect((await post({ format: 'csv', text: csv, source: 'ledger.csv', apply: true, crs: 'GCJ02', token: dry.body.data.token })).body.code).toBe('CONFLICT');
      expect((await list()).map((r) => r.id).sort()).toEqual(['RT-001', 'SH-001', 'SH-002']);

      // A screen connected (the admin's cookie) hears that the list changed, with the import's commit time.
      const screen: TestClient = connect(s.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
      try {
        await nextEvent(screen, 'snapshot:sent', () => true, 15_000);
        const heard = nextEvent(screen, 'resources:changed', () => true, 15_000);
        const applied = await post({ format: 'csv', text: csv, source: 'ledger.csv', apply: true, token: dry.body.data.token });
        expect(applied.body.data).toMatchObject({ applied: true, unchanged: 1, errors: EXPECTED_ERRORS });
        expect(applied.body.data.seq).toBeGreaterThan(0);
        const [{ ts: committedAt }] = await s.app.store.readOfType('resource:', 10);
        expect(await heard).toEqual({ since: committedAt });
        appliedSeq = applied.body.data.seq;
      } finally {
        screen.disconnect();
      }
      const after = await list();
      expect(after.map((r) => r.id).sort()).toEqual(['DP-101', 'RT-001', 'SH-001', 'SH-002', 'SH-101']);
      expect(after.find((r) => r.id === 'SH-001').capacity).toBe(1500);
      expect(after.find((r) => r.id === 'DP-101').stock).toEqual([{ item: '帐篷', quantity: 120, unit: '顶' }, { item: '棉被', quantity: 300, unit: '床' }]);

      // A replay asks for a past moment: before the import's commit the dataset's list, from it on the import's.
      const [{ ts: importedAt }] = await s.app.store.readOfType('resource:', 10);
      const listAt = async (at: number) => (await (await fetch(`${s.url}/api/resources?at=${at}`, { headers: { cookie } })).json()).data;
      const before = await listAt(importedAt - 1);
      expect(before.resources.map((r: any) => r.id).sort()).toEqual(['RT-001', 'SH-001', 'SH-002']);
      expect(before.resources.find((r: any) => r.id === 'SH-001').capacity).not.toBe(1500);
      expect(before).toMatchObject({ since: null, until: importedAt });
      const from = await listAt(importedAt);
      expect(from.resources.map((r: any) => r.id).sort()).toEqual(['DP-101', 'RT-001', 'SH-001', 'SH-002', 'SH-101']);
      expect(from).toMatchObject({ since: importedAt, until: null });
      expect((await server.get('/api/resources?at=-5')).status).toBe(400);

      const again = await post({ format: 'csv', text: csv, source: 'ledger.csv', apply: true, token: dry.body.data.token });
      expect(again.body.data).toMatchObject({ applied: false, seq: null, added: [], changed: [], unchanged: 4, errors: EXPECTED_ERRORS });
      const head = await s.app.store.head();
      expect(head).toBe(appliedSeq); // nothing appended by the second import

      // GeoJSON: one Point, one LineString.
      const geojson = {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { id: 'HO-101', kind: 'hospital', name: '德宽路社区卫生服务中心', township: '340803001', phone: '0556-5500200', beds: 30 }, geometry: { type: 'Point', coordinates: [117.025, 30.505] } },
          { type: 'Feature', properties: { id: 'HO-102', kind: 'hospital', name: '线', township: '340803001', phone: '0556-5500201' }, geometry: { type: 'LineString', coordinates: [[117, 30.5], [117.01, 30.5]] } },
        ],
      };
      // In GCJ-02 (an Amap export): stored in WGS84, about 0.005° west and 0.002° north of the file's numbers.
      const geoFile = { format: 'geojson', text: JSON.stringify(geojson), source: 'hospitals.geojson', crs: 'GCJ02' };
      const geoDry = await post({ ...geoFile, apply: false });
      const geo = await post({ ...geoFile, apply: true, token: geoDry.body.data.token });
      expect(geo.body.data).toMatchObject({ applied: true, added: [{ row: 1, id: 'HO-101' }], errors: [{ row: 2, column: 'geometry', reason: 'a resource is a GeoJSON Point' }] });
      const ho = (await list()).find((r) => r.id === 'HO-101');
      expect(ho).toMatchObject({ beds: 30, address: '' });
      expect(ho.lon).toBeGreaterThan(117.025 - 0.0065);
      expect(ho.lon).toBeLessThan(117.025 - 0.004);
      expect(ho.lat).toBeGreaterThan(30.505 + 0.001);
      expect(ho.lat).toBeLessThan(30.505 + 0.003);

      const broken = await post({ format: 'csv', text: 'id,name\nSH-1,x', source: 'broken.csv', apply: false });
      expect(broken.status).toBe(400);
      expect(broken.body.message).toMatch(/broken\.csv: the header lacks the column\(s\) kind, lon, lat, township, phone/);

      const audit = await (await fetch(`${s.url}/api/audit?action=resource`, { headers: { cookie } })).json();
      expect(audit.data.entries.map((e: any) => [e.action, e.actor.id, e.subject])).toEqual(expect.arrayContaining([['resource:import', 'admin', 'ledger.csv'], ['resource:import', 'admin', 'hospitals.geojson']]));
      expect(audit.data.entries).toHaveLength(2);
    } finally {
      await s.close();
    }
  });
});
