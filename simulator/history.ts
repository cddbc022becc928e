// A district with a past (issue 14): N days of the closed loop played through the server's own API
// before the live stack starts on a fresh data directory, on a clock that runs as fast as the
// machine allows. The case intake model (rates by source and hour of day), video-AI detections
// (the server raises the alarms and opens the cases), the simulated staff with their seeded fates
// (on time, late, returned, escalated, whistled) and the escalation sweep: every event is decided
// by core/ and appended by the server's services, as live; nothing is written around them.
import type { FastifyInstance } from 'fastify';
import type { VideoEvent } from '../core/protocol.ts';
import { EVENT_CLASSES } from '../core/taxonomy.ts';
import { ApiClient, type FetchLike } from './api.ts';
import type { SimDataset } from './dataset.ts';
import { LoopDriver } from './loop/driver.ts';
import { CASE_RATES, CasesModel } from './models/cases.ts';
import { Rng } from '../core/random.ts';
import { Staff } from './staff.ts';
import type { CaseRecord } from '../core/protocol.ts';
import type { Sink, TickContext } from './types.ts';
import type { DutyShift, HandoverReport } from '../core/duty.ts';
import type { AlarmState } from '../core/alarms.ts';
import { OPEN_STAGES, type CaseState } from '../core/cases/model.ts';
import { DISTRICT_CODE } from '../core/org.ts';
import { shanghaiHour } from '../core/time.ts';

const MIN = 60_000;
const DAY = 1440 * MIN;
/** Video-AI detections confident enough to open a case, per day (the live world's rate). */
const VIDEO_CASES_PER_DAY = 10;
const VIDEO_CLASSES = EVENT_CLASSES.filter((c) => c.videoAi).map((c) => c.code);

export interface HistoryOptions {
  /** The server, built on `time` (its clock reads time.now). */
  app: FastifyInstance;
  time: { now: number };
  ds: SimDataset;
  /** Days to play, ending at `until`. */
  days: number;
  until: number;
  seed: number;
  /** A gateway key the server accepts. */
  key: string;
  /** Simulated time per step (default 5 min). */
  stepMs?: number;
  /** Stops between steps. */
  signal?: AbortSignal;
  /** Called after each simulated day. */
  onDay?: (day: number, stats: HistoryStats) => void;
}

export interface HistoryStats {
  days: number;
  reported: number;
  detections: number;
  commands: number;
  refused: number;
  escalated: number;
  /** Shifts handed over with both leaders' signatures. */
  handovers: number;
  /** Alarms the dispatcher acknowledged and, once their case ended, cleared. */
  alarmsCleared: number;
}

/** The server's API, in process (Fastify's inject: the same routes, schemas and hooks, no socket). */
function injectFetch(app: FastifyInstance): FetchLike {
  return async (url, init) => {
    const res = await app.inject({ method: init.method as 'GET' | 'POST', url: new URL(url).pathname + new URL(url).search, headers: init.headers, payload: init.body });
    return { status: res.statusCode, text: async () => res.body };
  };
}

export async function playHistory(o: HistoryOptions): Promise<HistoryStats> {
  const step = o.stepMs ?? 5 * MIN;
  const api = new ApiClient({ baseUrl: 'http://history.invalid', key: o.key, fetch: injectFetch(o.app), sleep: async () => {}, concurrency: 64, maxAttempts: 3 });
  const staff = new Staff(o.ds);
  const driver = new LoopDriver({ api, staff, seed: o.seed, speed: 1, clock: () => o.time.now, pollMs: 60 * MIN, warnBudget: 0 });
  const rng = new Rng(o.seed);
  const intake = new CasesModel(o.ds, rng.fork(), `H${o.seed.toString(36)}`, CASE_RATES);
  const detections = rng.fork();
  const cameras = o.ds.devices.camera;
  const reports: CaseRecord[] = [];
  const sink: Sink = { device() {}, video() {}, weather() {}, case: (r) => void reports.push(r) };
  const stats: HistoryStats = { days: 0, reported: 0, detections: 0, commands: 0, refused: 0, escalated: 0, handovers: 0, alarmsCleared: 0 };
  const from = o.until - o.days * DAY;
  o.time.now = from;
  let nextSweep = from;
  let nextDay = from + DAY;
  let video = 0;
  let last = from;
  const post = async (path: string, records: unknown[]) => {
    const r = await api.post(path, { records });
    if (!r.ok) throw new Error(`history: ${path} refused: ${r.code} ${r.message}`);
  };
  // The duty leaders hand each shift over in its last minutes, as the duty page asks them to.
  let shift: DutyShift | null = null;
  const handOver = async () => {
    if (shift === null || o.time.now >= shift.end) {
      const r = await api.get<{ current: DutyShift }>('/api/duty/now');
      if (!r.ok) throw new Error(`history: the duty roster: ${r.code} ${r.message}`);
      shift = r.data.current;
      return;
    }
    if (o.time.now < shift.end - 10 * MIN || shift.start < from) return;
    const r = await api.get<HandoverReport>(`/api/duty/handovers/${shift.start}`);
    if (r.ok && r.data.signatures.length === 0) {
      const leader = (p: { id: string; name: string }) => ({ id: p.id, name: p.name, role: 'duty-leader', org: DISTRICT_CODE });
      const out = await api.post(`/api/duty/handovers/${shift.start}/sign`, { actor: leader(r.data.duty.leader), role: 'outgoing', note: '交班：在办案件已逐件交代' });
      const inc = out.ok ? await api.post(`/api/duty/handovers/${shift.start}/sign`, { actor: leader(r.data.next.leader), role: 'incoming', note: '接班' }) : out;
      if (inc.ok) stats.handovers++;
    }
    shift = { ...shift, start: -1 }; // signed (or not signable): nothing more until the next shift
  };
  // The dispatcher acknowledges each alarm within minutes and clears it once its case has ended
  // (or, without a case, after a while), as on the alarm box; else the past would leave hundreds open.
  let nextAlarmRound = from;
  const tendAlarms = async () => {
    if (o.time.now < nextAlarmRound) return;
    nextAlarmRound += 30 * MIN;
    const r = await api.get<AlarmState[]>('/api/alarms?scope=' + DISTRICT_CODE);
    if (!r.ok) return;
    for (const a of r.data) {
      if (a.status === 'cleared' || o.time.now - a.raisedAt < 5 * MIN) continue;
      const act = (type: 'acknowledge' | 'clear', note: string) => api.post(`/api/alarms/${encodeURIComponent(a.id)}/commands`, { actor: staff.dispatcher, command: { type, note } });
      if (a.status === 'active' && !(await act('acknowledge', '已知悉，已派员核实')).ok) continue;
      let ended = o.time.now - a.raisedAt >= 2 * 60 * MIN;
      if (a.caseId) {
        const c = await api.get<{ case: CaseState }>(`/api/cases/${encodeURIComponent(a.caseId)}`);
        ended = c.ok && !OPEN_STAGES.has(c.data.case.stage);
      }
      if (ended && (await act('clear', '现场已处置')).ok) stats.alarmsCleared++;
    }
  };
  while (o.time.now < o.until && !o.signal?.aborted) {
    // Few reports come in at night (core of the intake model's hourly curve): longer steps then.
    o.time.now = Math.min(o.until, o.time.now + (shanghaiHour(o.time.now) < 6 ? 3 * step : step));
    const dt = (o.time.now - last) / 1000;
    last = o.time.now;
    const ctx: TickContext = { now: o.time.now, sim: o.time.now, dtWall: dt, dtSim: dt, speed: 1 };
    intake.tick(ctx, sink);
    if (reports.length > 0) {
      stats.reported += reports.length;
      await post('/api/ingest/cases', reports.splice(0));
    }
    const seen: VideoEvent[] = [];
    for (let k = detections.poisson((VIDEO_CASES_PER_DAY / DAY) * dt * 1000); k > 0 && cameras.length > 0; k--) {
      const cam = cameras[detections.int(cameras.length)];
      seen.push({ id: `HV-${o.seed.toString(36)}-${++video}`, cameraId: cam.id, ts: o.time.now, eventClass: detections.pick(VIDEO_CLASSES), confidence: 0.95 });
    }
    if (seen.length > 0) {
      stats.detections += seen.length;
      await post('/api/ingest/video-events', seen);
      await o.app.alarmService.idle();
    }
    if (o.time.now >= nextSweep) {
      nextSweep += 15 * MIN;
      stats.escalated += await o.app.caseService.escalateDue();
    }
    driver.tick();
    await driver.idle();
    await handOver();
    await tendAlarms();
    if (o.time.now >= nextDay) {
      nextDay += DAY;
      stats.days++;
      stats.commands = Object.values(driver.stats.commands).reduce((a, b) => a + b, 0);
      stats.refused = Object.values(driver.stats.refused).reduce((a, b) => a + b, 0);
      o.onDay?.(stats.days, stats);
    }
  }
  driver.stop();
  await driver.idle();
  stats.commands = Object.values(driver.stats.commands).reduce((a, b) => a + b, 0);
  stats.refused = Object.values(driver.stats.refused).reduce((a, b) => a + b, 0);
  return stats;
}
