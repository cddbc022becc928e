// Device ledger import over real HTTP (AUTH_MODE=accounts): a CSV with good and bad rows is dry-run
// (every change and every bad row, nothing logged), applied with its token (the good rows only, seen
// by a screen at once, ingest accepts the new camera), and applied again (nothing changes); an XLSX
// in GCJ-02 lands in WGS84; a wrong token or a changed option is refused; retire-if-asked retires
// what the ledger no longer lists.
import { afterEach, describe, expect, it, vi } from 'vitest';
import ExcelJS from 'exceljs';
import { connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../core/protocol.ts';
import type { RegisteredDevice } from '../core/registry.ts';
import type { TestServer } from './test-support.ts';
import { startAccountsServer } from './test-accounts.ts';

let server: TestServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const c of sockets.splice(0)) c.disconnect();
  await server?.close();
  server = undefined;
});

const call = async (s: TestServer, p: string, cookie: string, body: unknown) => {
  const res = await fetch(s.url + p, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};

const CSV = [
  '序号,设备编码,设备名称,经度,纬度,类型,所属街道,智能分析',
  '1,CAM-00001,摄像机1,117.0,30.5,摄像机,德宽路街道,否',
  '2,34080300001320000201,石化路口枪机,117.02,30.51,枪机,德宽路街道,是',
  '3,34080300001310000202,"菱湖南路,东",117.03,30.52,球机,玉琳路街道,否',
  '4,3408030000131000020,编码少一位,117.03,30.52,摄像机,,否',
  '5,34080300001310000203,经度写错,一一七,30.52,摄像机,,否',
  '6,BC-NEW-1,新广播,117.04,30.53,应急广播,,',
].join('\r\n');
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

describe('ledger import', () => {
  it('dry run → apply with the token → apply again changes nothing; bad rows cost only themselves; XLSX in GCJ-02; retire-if-asked', async () => {
    const { server: s, adminPassword } = await startAccountsServer();
    server = s;
    const login = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'admin', password: adminPassword }) });
    const admin = login.headers.get('set-cookie')!.split(';')[0];
    const client: Socket<ServerToClientEvents, ClientToServerEvents> = connect(s.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: admin } });
    sockets.push(client);
    const heard: RegisteredDevice[] = [];
    client.on('devices:changed', (list) => heard.push(...list));
    await new Promise((resolve) => client.once('snapshot:sent', resolve));

    // CAM-00001 is not a GB/T 28181 id: a camera row must carry one.
    const file = { file: b64(CSV), filename: '大观区设备台账.csv', crs: 'WGS84' };
    const seq0 = s.app.store.lastSeq();
    const dry = await call(s, '/api/devices/import/dry-run', admin, file);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.data.counts).toEqual({ new: 3, updated: 0, unchanged: 0, retired: 0, bad: 3 });
    expect(dry.body.data.bad.map((b: any) => [b.row, b.column])).toEqual([[2, '设备编码'], [5, '设备编码'], [6, '经度']]);
    expect(dry.body.data.changes.map((c: any) => [c.row, c.action, c.id])).toEqual([[3, 'new', '34080300001320000201'], [4, 'new', '34080300001310000202'], [7, 'new', 'BC-NEW-1']]);
    expect(s.app.store.lastSeq()).toBe(seq0);
    expect((await s.post('/api/ingest/devices', { records: [{ kind: 'camera', id: '34080300001320000201', ts: Date.now(), status: 'online' }] })).status).toBe(422);

    // A token that is not this file's (or other options) is refused.
    expect((await call(s, '/api/devices/import/apply', admin, { ...file, token: 'a'.repeat(64) })).body.code).toBe('CONFLICT');
    expect((await call(s, '/api/devices/import/apply', admin, { ...file, crs: 'GCJ02', token: dry.body.data.token })).body.code).toBe('CONFLICT');

    const applied = await call(s, '/api/devices/import/apply', admin, { ...file, token: dry.body.data.token });
    expect(applied.body.data).toMatchObject({ applied: 3, counts: { new: 3, bad: 3 } });
    await vi.waitFor(() => expect(heard.map((d) => d.id).sort()).toEqual(['34080300001310000202', '34080300001320000201', 'BC-NEW-1']));
    expect(heard.find((d) => d.id === '34080300001310000202')).toMatchObject({ name: '菱湖南路,东', lon: 117.03, lat: 30.52, ai: false });
    expect(heard.find((d) => d.id === '34080300001320000201')).toMatchObject({ ai: true });
    expect((await s.post('/api/ingest/devices', { records: [{ kind: 'camera', id: '34080300001320000201', ts: Date.now(), status: 'online' }] })).status).toBe(200);

    // The same file again: nothing to change, nothing logged.
    const seq1 = s.app.store.lastSeq();
    const again = await call(s, '/api/devices/import/dry-run', admin, file);
    expect(again.body.data.counts).toEqual({ new: 0, updated: 0, unchanged: 3, retired: 0, bad: 3 });
    expect(again.body.data.token).toBe(dry.body.data.token);
    expect((await call(s, '/api/devices/import/apply', admin, { ...file, token: again.body.data.token })).body.data).toMatchObject({ applied: 0 });
    expect(s.app.store.lastSeq()).toBe(seq1);

    // An XLSX from an Amap-based ledger (GCJ-02): the camera is placed in WGS84, ~550 m south-west of the file's numbers.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    ws.addRow(['编号', '点位', 'X', 'Y']);
    ws.addRow(['34080300001310000204', '高德坐标点', 117.06, 30.53]);
    const xlsx = { file: b64(Buffer.from(await wb.xlsx.writeBuffer())), filename: 'ledger.xlsx', crs: 'GCJ02', mapping: { id: '编号', name: '点位', lon: 'X', lat: 'Y' } };
    const xdry = await call(s, '/api/devices/import/dry-run', admin, xlsx);
    expect(xdry.body.data.counts).toMatchObject({ new: 1, bad: 0 });
    await call(s, '/api/devices/import/apply', admin, { ...xlsx, token: xdry.body.data.token });
    const placed = s.app.projector.registry.get('camera', '34080300001310000204')!;
    expect(placed.lon).toBeGreaterThan(117.053);
    expect(placed.lon).toBeLessThan(117.056);
    expect(placed.lat).toBeGreaterThan(30.531);
    expect(placed.lat).toBeLessThan(30.534);

    // Retire-if-asked: a ledger of one camera retires every other camera in service.
    const only = { file: b64('设备编码,设备名称,经度,纬度\n34080300001320000201,石化路口枪机,117.02,30.51\n'), filename: 'only.csv', crs: 'WGS84', retireMissing: true };
    const rdry = await call(s, '/api/devices/import/dry-run', admin, only);
    // The dataset's 10 cameras and the two other imported ones.
    expect(rdry.body.data.counts).toEqual({ new: 0, updated: 0, unchanged: 1, retired: 12, bad: 0 });
    expect((await call(s, '/api/devices/import/apply', admin, { ...only, token: rdry.body.data.token })).body.data.applied).toBe(12);
    expect((await s.post('/api/ingest/devices', { records: [{ kind: 'camera', id: 'CAM-00002', ts: Date.now(), status: 'online' }] })).body.rejected[0].code).toBe('DEVICE_RETIRED');
    // Broadcast points were not in that ledger's kinds: untouched.
    expect(s.app.projector.registry.get('broadcast', 'BC-NEW-1')!.retired).toBe(false);
    // One story end to end with a restart: seconds alone, several times that beside other files on two loaded cores.
  }, 90_000);
});
