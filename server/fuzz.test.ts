// Property/fuzz tests of every HTTP ingest path and command (fast-check): thousands of malformed,
// oversized and hostile payloads. Properties: the server never answers 5xx and keeps answering;
// every refusal is a 4xx carrying `{ code, message }` (or a per-record rejection with index, field,
// code and message) that names the field that was wrong; in a batch mixing valid and invalid
// records exactly the valid ones are stored, unchanged, and no rejected one is; a refused command
// changes nothing. The socket.io commands are in fuzz-socket.test.ts, MQTT in fuzz-mqtt.test.ts.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../core/org.ts';
import { applyMutation, effective, expectCodedError, f, FuzzCounter, hostileString, hostileValue, mentionOf, mutation, pointer, runs, withKey, type Shape } from './fuzz-support.ts';
import {
  ACTOR, CASE_REPORT, caseSemantic, checkRejection, DEVICE_RECORD, deviceSemantic, items, nextSerial, NOW, stamp, validCase, validDevice, validVideo, VIDEO_EVENT, videoSemantic, wire,
} from './fuzz-records.ts';
import { startTestServer, TEST_KEY, type TestServer } from './test-support.ts';

const counter = new FuzzCounter();
const startedAt = Date.now();
afterAll(() => console.log(counter.report('server/fuzz.test.ts', startedAt)));

const A = {
  dispatcher: { id: 'd1', name: '区派遣员', role: 'dispatcher', org: '340803' },
  leader: { id: 'DUTY-L01', name: '值班领导', role: 'duty-leader', org: '340803' },
  township1: { id: 't1', name: '德宽路坐席', role: 'township-operator', org: '340803001' },
  cg: { id: 'cg1', name: '城管队员', role: 'department', org: 'DEPT-CG' },
} satisfies Record<string, Actor>;

async function health(s: TestServer): Promise<void> {
  const h = await s.get('/api/health');
  expect(h.status).toBe(200);
  // Alarms raised from the records are appended asynchronously: the seq may already have moved on.
  expect(h.body.seq).toBeLessThanOrEqual(s.app.store.lastSeq());
}

async function raw(s: TestServer, path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json', 'x-gateway-key': TEST_KEY }) {
  const res = await fetch(s.url + path, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the check below reports it
  }
  return { status: res.status, body: parsed as any };
}

// ---- ingest ---------------------------------------------------------------------------------------

const STREAMS = [
  { path: '/api/ingest/devices', type: 'device:reported', valid: validDevice as fc.Arbitrary<Record<string, unknown>>, shape: DEVICE_RECORD, semantic: deviceSemantic },
  { path: '/api/ingest/video-events', type: 'video:detected', valid: validVideo as fc.Arbitrary<Record<string, unknown>>, shape: VIDEO_EVENT, semantic: videoSemantic },
  { path: '/api/ingest/cases', type: 'case:reported', valid: validCase as fc.Arbitrary<Record<string, unknown>>, shape: CASE_REPORT, semantic: caseSemantic },
];

describe('HTTP ingest under fuzzing', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ config: { broadcastAnswerMs: 3_600_000 } });
  });
  afterAll(async () => s?.close());

  for (const stream of STREAMS) {
    it(`${stream.path}: a mixed batch stores exactly its valid records, unchanged, and names the field of every rejected one`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(items(stream.valid, stream.shape, stream.semantic, true), { maxLength: 8 }), async (batch) => {
          counter.hit(stream.path);
          stamp(batch);
          const before = s.app.store.lastSeq();
          const res = await s.post(stream.path, { records: batch.map((b) => b.record) });
          const valid = batch.filter((b) => b.ok);
          const invalid = batch.length - valid.length;
          const context = `${stream.path} ${JSON.stringify(res.body).slice(0, 400)}`;
          expect(res.status, context).toBe(invalid === 0 ? 200 : valid.length === 0 ? 422 : 207);
          expect(res.body.accepted, context).toBe(valid.length);
          expect(res.body.rejected.map((r: { index: number }) => r.index), context).toEqual(batch.flatMap((b, i) => (b.ok ? [] : [i])));
          for (const rej of res.body.rejected) checkRejection(rej, batch[rej.index], `${context} record ${JSON.stringify(batch[rej.index].record)?.slice(0, 300)}`);
          // Stored: the valid records, as sent, and nothing else of this stream.
          const stored = (await s.app.store.readAfter(before, 10_000)).filter((e) => e.type === stream.type);
          if (stream.type === 'case:reported') {
            expect(stored.map((e) => e.subject).sort(), context).toEqual(valid.map((b) => (b.record as { id: string }).id).sort());
            for (const e of stored) {
              const sent = valid.find((b) => (b.record as { id: string }).id === e.subject)!.record as Record<string, unknown>;
              const report = (e.data as { data: { report: Record<string, unknown> } }).data.report;
              for (const k of Object.keys(sent)) expect(wire(report[k]), `${context} /${k}`).toBe(wire(sent[k]));
            }
          } else {
            expect(stored.map((e) => wire(e.data)).sort(), context).toEqual(valid.map((b) => wire(b.record)).sort());
          }
          await health(s);
        }),
        runs(250),
      );
    }, 120_000);

    it(`${stream.path}: hostile bodies, headers and raw bytes get a coded 4xx, never a 5xx`, async () => {
      const bodies = fc.oneof(
        hostileValue({ proto: true, maxString: 300_000 }).map((v) => ({ text: JSON.stringify(v) ?? 'null' })),
        hostileValue({ proto: true }).map((v) => ({ text: JSON.stringify({ records: v }) })),
        fc.array(hostileValue({ proto: true }), { maxLength: 6 }).map((v) => ({ text: JSON.stringify({ records: v }) })),
        fc.tuple(fc.array(stream.valid, { maxLength: 3 }), fc.string({ maxLength: 10 }).filter((k) => k !== 'records'), hostileValue({ proto: false })).map(([records, k, v]) => ({ text: JSON.stringify(withKey({ records }, k, v)) })),
        fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('{', '{"records":[}', '{"records":[1,]}', '[', '"', 'NaN', '{"records":[NaN]}', '{"records":[{"ts":1e999}]}', '\u0000', '\uFEFF{"records":[]}', '{"records":[]} trailing', '['.repeat(100_000), `{"records":${'['.repeat(50_000)}${']'.repeat(50_000)}}`)).map((text) => ({ text })),
      );
      const headers = fc.oneof(
        { weight: 6, arbitrary: fc.constant({ 'content-type': 'application/json', 'x-gateway-key': TEST_KEY }) },
        {
          weight: 1,
          arbitrary: fc.record({
            'content-type': fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', 'application/xml', 'APPLICATION/JSON'),
            'x-gateway-key': fc.oneof(fc.constant(TEST_KEY), fc.stringMatching(/^[ -~]{0,80}$/), fc.constant(TEST_KEY + ' '), fc.constant(TEST_KEY.toUpperCase())),
          }, { requiredKeys: ['content-type'] }),
        },
      );
      await fc.assert(
        fc.asyncProperty(bodies, headers, async ({ text }, hdrs) => {
          counter.hit(stream.path);
          const res = await raw(s, stream.path, text, hdrs as Record<string, string>);
          const context = `${stream.path} ${res.status} ${JSON.stringify(res.body).slice(0, 300)} for ${text.slice(0, 200)}`;
          expect(res.status, context).toBeLessThan(500);
          expect([200, 207, 400, 401, 413, 415, 422], context).toContain(res.status);
          if ([400, 401, 413, 415].includes(res.status)) expectCodedError(res.body, context);
          if (res.status === 207 || res.status === 422) for (const r of res.body.rejected) expectCodedError(r, context);
          await health(s);
        }),
        runs(250),
      );
    }, 120_000);
  }

  it('a body over the 32 MB ingest limit gets 413 with a clear message, and ingest goes on', async () => {
    const big = JSON.stringify({ records: [{ kind: 'camera', id: 'CAM-00001', ts: NOW, pad: 'x'.repeat(33 * 1024 * 1024) }] });
    const res = await raw(s, '/api/ingest/devices', big);
    expect(res.status).toBe(413);
    expect(expectCodedError(res.body, '413').message).toMatch(/too large/i);
    const ok = await s.post('/api/ingest/devices', { records: [{ kind: 'camera', id: 'CAM-00001', ts: NOW, status: 'online' }] });
    expect(ok.status).toBe(200);
    await health(s);
  }, 60_000);

  it('more than 10,000 records in one HTTP batch is refused whole, naming the limit', async () => {
    const records = Array.from({ length: 10_001 }, () => ({ kind: 'camera', id: 'CAM-00001', ts: NOW }));
    const before = s.app.store.lastSeq();
    const res = await s.post('/api/ingest/devices', { records });
    expect(res.status).toBe(400);
    expect(expectCodedError(res.body, 'batch').message).toMatch(/10000/);
    expect(s.app.store.lastSeq()).toBe(before);
  }, 60_000);
});

// ---- commands ---------------------------------------------------------------------------------------

/** A command endpoint: a valid body, the shape it must have, and the body parts a property may mutate. */
interface Endpoint {
  name: string;
  path: () => string;
  valid: () => Record<string, unknown>;
  shape: Shape;
}

describe('HTTP commands under fuzzing', () => {
  let s: TestServer;
  const CASE = 'C-FUZZ-1';
  beforeAll(async () => {
    s = await startTestServer({ config: { broadcastAnswerMs: 3_600_000 } });
    const r = await s.post('/api/ingest/cases', { records: [{ id: CASE, source: 'citizen', eventClass: '0102', title: '井盖缺失', urgency: 'normal', lon: 117.01, lat: 30.5, reportedAt: NOW - 60_000 }] });
    expect(r.status).toBe(200);
  });
  afterAll(async () => s?.close());

  const shiftStart = NOW - (NOW % 3_600_000);
  const CASE_COMMAND_SHAPE: Shape = { type: f.oneOf(['file', 'void', 'dispatch', 'accept', 'return', 'feedback', 'recheck', 'close', 'reply', 'callback', 'request-extension', 'decide-extension', 'defer', 'park', 'resume', 'close-on-spot']), unit: f.str(1, 32), note: f.str(0, 2000, true) };
  const ENDPOINTS: Endpoint[] = [
    {
      name: 'POST /api/cases',
      path: () => '/api/cases',
      valid: () => ({ actor: A.dispatcher, report: { id: `FZ-R-${nextSerial()}`, source: 'citizen', eventClass: '0102', title: '井盖缺失', urgency: 'normal', lon: 117.01, lat: 30.5, reportedAt: NOW } }),
      shape: { actor: f.obj(ACTOR), report: f.obj(CASE_REPORT) },
    },
    {
      name: 'POST /api/cases/:id/commands',
      path: () => `/api/cases/${CASE}/commands`,
      valid: () => ({ actor: A.dispatcher, command: { type: 'dispatch', unit: 'DEPT-CG', note: '请处置' }, expectedVersion: 1 }),
      shape: { actor: f.obj(ACTOR), command: f.obj(CASE_COMMAND_SHAPE), expectedVersion: f.int(1, Infinity, true) },
    },
    {
      name: 'POST /api/whistles',
      path: () => '/api/whistles',
      valid: () => ({ actor: A.dispatcher, command: { type: 'blow', whistleId: 'W-FZ-1', caseId: CASE, kind: 'quick', lead: 'DEPT-CG', supporting: ['DEPT-GA'], note: '吹哨' } }),
      shape: {
        actor: f.obj(ACTOR),
        command: f.obj({ type: f.oneOf(['blow']), whistleId: f.id(), caseId: f.id(), kind: f.oneOf(['quick', 'emergency', 'assault']), lead: f.str(1, 32), supporting: f.arr(), note: f.str(0, 2000, true) }),
      },
    },
    {
      name: 'POST /api/whistles/:id/commands',
      path: () => '/api/whistles/W-FZ-1/commands',
      valid: () => ({ actor: A.cg, command: { type: 'report-in', note: '已到场' } }),
      shape: { actor: f.obj(ACTOR), command: f.obj({ type: f.oneOf(['report-in', 'close']), note: f.str(0, 2000, true) }) },
    },
    {
      name: 'POST /api/alarms/:id/commands',
      path: () => '/api/alarms/AL-FZ-1/commands',
      valid: () => ({ actor: A.dispatcher, command: { type: 'acknowledge', note: '已知悉' } }),
      shape: { actor: f.obj(ACTOR), command: f.obj({ type: f.oneOf(['acknowledge', 'clear']), note: f.str(0, 2000, true) }) },
    },
    {
      name: 'POST /api/cases/:id/attachments',
      path: () => `/api/cases/${CASE}/attachments`,
      valid: () => ({ actor: A.dispatcher, name: '现场.png', type: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' }),
      shape: { actor: f.obj(ACTOR), name: f.str(1, 200), type: f.str(1, 64), data: f.str(4, 7_000_000) },
    },
    {
      name: 'POST /api/duty/roster',
      path: () => '/api/duty/roster',
      valid: () => ({ actor: A.dispatcher, assign: { shiftStart, leaderId: 'DUTY-L02', note: '调班' } }),
      shape: { actor: f.obj(ACTOR), assign: f.obj({ shiftStart: f.millis(), leaderId: f.str(1, 64, true), dispatcherIds: f.arr(true), note: f.str(0, 200, true) }) },
    },
    {
      name: 'POST /api/duty/log',
      path: () => '/api/duty/log',
      valid: () => ({ actor: A.dispatcher, note: { kind: 'decision', text: '联合处置', caseId: CASE } }),
      shape: { actor: f.obj(ACTOR), note: f.obj({ kind: f.oneOf(['instruction', 'decision', 'note']), text: f.str(1, 2000), caseId: f.str(1, 64, true) }) },
    },
    {
      name: 'POST /api/duty/handovers/:start/sign',
      path: () => `/api/duty/handovers/${shiftStart}/sign`,
      valid: () => ({ actor: A.leader, role: 'outgoing', note: '交班' }),
      shape: { actor: f.obj(ACTOR), role: f.oneOf(['outgoing', 'incoming']), note: f.str(0, 500, true) },
    },
    {
      name: 'POST /api/broadcasts',
      path: () => '/api/broadcasts',
      valid: () => ({ actor: A.dispatcher, message: { text: '防汛紧急通知', priority: 'emergency', repeat: 2 }, selection: { mode: 'scope', code: '340803' } }),
      shape: {
        actor: f.obj(ACTOR),
        message: f.obj({ text: f.str(1, 500), priority: f.oneOf(['normal', 'urgent', 'emergency']), repeat: f.int(1, 10) }),
        selection: f.obj({ mode: f.oneOf(['scope', 'area', 'radius']), code: { invalid: fc.oneof(f.code4().invalid, fc.constantFrom('34080', '3408030', '340803001002003')) } }),
        broadcastId: f.id(true),
      },
    },
    {
      name: 'POST /api/drones/:id/missions',
      path: () => '/api/drones/UAV-1/missions',
      valid: () => ({ actor: A.dispatcher, target: { lon: 117.01, lat: 30.5 }, action: 'hover', loiterS: 60, altM: 120, note: '侦察' }),
      shape: {
        actor: f.obj(ACTOR), target: f.obj({ lon: f.num(-180, 180), lat: f.num(-90, 90) }, true), caseId: f.id(true), action: f.oneOf(['hover', 'orbit']),
        loiterS: f.int(10, 3600), altM: f.num(10, 500, true), note: f.str(0, 500, true),
      },
    },
    {
      name: 'POST /api/drones/:id/recall',
      path: () => '/api/drones/UAV-1/recall',
      valid: () => ({ actor: A.dispatcher, note: '任务取消' }),
      shape: { actor: f.obj(ACTOR), note: f.str(0, 500, true) },
    },
  ];

  const byName = new Map(ENDPOINTS.map((e) => [e.name, e]));
  // By name, so a counterexample prints readably.
  const endpointArb = fc.constantFrom(...ENDPOINTS.map((e) => e.name));

  it('a body with one wrong field is refused with a coded 4xx naming that field, and changes nothing', async () => {
    const cases = endpointArb.chain((name) => {
      const v = byName.get(name)!.valid();
      return mutation(byName.get(name)!.shape, { proto: false }).filter((m) => effective(v, m)).map((m) => ({ name, m }));
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ name, m }) => {
        const ep = byName.get(name)!;
        counter.hit(ep.name);
        const body = applyMutation(ep.valid(), m);
        const before = s.app.store.lastSeq();
        const res = await s.post(ep.path(), body);
        const context = `${ep.name} ${m.op} ${pointer(m.path)}=${JSON.stringify(m.value)?.slice(0, 100)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
        expect(res.status, context).toBeGreaterThanOrEqual(400);
        expect(res.status, context).toBeLessThan(500);
        const { message } = expectCodedError(res.body, context);
        const mention = mentionOf(m);
        // A value too long for the field can also make the whole body too large for the route.
        if (res.status === 413) expect(message, context).toMatch(/too large/i);
        else if (mention) expect(message, context).toContain(mention);
        expect(s.app.store.lastSeq(), `${context}: a refused command was stored`).toBe(before);
        await health(s);
      }),
      runs(500),
    );
  }, 120_000);

  it('hostile bodies and path parameters get a coded 4xx, never a 5xx; valid commands between them still work', async () => {
    const hostileBody = fc.oneof(
      hostileValue({ proto: true, maxString: 1_200_000, maxDepth: 3000 }),
      fc.record({ actor: hostileValue({ proto: false }), report: hostileValue({ proto: false }), command: hostileValue({ proto: false }) }, { requiredKeys: [] }),
      fc.tuple(endpointArb, hostileValue({ proto: false })).map(([name, v]) => ({ ...byName.get(name)!.valid(), actor: v })),
    );
    // Percent-encoded UTF-8 (lone surrogates become U+FFFD), and broken escapes.
    const pct = (p: string) => [...Buffer.from(p, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    const pathParam = fc.oneof(fc.constant(null), hostileString(200).map(pct), fc.constantFrom('%', '%ZZ', '%FF%FE', '%E4%B8', '..%2F..%2Fetc', '%00', 'x'.repeat(2000)));
    const step = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(endpointArb, hostileBody, pathParam).map(([name, body, param]) => ({ kind: 'hostile' as const, name, body, param })) },
      { weight: 1, arbitrary: fc.constantFrom('report', 'note').map((kind) => ({ kind })) },
    );
    await fc.assert(
      fc.asyncProperty(step, async (st) => {
        if (st.kind === 'report') {
          counter.hit('POST /api/cases');
          const id = `FZ-OK-${nextSerial()}`;
          const res = await s.post('/api/cases', { actor: A.dispatcher, report: { id, source: 'citizen', eventClass: '0102', title: '<b>井盖</b>', urgency: 'urgent', lon: 117.02, lat: 30.5, reportedAt: NOW } });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect(s.app.projector.cases.get(id)?.title).toBe('<b>井盖</b>');
          return;
        }
        if (st.kind === 'note') {
          counter.hit('POST /api/duty/log');
          const text = `fz ${nextSerial()}`;
          const res = await s.post('/api/duty/log', { actor: A.dispatcher, note: { kind: 'note', text } });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect(res.body.data.text).toBe(text);
          return;
        }
        if (st.kind !== 'hostile') return;
        const { body, param } = st;
        const ep = byName.get(st.name)!;
        counter.hit(ep.name);
        let path = ep.path();
        if (param !== null) path = path.replace(/(C-FUZZ-1|W-FZ-1|AL-FZ-1|UAV-1|\d{13})/, param || '%20');
        const before = s.app.store.lastSeq();
        const res = await raw(s, path, JSON.stringify(body) ?? 'null', { 'content-type': 'application/json' });
        const context = `${ep.name} ${path.slice(0, 100)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)} for ${JSON.stringify(body)?.slice(0, 300)}`;
        expect(res.status, context).toBeGreaterThanOrEqual(400);
        expect(res.status, context).toBeLessThan(500);
        expectCodedError(res.body, context);
        expect(s.app.store.lastSeq(), `${context}: stored`).toBe(before);
        await health(s);
      }),
      runs(500),
    );
  }, 120_000);

  it('semantic refusals carry the right code: an empty duty note is invalid, not forbidden', async () => {
    const res = await s.post('/api/duty/log', { actor: A.dispatcher, note: { kind: 'note', text: ' \u3000\n' } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ ok: false, code: 'INVALID_COMMAND', message: expect.stringMatching(/text is blank/) });
  });

  it('a body over the 1 MB command limit gets 413 with a clear message', async () => {
    const res = await s.post('/api/cases', { actor: A.dispatcher, report: { title: 'x'.repeat(1024 * 1024) } });
    expect(res.status).toBe(413);
    expect(expectCodedError(res.body, '413').message).toMatch(/too large/i);
    await health(s);
  });

  it('prototype-pollution keys are refused (a command whole, an ingest record alone) with a message naming the key, and pollute nothing', async () => {
    const ingest = await raw(s, '/api/ingest/devices', '{"records":[{"kind":"camera","id":"CAM-00001","ts":1800000000000,"__proto__":{"isAdmin":true}}]}');
    expect(ingest.status).toBe(422);
    expect(ingest.body.rejected[0]).toMatchObject({ index: 0, field: '/__proto__', code: 'INVALID_RECORD' });
    for (const [path, text] of [
      ['/api/ingest/devices', '{"records":[],"__proto__":{"isAdmin":true}}'],
      ['/api/cases', '{"actor":{"id":"d1","name":"x","role":"dispatcher","org":"340803","constructor":{"prototype":{"isAdmin":true}}},"report":{}}'],
      ['/api/duty/log', '{"__proto__":{"isAdmin":true},"actor":{"id":"d1","name":"x","role":"dispatcher","org":"340803"},"note":{"kind":"note","text":"x"}}'],
      ['/api/drones/UAV-1/missions', '{"actor":{"id":"d1","name":"x","role":"dispatcher","org":"340803"},"action":"hover","loiterS":60,"target":{"lon":117,"lat":30.5,"\\u005f_proto__":{}}}'],
    ] as const) {
      const res = await raw(s, path, text);
      expect(res.status, path).toBe(400);
      expect(expectCodedError(res.body, path).message, path).toMatch(/__proto__|constructor/);
    }
    expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined();
    await health(s);
  });
});

// Kept shrunk counterexamples of bugs the properties found (see the commit messages).
describe('regressions found by fuzzing', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.close());

  const broadcast = { message: { text: '防汛紧急通知', priority: 'emergency', repeat: 2 }, selection: { mode: 'scope', code: '340803' } };

  it('POST /api/broadcasts with a numeric actor org is a 422, not a 500', async () => {
    const res = await s.post('/api/broadcasts', { actor: { id: 'a', name: 'b', role: 'dispatcher', org: 340803001 }, ...broadcast });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ ok: false, code: 'INVALID_COMMAND', message: expect.stringContaining('/actor/org') });
  });

  it('POST /api/broadcasts checks the actor against its schema: a 65-character name is refused, not logged', async () => {
    const before = s.app.store.lastSeq();
    const res = await s.post('/api/broadcasts', { actor: { ...A.dispatcher, name: ' '.repeat(65) }, ...broadcast });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ ok: false, code: 'INVALID_COMMAND', message: expect.stringContaining('/actor/name') });
    expect(s.app.store.lastSeq()).toBe(before);
  });

  it('a whistle or alarm command with a bad field is told about that field, not about another variant', async () => {
    const blow = await s.post('/api/whistles', { actor: A.dispatcher, command: { type: '', whistleId: 'W-1', caseId: 'C-1', kind: 'quick', lead: 'DEPT-CG', supporting: ['DEPT-GA'] } });
    expect(blow.status).toBe(422);
    expect(blow.body.message).toBe('/command/type must be one of: blow, report-in, close');
    const close = await s.post('/api/whistles/W-1/commands', { actor: A.dispatcher, command: { type: 'close', ratings: {}, force: null } });
    expect(close.body.message).toMatch(/^\/command\/force /);
    const clear = await s.post('/api/alarms/AL-1/commands', { actor: A.dispatcher, command: { type: 'clear', note: 'x'.repeat(2001) } });
    expect(clear.status).toBe(422);
    expect(clear.body.message).toMatch(/^\/command\/note /);
  });

  it('a JSON syntax error is reported with the parser\'s reason', async () => {
    const res = await raw(s, '/api/ingest/devices', '{"records":[}');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: expect.stringMatching(/^Body is not valid JSON: Unexpected token '}'/) });
  });
});


