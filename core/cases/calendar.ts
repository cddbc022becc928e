// The working calendar (工作日历): SLA limits are counted in working time (DOMAIN.md §3).
// Asia/Shanghai is UTC+8 all year (no DST), so a local day is a fixed 24 h slice of UTC and no
// time-zone database is needed. Pure: every instant comes in as UTC ms; nothing reads the clock.
import { shanghaiDayNumber, shanghaiDayNumberStart } from '../time.ts';

export interface CalendarConfig {
  /** Working periods of a working day, 'HH:MM' local time, start < end, not overlapping ('24:00' may end one). */
  periods: Array<[string, string]>;
  /** 'YYYY-MM-DD' Mon–Fri dates that are days off (public holidays and the bridge days of 调休). */
  holidays: string[];
  /** 'YYYY-MM-DD' Sat/Sun dates that are working days (调休 make-up days). */
  workdays: string[];
}

export interface WorkingCalendar {
  /** The validated configuration (a copy). */
  readonly config: CalendarConfig;
  /** Working ms in one working day (7 h with the default periods). */
  readonly workingMsPerDay: number;
  /** Whether the local (Shanghai) date containing `t` is a working day. */
  isWorkingDay(t: number): boolean;
  /** Whether `t` lies inside a working period of a working day (periods are half-open [start, end)). */
  isWorkingTime(t: number): boolean;
  /**
   * The instant at which `ms` of working time has elapsed counting from `start`; counting starts
   * at the next working period when `start` is outside working time. A sum that exactly uses up
   * a period ends at that period's end (12:00, 17:30), not at the next period's start.
   * ms = 0 gives the first working instant ≥ start: `start` itself when it is working time, else
   * the next period start. That keeps "the clock starts" one rule, and additivity holds:
   * addWorkingMs(addWorkingMs(s, a), b) === addWorkingMs(s, a + b) for a, b > 0.
   */
  addWorkingMs(start: number, ms: number): number;
  /** Working ms in [a, b); 0 when b <= a. workingMsBetween(s, addWorkingMs(s, m)) === m. */
  workingMsBetween(a: number, b: number): number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Local day number: 0 = 1970-01-01 in Shanghai. */
const dayOf = shanghaiDayNumber;
const dayStart = shanghaiDayNumberStart;
/** 0 = Sunday … 6 = Saturday; local day 0 was a Thursday. */
const weekdayOf = (d: number): number => (((d + 4) % 7) + 7) % 7;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * China's official public holidays (Mon–Fri days off only: a holiday on a weekend is already off)
 * and make-up working days (weekend days only), per the State Council notices for 2025 and 2026.
 * 2027: only the statutory days that fall on weekdays (New Year Jan 1, Spring Festival eve Feb 5
 * and 3rd day Feb 8, National Day Oct 1); the bridge days and make-up workdays are unknown until
 * the 2027 notice. A deployment must check this list (data/calendar.json) against the State
 * Council notice each December (it is usually published in November).
 */
export const DEFAULT_CALENDAR_CONFIG: CalendarConfig = {
  periods: [['08:30', '12:00'], ['14:00', '17:30']],
  holidays: [
    '2025-01-01', // New Year
    '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-03', '2025-02-04', // Spring Festival Jan 28–Feb 4
    '2025-04-04', // Qingming Apr 4–6
    '2025-05-01', '2025-05-02', '2025-05-05', // Labour Day May 1–5
    '2025-06-02', // Dragon Boat May 31–Jun 2
    '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08', // National Day + Mid-Autumn Oct 1–8
    '2026-01-01', '2026-01-02', // New Year Jan 1–3
    '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23', // Spring Festival Feb 15–23
    '2026-04-06', // Qingming Apr 4–6
    '2026-05-01', '2026-05-04', '2026-05-05', // Labour Day May 1–5
    '2026-06-19', // Dragon Boat Jun 19–21
    '2026-09-25', // Mid-Autumn Sep 25–27
    '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', // National Day Oct 1–7
    '2027-01-01', '2027-02-05', '2027-02-08', '2027-10-01', // statutory days only, see above
  ],
  workdays: [
    '2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11',
    '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10',
  ],
};

function parseTime(v: unknown, where: string, end: boolean): number {
  const m = typeof v === 'string' ? /^(\d{2}):(\d{2})$/.exec(v) : null;
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  // '24:00' is accepted as an end so a period can run to midnight.
  if (!m || min > 59 || h > 24 || (h === 24 && (min !== 0 || !end))) {
    throw new Error(`${where}: expected 'HH:MM' (00:00–${end ? '24:00' : '23:59'}), got ${JSON.stringify(v)}`);
  }
  return (h * 60 + min) * MINUTE;
}

/** 'YYYY-MM-DD' → local day number, rejecting impossible dates such as 2026-02-30. */
function parseDate(v: unknown, where: string): number {
  const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = Date.UTC(y, mo - 1, d);
    const back = new Date(t);
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) return t / DAY;
  }
  throw new Error(`${where}: expected a date 'YYYY-MM-DD', got ${JSON.stringify(v)}`);
}

/** Day number → where it was listed (duplicates collapse onto the first). */
function parseDates(v: unknown, field: string): Map<number, { s: string; where: string }> {
  if (!Array.isArray(v)) throw new Error(`calendar.${field}: expected an array of 'YYYY-MM-DD' dates`);
  const out = new Map<number, { s: string; where: string }>();
  v.forEach((s, i) => {
    const where = `calendar.${field}[${i}]`;
    const d = parseDate(s, where);
    if (!out.has(d)) out.set(d, { s: s as string, where });
  });
  return out;
}

/** Validates a calendar configuration (e.g. data/calendar.json); throws an Error naming the bad field. */
export function calendarFromConfig(cfg: unknown): WorkingCalendar {
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) {
    throw new Error('calendar: expected an object { periods, holidays, workdays }');
  }
  const rec = cfg as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    if (k !== 'periods' && k !== 'holidays' && k !== 'workdays') throw new Error(`calendar.${k}: unknown field (expected periods, holidays, workdays)`);
  }
  if (!Array.isArray(rec.periods) || rec.periods.length === 0) {
    throw new Error("calendar.periods: expected a non-empty array of ['HH:MM', 'HH:MM'] pairs");
  }
  const periods = rec.periods.map((p: unknown, i: number) => {
    const where = `calendar.periods[${i}]`;
    if (!Array.isArray(p) || p.length !== 2) throw new Error(`${where}: expected a pair ['HH:MM', 'HH:MM'], got ${JSON.stringify(p)}`);
    const [s, e] = [parseTime(p[0], `${where}[0]`, false), parseTime(p[1], `${where}[1]`, true)];
    const label = `${JSON.stringify(p[0])}-${JSON.stringify(p[1])}`;
    if (e <= s) throw new Error(`${where}: ${label} ends before it starts`);
    return { s, e, i, label };
  });
  const sorted = [...periods].sort((a, b) => a.s - b.s);
  for (let k = 1; k < sorted.length; k++) {
    const [prev, cur] = [sorted[k - 1], sorted[k]];
    if (cur.s < prev.e) {
      const [first, second] = prev.i < cur.i ? [prev, cur] : [cur, prev];
      throw new Error(`calendar.periods[${second.i}]: ${second.label} overlaps calendar.periods[${first.i}] ${first.label}`);
    }
  }
  const holidays = parseDates(rec.holidays, 'holidays');
  const workdays = parseDates(rec.workdays, 'workdays');
  // Holidays must be weekdays and workdays weekend days: anything else is a typo in the list.
  for (const [d, h] of holidays) {
    const both = workdays.get(d);
    if (both) throw new Error(`${both.where}: "${h.s}" is also listed as ${h.where}`);
    const w = weekdayOf(d);
    if (w === 0 || w === 6) throw new Error(`${h.where}: "${h.s}" is a ${WEEKDAYS[w]}, already a day off (list only Mon–Fri days off)`);
  }
  for (const [d, h] of workdays) {
    const w = weekdayOf(d);
    if (w !== 0 && w !== 6) throw new Error(`${h.where}: "${h.s}" is a ${WEEKDAYS[w]}, already a working day (list only Sat/Sun make-up days)`);
  }
  const config: CalendarConfig = {
    periods: (rec.periods as Array<[string, string]>).map(([s, e]) => [s, e]),
    holidays: [...holidays.values()].map((h) => h.s),
    workdays: [...workdays.values()].map((h) => h.s),
  };
  return makeCalendar(config, sorted.map((p) => [p.s, p.e]), new Set(holidays.keys()), new Set(workdays.keys()));
}

function finite(v: number, what: string): void {
  if (!Number.isFinite(v)) throw new RangeError(`${what} must be a finite number, got ${v}`);
}

function makeCalendar(config: CalendarConfig, periods: Array<[number, number]>, holidays: Set<number>, workdays: Set<number>): WorkingCalendar {
  const workingDay = (d: number): boolean => {
    if (workdays.has(d)) return true;
    if (holidays.has(d)) return false;
    const w = weekdayOf(d);
    return w !== 0 && w !== 6;
  };
  const workingMsPerDay = periods.reduce((sum, [s, e]) => sum + e - s, 0);

  return {
    config,
    workingMsPerDay,
    isWorkingDay: (t) => workingDay(dayOf(t)),
    isWorkingTime(t) {
      const d = dayOf(t);
      const o = t - dayStart(d);
      return workingDay(d) && periods.some(([s, e]) => o >= s && o < e);
    },
    addWorkingMs(start, ms) {
      finite(start, 'start');
      finite(ms, 'ms');
      if (ms < 0) throw new RangeError(`ms must be >= 0, got ${ms}`);
      let d = dayOf(start);
      let offset = start - dayStart(d);
      let left = ms;
      // One iteration per day; terminates because every week has working days (holidays are finite).
      for (;;) {
        if (workingDay(d)) {
          for (const [s, e] of periods) {
            if (offset >= e) continue;
            const from = Math.max(offset, s);
            if (left <= e - from) return dayStart(d) + from + left;
            left -= e - from;
          }
        }
        d += 1;
        offset = 0;
      }
    },
    workingMsBetween(a, b) {
      finite(a, 'a');
      finite(b, 'b');
      let total = 0;
      for (let d = dayOf(a), last = dayOf(b); d <= last && b > a; d++) {
        if (!workingDay(d)) continue;
        const base = dayStart(d);
        for (const [s, e] of periods) {
          const lo = Math.max(a, base + s);
          const hi = Math.min(b, base + e);
          if (hi > lo) total += hi - lo;
        }
      }
      return total;
    },
  };
}

/** The calendar of DEFAULT_CALENDAR_CONFIG (a deployment loads data/calendar.json instead). */
export const DEFAULT_CALENDAR: WorkingCalendar = calendarFromConfig(DEFAULT_CALENDAR_CONFIG);
