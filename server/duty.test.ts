// The duty context over real HTTP against a temporary SQLite file: who is on duty, roster changes,
// the duty log, and a shift handover that lists exactly the shift's events, is signed by the
// outgoing then the incoming leader, stays frozen, and survives a restart.
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../core/org.ts';
import type { DutyShift, HandoverReport } from '../core/duty.ts';
import { startTestServer, type TestServer } from './test-support.ts';
import { startAccountsServer } from './test-accounts.ts';

const H = 3_600_000;
// Monday 2026-11-23, Asia/Shanghai: the day shift runs 08:00–20:00 local = 00:00–12:00 UTC.
const DAY = Date.UTC(2026, 10, 23, 0);
const NIGHT = DAY + 12 * H;
let t = DAY + H;
const clock = { now: () => t };
let server: TestServer;

const dispatcher: Actor = { id: 'dispatcher-340803', name: '派遣员', role: 'dispatcher', org: '340803' };
const township: Actor = { id: 'op-340803001', name: '街道坐席', role: 'township-operator', org: '340803001' };
const leaderOf = (s: DutyShift): Actor => ({ id: s.leader.id, name: '值班领导', role: 'duty-leader', org: '340803' });

afterEach(async () => {
  await server?.close();
});

async function ingestCase(id: string, at: number) {
  t = at;
  const res = await server.post('/api/ingest/cases', { records: [{ id, source: 'citizen', eventClass: '0102', title: `案件${id}`, urgency: 'normal', lon: 117.01, lat: 30.5, reportedAt: at }] });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('duty', () => {
  it('says who is on duty now and next; the district changes a coming shift, others may not', async () => {
    t = DAY + H;
    server = await startTestServer({ clock });
    const now = (await server.get('/api/duty/now')).body.data as { current: DutyShift; next: DutyShift };
    expect(now.current).toMatchObject({ start: DAY, end: NIGHT, source: 'rotation' });
    expect(now.next.start).toBe(NIGHT);
    expect(now.current.leader.name).toMatch(/\S/);
    expect(now.current.dispatchers.length).toBeGreaterThan(0);

    const roster = (await server.get(`/api/duty/roster?from=${DAY}&to=${DAY + 48 * H}`)).body.data as DutyShift[];
    expect(roster.map((s) => s.start)).toEqual([DAY, NIGHT, DAY + 24 * H, DAY + 36 * H]);
    expect((await server.get('/api/duty/roster?from=yesterday')).body).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: expect.stringContaining('from must be') });

    const pool = (await server.get('/api/duty/pool')).body.data as { leaders: { id: string }[] };
    const other = pool.leaders.find((p) => p.id !== now.next.leader.id)!;
    const changed = await server.post('/api/duty/roster', { actor: dispatcher, assign: { shiftStart: NIGHT, leaderId: other.id } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.data).toMatchObject({ start: NIGHT, source: 'assigned', leader: { id: other.id } });
    expect((await server.get('/api/duty/now')).body.data.next.leader.id).toBe(other.id);

    expect((await server.post('/api/duty/roster', { actor: township, assign: { shiftStart: NIGHT, leaderId: other.id } })).status).toBe(403);
    const past = await server.post('/api/duty/roster', { actor: dispatcher, assign: { shiftStart: DAY - 12 * H, leaderId: other.id } });
    expect(past.body).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('over') });
    const odd = await server.post('/api/duty/roster', { actor: dispatcher, assign: { shiftStart: DAY + 1, leaderId: other.id } });
    expect(odd.body).toMatchObject({ code: 'INVALID_COMMAND', message: expect.stringContaining('no shift starts') });
    const bad = await server.post('/api/duty/roster', { actor: dispatcher, assign: { shiftStart: 'tonight' } });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/shiftStart/);

    // The change is in the log: a restarted server still knows it.
    const dir = server.dataDir;
    await server.close(false);
    server = await startTestServer({ clock, dataDir: dir });
    expect((await server.get('/api/duty/now')).body.data.next).toMatchObject({ source: 'assigned', leader: { id: other.id } });
  });

  it('keeps a duty log of instructions and decisions against cases', async () => {
    t = DAY + H;
    server = await startTestServer({ clock });
    await ingestCase('C-LOG', DAY + H);
    const leader = leaderOf((await server.get('/api/duty/now')).body.data.current);
    t = DAY + 2 * H;
    const ok = await server.post('/api/duty/log', { actor: leader, note: { kind: 'instruction', text: '  请区水务局两小时内到场处置  ', caseId: 'C-LOG' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.data).toMatchObject({ kind: 'instruction', text: '请区水务局两小时内到场处置', caseId: 'C-LOG', at: DAY + 2 * H });
    expect(ok.body.data.actor.name).not.toBe('值班领导'); // the pool's name of that leader
    expect((await server.post('/api/duty/log', { actor: dispatcher, note: { kind: 'instruction', text: 'x' } })).status).toBe(403);
    expect((await server.post('/api/duty/log', { actor: dispatcher, note: { kind: 'decision', text: 'x', caseId: 'NOPE' } })).status).toBe(404);
    expect((await server.post('/api/duty/log', { actor: dispatcher, note: { kind: 'order', text: 'x' } })).status).toBe(422);
    t = DAY + 3 * H;
    expect((await server.post('/api/duty/log', { actor: dispatcher, note: { kind: 'decision', text: '联合处置' } })).status).toBe(200);
    const all = (await server.get(`/api/duty/log?from=${DAY}&to=${NIGHT}`)).body.data as { text: string }[];
    expect(all.map((n) => n.text)).toEqual(['联合处置', '请区水务局两小时内到场处置']);
    const ofCase = (await server.get(`/api/duty/log?from=${DAY}&to=${NIGHT}&caseId=C-LOG`)).body.data as { text: string }[];
    expect(ofCase.map((n) => n.text)).toEqual(['请区水务局两小时内到场处置']);

    // A call made from the screen: logged with whom it was to, refused without a dialable number.
    const call = await server.post('/api/duty/log', { actor: dispatcher, note: { kind: 'call', text: '网格员 · 马山社区', caseId: 'C-LOG', contact: { name: '许超勇', phone: '13812345678' } } });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.data).toMatchObject({ kind: 'call', contact: { name: '许超勇', phone: '13812345678' }, caseId: 'C-LOG' });
    const noNumber = await server.post('/api/duty/log', { actor: dispatcher, note: { kind: 'call', text: '网格员', contact: { name: '许超勇', phone: 'call me' } } });
    expect(noNumber.status).toBe(422);
    expect(noNumber.body.message).toContain('/note/contact/phone');
    expect((await server.post('/api/duty/log', { actor: dispatcher, note: { kind: 'call', text: '网格员' } })).body).toMatchObject({ code: 'INVALID_COMMAND', message: expect.stringContaining('/note/contact') });
    const calls = (await server.get(`/api/duty/log?from=${DAY}&to=${NIGHT}&caseId=C-LOG`)).body.data as { kind: string; contact?: { phone: string } }[];
    expect(calls.filter((n) => n.kind === 'call').map((n) => n.contact?.phone)).toEqual(['13812345678']);
  });

  it('drafts the handover from exactly the shift\'s events; the leaders sign it; it stays frozen and survives a restart', async () => {
    t = DAY - 2 * H;
    server = await startTestServer({ clock });
    await ingestCase('C-BEFORE', DAY - H);
    await ingestCase('C-FIRST', DAY);
    await ingestCase('C-MID', DAY + 5 * H);
    await ingestCase('C-LAST', NIGHT - 1);
    const now = (await server.get('/api/duty/now')).body.data as { current: DutyShift; next: DutyShift };
    expect(now.current.start).toBe(DAY);
    t = DAY + 6 * H;
    await server.post('/api/duty/log', { actor: dispatcher, note: { kind: 'decision', text: '夜班重点关注 C-MID', caseId: 'C-MID' } });

    // A draft can be read during the shift; signing waits for its last hour.
    t = DAY + 8 * H;
    const early = await server.post(`/api/duty/handovers/${DAY}/sign`, { actor: leaderOf(now.current), role: 'outgoing' });
    expect(early.body).toMatchObject({ ok: false, message: expect.stringContaining('last hour') });

    t = NIGHT + 10 * 60_000;
    await ingestCase('C-AFTER', NIGHT + 5 * 60_000);
    t = NIGHT + 10 * 60_000;
    const draft = (await server.get(`/api/duty/handovers/${DAY}`)).body.data as HandoverReport;
    expect(draft.shift).toEqual({ start: DAY, end: NIGHT });
    expect(draft.sections.reported.map((i) => i.subject)).toEqual(['C-FIRST', 'C-MID', 'C-LAST']);
    expect(draft.notes.map((n) => n.text)).toEqual(['夜班重点关注 C-MID']);
    expect(draft.signatures).toEqual([]);

    // Only the shift's own leader signs the outgoing side; then the next shift's leader.
    const wrong = await server.post(`/api/duty/handovers/${DAY}/sign`, { actor: leaderOf(now.next), role: 'outgoing' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.message).toContain(now.current.leader.name);
    const out = await server.post(`/api/duty/handovers/${DAY}/sign`, { actor: leaderOf(now.current), role: 'outgoing', note: '交班：C-MID 待处置' });
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    expect(out.body.data.signatures).toEqual([expect.objectContaining({ role: 'outgoing', at: t, note: '交班：C-MID 待处置', actor: expect.objectContaining({ id: now.current.leader.id, name: now.current.leader.name }) })]);
    expect((await server.post(`/api/duty/handovers/${DAY}/sign`, { actor: leaderOf(now.current), role: 'outgoing' })).status).toBe(409);

    // Frozen: a late record with a time inside the shift does not change the signed report.
    await ingestCase('C-LATE', DAY + 7 * H);
    t = NIGHT + 20 * 60_000;
    const inc = await server.post(`/api/duty/handovers/${DAY}/sign`, { actor: leaderOf(now.next), role: 'incoming' });
    expect(inc.status, JSON.stringify(inc.body)).toBe(200);
    const signed = inc.body.data as HandoverReport;
    expect(signed.signatures.map((s) => s.role)).toEqual(['outgoing', 'incoming']);
    expect(signed.sections.reported.map((i) => i.subject)).toEqual(['C-FIRST', 'C-MID', 'C-LAST']);

    const list = (await server.get('/api/duty/handovers?limit=3')).body.data as { start: number; signatures: unknown[]; counts: Record<string, number> | null }[];
    expect(list.map((h) => h.start)).toEqual([NIGHT, DAY, DAY - 12 * H]);
    expect(list[1]).toMatchObject({ counts: expect.objectContaining({ reported: 3 }) });
    expect(list[1].signatures).toHaveLength(2);
    // The server first started at DAY - 2 h: the shift it started in could be signed; the one before it could not.
    const older = (await server.get('/api/duty/handovers?limit=4')).body.data as { start: number; beforeGoLive: boolean }[];
    expect(older.map((h) => [h.start, h.beforeGoLive])).toEqual([[NIGHT, false], [DAY, false], [DAY - 12 * H, false], [DAY - 24 * H, true]]);

    const dir = server.dataDir;
    await server.close(false);
    server = await startTestServer({ clock, dataDir: dir });
    const again = (await server.get(`/api/duty/handovers/${DAY}`)).body.data as HandoverReport;
    expect(again).toEqual(signed);
    expect((await server.get(`/api/duty/handovers/${DAY + 1}`)).status).toBe(404);
  });

  it('a signed-in account writes in the duty log without naming an actor: the account acts; in declared mode the body must name one', async () => {
    t = DAY + H;
    const started = await startAccountsServer({ clock });
    server = started.server;
    const call = async (path: string, body: unknown, cookie?: string) => {
      const res = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
      return { status: res.status, body: await res.json(), cookie: res.headers.get('set-cookie')?.split(';')[0] };
    };
    const admin = (await call('/api/auth/login', { id: 'admin', password: started.adminPassword })).cookie!;
    expect((await call('/api/accounts', { id: 'd1', name: '派遣员甲', role: 'dispatcher', org: '340803', password: 'dispatch desk one' }, admin)).status).toBe(200);
    const d1 = (await call('/api/auth/login', { id: 'd1', password: 'dispatch desk one' })).cookie!;
    const noted = await call('/api/duty/log', { note: { kind: 'decision', text: '联合处置' } }, d1);
    expect(noted.status, JSON.stringify(noted.body)).toBe(200);
    expect(noted.body.data).toMatchObject({ kind: 'decision', text: '联合处置', actor: { id: 'd1', name: '派遣员甲' } });
    // A bad body is still refused by name; a declared actor is replaced by the account.
    expect((await call('/api/duty/log', { note: { kind: 'order', text: 'x' } }, d1))).toMatchObject({ status: 422, body: { ok: false, code: 'INVALID_COMMAND', message: expect.stringContaining('/note/kind') } });
    const claimed = await call('/api/duty/log', { actor: { id: 'x', name: '冒名', role: 'duty-leader', org: '340803' }, note: { kind: 'decision', text: '二' } }, d1);
    expect(claimed.body.data.actor).toMatchObject({ id: 'd1' });
    await server.close();

    server = await startTestServer({ clock });
    const none = await server.post('/api/duty/log', { note: { kind: 'decision', text: '联合处置' } });
    expect(none).toMatchObject({ status: 422, body: { ok: false, code: 'INVALID_COMMAND', message: expect.stringContaining('actor') } });
  });
});
