// A district with a past: scripts/history.ts plays days of the closed loop through the server's own
// API into a fresh data directory; a server started on it afterwards shows them (KPIs by day,
// township and source, replay range) and a second run leaves the log alone.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDataset } from '../data/load.ts';
import { writeHistory } from '../scripts/history.ts';
import { loadDistrict } from './load-district.ts';
import { startTestServer, type TestServer } from './test-support.ts';

const root = path.resolve(import.meta.dirname, '..');
const DATASET_DIR = path.join(root, 'data', 'generated');
const DAY = 86_400_000;
// 2026-12-06 12:00 in Shanghai: the present the history ends at.
const UNTIL = Date.UTC(2026, 11, 6, 4);
const DAYS = 4;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'linkage-history-test-'));
let server: TestServer | null = null;
let written: Awaited<ReturnType<typeof writeHistory>>;

beforeAll(async () => {
  await ensureDataset(DATASET_DIR, () => {});
  // Wrong dispatches (returned) are ~3% of dispatches, a handful in four days: a seed whose story has some.
  written = await writeHistory({ days: DAYS, seed: 12, until: UNTIL, env: { DATA_DIR: dataDir, DATASET_DIR, LOG_LEVEL: 'silent' } });
  const now = UNTIL + 60_000;
  server = await startTestServer({ dataDir, district: await loadDistrict(DATASET_DIR), clock: { now: () => now }, config: { datasetDir: DATASET_DIR, databaseUrl: null } });
}, 240_000);
afterAll(async () => {
  await server?.close(false);
  rmSync(dataDir, { recursive: true, force: true });
});

type Kpis = { counts: { reported: number; closed: number; dispatched: number; voided: number; returned: number } };
const kpis = async (query: string) => {
  const r = await server!.get(`/api/kpis?scope=340803&${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data as Array<{ key: string; kpis: Kpis }>;
};

describe('a district with a past', () => {
  it('writes days of cases at the district\'s rates, worked through the loop by the server\'s own services', async () => {
    expect(written.written).toBe(true);
    if (!written.written) return;
    // ~68 reports a day from the intake model and ~10 from video alarms.
    expect(written.stats.reported).toBeGreaterThan(DAYS * 45);
    expect(written.stats.reported).toBeLessThan(DAYS * 110);
    expect(written.stats.detections).toBeGreaterThan(DAYS * 3);
    expect(written.stats.commands).toBeGreaterThan(written.stats.reported * 2);
    // Two shifts a day, each handed over by both leaders (the first, begun before the history, is not).
    expect(written.stats.handovers).toBeGreaterThanOrEqual(DAYS * 2 - 1);

    // Every day of the window has cases, each day's KPIs computed from what the log says.
    for (let d = DAYS; d >= 1; d--) {
      const from = UNTIL - d * DAY;
      const [all] = await kpis(`from=${from}&to=${from + DAY}`);
      expect(all.kpis.counts.reported, `day -${d}`).toBeGreaterThan(25);
    }
    const [whole] = await kpis(`from=${UNTIL - DAYS * DAY}&to=${UNTIL + 1}`);
    const c = whole.kpis.counts;
    expect(c.reported).toBe(written.stats.reported + written.stats.detections);
    expect(c.closed).toBeGreaterThan(c.reported * 0.5);
    expect(c.dispatched).toBeGreaterThan(10);
    expect(c.voided).toBeGreaterThan(0);
    expect(c.returned).toBeGreaterThan(0);
  });

  it('cases of every township and every source, alarms behind the video-AI ones', async () => {
    const window = `from=${UNTIL - DAYS * DAY}&to=${UNTIL + 1}`;
    const townships = (await kpis(`${window}&by=township`)).map((g) => g.key).filter(Boolean);
    expect(townships.sort()).toEqual(server!.app.projector.district.manifest.townships.map((t) => t.code).sort());
    const sources = (await kpis(`${window}&by=source`)).map((g) => g.key);
    for (const s of ['patrol', 'hotline-12345', 'hotline-12319', 'video-ai']) expect(sources).toContain(s);
    // The dispatcher worked the alarm box: what is still open is the last hours', not the whole past.
    const alarms = await server!.get('/api/alarms?scope=340803');
    expect(alarms.status).toBe(200);
    const open = (alarms.body.data as Array<{ id: string; status: string; raisedAt: number; caseId: string | null }>).filter((a) => a.status !== 'cleared');
    if (!written.written) throw new Error('no history');
    expect(written.stats.alarmsCleared).toBeGreaterThan(0);
    for (const a of open) {
      if (a.status === 'active') expect(UNTIL - a.raisedAt, `${a.id} left unacknowledged`).toBeLessThan(40 * 60_000);
      if (!a.caseId) {
        expect(UNTIL - a.raisedAt, `${a.id} without a case left open`).toBeLessThan(3 * 3_600_000);
        continue;
      }
      // Its case still open, or ended since the dispatcher's last round (every 30 minutes).
      const { case: c } = (await server!.get(`/api/cases/${a.caseId}`)).body.data as { case: { closedAt: number | null; voidedAt: number | null } };
      const ended = c.closedAt ?? c.voidedAt;
      if (ended !== null) expect(UNTIL - ended, `${a.id} open while its case ${a.caseId} ended long ago`).toBeLessThan(35 * 60_000);
    }
  });

  it('the past shifts are handed over with both signatures', async () => {
    const r = await server!.get('/api/duty/handovers?limit=6');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const past = (r.body.data as Array<{ start: number; end: number; signatures: Array<{ role: string }> }>).filter((h) => h.end <= UNTIL);
    expect(past.length).toBeGreaterThanOrEqual(4);
    for (const h of past) expect(h.signatures.map((x) => x.role), new Date(h.start).toISOString()).toEqual(['outgoing', 'incoming']);
  });

  it('the log\'s times are the history\'s: replay reaches back to its first day', async () => {
    const range = await server!.app.store.recordedRange();
    expect(range).not.toBeNull();
    expect(range!.first).toBeGreaterThanOrEqual(UNTIL - DAYS * DAY);
    expect(range!.first).toBeLessThan(UNTIL - (DAYS - 1) * DAY);
    expect(range!.last).toBeLessThanOrEqual(UNTIL + 60_000);
  });

  it('a second run leaves a log that holds events alone', async () => {
    await server!.close(false);
    server = null;
    const again = await writeHistory({ days: 1, seed: 11, until: UNTIL, env: { DATA_DIR: dataDir, DATASET_DIR, LOG_LEVEL: 'silent' } });
    expect(again).toMatchObject({ written: false });
    if (!again.written) expect(again.why).toContain('already holds');
  });
});
