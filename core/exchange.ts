// The way up to the city platform (对上承接城市大脑): what the district hands over, as pure
// functions of the log and the case book. Cases come down through ingest; their lifecycle and the
// day's indicators go up through a cursor on the log's sequence numbers, so a consumer that keeps
// its cursor never misses an event nor sees one twice, across restarts of either side.
import type { CaseEvent, CaseState } from './cases/model.ts';
import { computeKpis, inPeriod, kpisBy, type KpiSet } from './cases/kpi.ts';
import { DAY_MS, shanghaiDayNumberStart } from './time.ts';

/** One step of a case's closed loop, as the city platform receives it. */
export interface CityCaseEvent {
  /** The log's sequence number: the consumer's cursor. */
  seq: number;
  at: number;
  caseId: string;
  command: CaseEvent['command'];
  from: CaseEvent['from'];
  to: CaseEvent['to'];
  /** Who acted, by role and organisation (names of staff stay in the district). */
  actor: { role: string; org: string };
  note?: string;
  /** The report, on the first event of a case (its reporter's contact stays in the district). */
  report?: Omit<NonNullable<NonNullable<CaseEvent['data']>['report']>, 'reporter'>;
  /** Command facts: the unit dispatched to, the deadline, the rating of a callback… */
  facts?: Omit<NonNullable<CaseEvent['data']>, 'report'>;
}

/** A logged event as the exchange reads it. */
export interface LoggedEvent {
  seq: number;
  type: string;
  data: unknown;
}

/** The city form of a logged case event; null for anything else (the feed carries cases only). */
export function cityCaseEvent(e: LoggedEvent): CityCaseEvent | null {
  if (!e.type.startsWith('case:')) return null;
  const ce = e.data as Partial<CaseEvent> | null;
  // Version-1 logs held gateway upserts without a command: nothing the city could read.
  if (!ce || typeof ce.command !== 'string' || typeof ce.caseId !== 'string') return null;
  const out: CityCaseEvent = {
    seq: e.seq, at: ce.at ?? 0, caseId: ce.caseId, command: ce.command, from: ce.from ?? null, to: ce.to!,
    actor: { role: ce.actor?.role ?? 'system', org: ce.actor?.org ?? '' },
  };
  if (ce.note) out.note = ce.note;
  if (ce.data) {
    const { report, ...facts } = ce.data;
    if (report) {
      const { reporter: _contact, ...rest } = report;
      out.report = rest;
    }
    if (Object.keys(facts).length > 0) out.facts = facts;
  }
  return out;
}

/** The indicators of one local day: the district's and each township's, of the cases reported that day. */
export interface DailyIndicators {
  /** YYYY-MM-DD, Asia/Shanghai. */
  day: string;
  from: number;
  to: number;
  /** When they were computed: a day still running, or with cases still open, may change. */
  asOf: number;
  district: KpiSet;
  townships: Array<{ code: string; kpis: KpiSet }>;
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC start of a YYYY-MM-DD local day, or null when it is not a calendar date. */
export function localDayStart(day: string): number | null {
  const m = DAY_PATTERN.exec(day);
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(utc);
  if (back.getUTCFullYear() !== Number(m[1]) || back.getUTCMonth() !== Number(m[2]) - 1 || back.getUTCDate() !== Number(m[3])) return null;
  return shanghaiDayNumberStart(utc / DAY_MS);
}

/** Indicators of the cases reported on `day` (local), as of `now`; null when `day` is not a date. */
export function dailyIndicators(cases: Iterable<CaseState>, day: string, now: number): DailyIndicators | null {
  const from = localDayStart(day);
  if (from === null) return null;
  const to = from + DAY_MS;
  const ofDay = inPeriod(cases, from, to);
  return {
    day, from, to, asOf: now,
    district: computeKpis(ofDay, now),
    townships: kpisBy(ofDay, now, 'township').filter((t) => t.key !== '').map((t) => ({ code: t.key, kpis: t.kpis })),
  };
}
