import { describe, expect, it } from 'vitest';
import { calendarFromConfig, DEFAULT_CALENDAR, DEFAULT_CALENDAR_CONFIG, type CalendarConfig } from './calendar.ts';
import calendarJson from '../../data/calendar.json';
import { Rng } from '../random.ts';

// All instants are explicit UTC; the comment gives Shanghai local time (UTC+8).
// 2026-03-09..13 is an ordinary Mon–Fri week (no holiday), 2026-03-14/15 its weekend.
const H = 3_600_000;
const M = 60_000;
const cal = DEFAULT_CALENDAR;

describe('DEFAULT_CALENDAR_CONFIG', () => {
  it('is what data/calendar.json holds and is valid', () => {
    expect(calendarJson).toEqual(DEFAULT_CALENDAR_CONFIG);
    expect(() => calendarFromConfig(calendarJson)).not.toThrow();
    expect(cal.workingMsPerDay).toBe(7 * H);
    expect(cal.config).toEqual(DEFAULT_CALENDAR_CONFIG);
  });

  it('has 248 working days in 2025 and in 2026 (261 weekdays − holidays + make-up days)', () => {
    // [2025-01-01 00:00, 2026-01-01 00:00) local: 261 − 18 + 5; 2026: 261 − 19 + 6.
    expect(cal.workingMsBetween(Date.UTC(2024, 11, 31, 16), Date.UTC(2025, 11, 31, 16))).toBe(248 * 7 * H);
    expect(cal.workingMsBetween(Date.UTC(2025, 11, 31, 16), Date.UTC(2026, 11, 31, 16))).toBe(248 * 7 * H);
  });
});

describe('isWorkingDay / isWorkingTime', () => {
  it('knows weekends, holidays and make-up days of 2026', () => {
    expect(cal.isWorkingDay(Date.UTC(2026, 2, 10, 2))).toBe(true); // Tue 03-10 10:00
    expect(cal.isWorkingDay(Date.UTC(2026, 2, 14, 2))).toBe(false); // Sat 03-14 10:00
    expect(cal.isWorkingDay(Date.UTC(2026, 9, 1, 2))).toBe(false); // Thu 10-01 National Day
    expect(cal.isWorkingDay(Date.UTC(2026, 9, 7, 2))).toBe(false); // Wed 10-07 holiday
    expect(cal.isWorkingDay(Date.UTC(2026, 9, 8, 2))).toBe(true); // Thu 10-08
    expect(cal.isWorkingDay(Date.UTC(2026, 9, 10, 2))).toBe(true); // Sat 10-10 make-up day
    expect(cal.isWorkingDay(Date.UTC(2026, 9, 11, 2))).toBe(false); // Sun 10-11
    expect(cal.isWorkingDay(Date.UTC(2026, 8, 20, 2))).toBe(true); // Sun 09-20 make-up day
    expect(cal.isWorkingDay(Date.UTC(2026, 1, 14, 2))).toBe(true); // Sat 02-14 make-up day
    expect(cal.isWorkingDay(Date.UTC(2026, 1, 23, 2))).toBe(false); // Mon 02-23 Spring Festival
  });

  it('uses the Shanghai date, not the UTC date', () => {
    expect(cal.isWorkingDay(Date.UTC(2026, 8, 30, 15, 59))).toBe(true); // Wed 09-30 23:59
    expect(cal.isWorkingDay(Date.UTC(2026, 8, 30, 16, 0))).toBe(false); // Thu 10-01 00:00
    expect(cal.isWorkingDay(Date.UTC(2026, 2, 13, 16, 0))).toBe(false); // Sat 03-14 00:00 (UTC still Friday)
  });

  it('treats periods as half-open [start, end)', () => {
    expect(cal.isWorkingTime(Date.UTC(2026, 2, 10, 0, 30))).toBe(true); // Tue 08:30
    expect(cal.isWorkingTime(Date.UTC(2026, 2, 10, 0, 30) - 1)).toBe(false); // 08:29:59.999
    expect(cal.isWorkingTime(Date.UTC(2026, 2, 10, 4) - 1)).toBe(true); // 11:59:59.999
    expect(cal.isWorkingTime(Date.UTC(2026, 2, 10, 4))).toBe(false); // 12:00
    expect(cal.isWorkingTime(Date.UTC(2026, 2, 10, 5))).toBe(false); // 13:00 lunch
    expect(cal.isWorkingTime(Date.UTC(2026, 2, 10, 6))).toBe(true); // 14:00
    expect(cal.isWorkingTime(Date.UTC(2026, 2, 10, 9, 30))).toBe(false); // 17:30
    expect(cal.isWorkingTime(Date.UTC(2026, 2, 14, 2))).toBe(false); // Sat 10:00
  });
});

describe('addWorkingMs', () => {
  it('adds within a day and ends a full period at its end, not at the next start', () => {
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 10, 1), 2 * H)).toBe(Date.UTC(2026, 2, 10, 3)); // Tue 09:00 + 2h → 11:00
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 10, 0, 30), 3.5 * H)).toBe(Date.UTC(2026, 2, 10, 4)); // 08:30 + 3.5h → 12:00
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 10, 0, 30), 7 * H)).toBe(Date.UTC(2026, 2, 10, 9, 30)); // 08:30 + 7h → 17:30
  });

  it('skips the lunch break, the night and the weekend', () => {
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 10, 3), 2 * H)).toBe(Date.UTC(2026, 2, 10, 7)); // Tue 11:00 + 2h → 15:00
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 10, 9), 1 * H)).toBe(Date.UTC(2026, 2, 11, 1)); // Tue 17:00 + 1h → Wed 09:00
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 13, 9), 2 * H)).toBe(Date.UTC(2026, 2, 16, 2)); // Fri 17:00 + 2h → Mon 10:00
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 10, 9), 8 * H)).toBe(Date.UTC(2026, 2, 12, 1)); // Tue 17:00 + 8h → Thu 09:00
  });

  it('starts counting at the next period when outside working time', () => {
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 9, 18), 1 * H)).toBe(Date.UTC(2026, 2, 10, 1, 30)); // Tue 02:00 + 1h → 09:30
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 10, 12), 1 * H)).toBe(Date.UTC(2026, 2, 11, 1, 30)); // Tue 20:00 + 1h → Wed 09:30
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 10, 4, 30), 1 * H)).toBe(Date.UTC(2026, 2, 10, 7)); // Tue 12:30 + 1h → 15:00
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 10, 4), 1 * H)).toBe(Date.UTC(2026, 2, 10, 7)); // Tue 12:00 + 1h → 15:00
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 14, 2), 1 * H)).toBe(Date.UTC(2026, 2, 16, 1, 30)); // Sat 10:00 + 1h → Mon 09:30
  });

  it('ms = 0 gives start inside working time, else the next period start', () => {
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 10, 2, 17), 0)).toBe(Date.UTC(2026, 2, 10, 2, 17)); // Tue 10:17
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 10, 0, 30), 0)).toBe(Date.UTC(2026, 2, 10, 0, 30)); // 08:30 stays
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 10, 4), 0)).toBe(Date.UTC(2026, 2, 10, 6)); // 12:00 → 14:00
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 13, 9, 30), 0)).toBe(Date.UTC(2026, 2, 16, 0, 30)); // Fri 17:30 → Mon 08:30
  });

  it('follows the 2026 National Day holiday and its make-up Saturday Oct 10', () => {
    // Wed 09-30 16:00 + 6h: 1.5h that day, Oct 1–7 off, 3.5h Thu 10-08 morning, 1h after lunch → 15:00
    expect(cal.addWorkingMs(Date.UTC(2026, 8, 30, 8), 6 * H)).toBe(Date.UTC(2026, 9, 8, 7));
    // Fri 10-09 15:00 + 8h: 2.5h Friday, 3.5h Sat 10-10 morning, 2h → Sat 16:00
    expect(cal.addWorkingMs(Date.UTC(2026, 9, 9, 7), 8 * H)).toBe(Date.UTC(2026, 9, 10, 8));
    // Fri 10-09 08:30 + 21h = Fri, Sat, (Sun off), Mon → Mon 10-12 17:30; + 24h → Tue 10-13 11:30
    expect(cal.addWorkingMs(Date.UTC(2026, 9, 9, 0, 30), 21 * H)).toBe(Date.UTC(2026, 9, 12, 9, 30));
    expect(cal.addWorkingMs(Date.UTC(2026, 9, 9, 0, 30), 24 * H)).toBe(Date.UTC(2026, 9, 13, 3, 30));
  });

  it('follows the 2026 Spring Festival and make-up Sunday Sep 20', () => {
    expect(cal.addWorkingMs(Date.UTC(2026, 1, 13, 9), 1 * H)).toBe(Date.UTC(2026, 1, 14, 1)); // Fri 02-13 17:00 → Sat 02-14 09:00
    expect(cal.addWorkingMs(Date.UTC(2026, 1, 14, 9), 1 * H)).toBe(Date.UTC(2026, 1, 24, 1)); // Sat 02-14 17:00 → Tue 02-24 09:00
    expect(cal.addWorkingMs(Date.UTC(2026, 8, 19, 2), 1 * H)).toBe(Date.UTC(2026, 8, 20, 1, 30)); // Sat 09-19 10:00 → Sun 09-20 09:30
  });

  it('handles long spans: 15 working days', () => {
    // Mon 03-02 08:30 + 105h = three full weeks → Fri 03-20 17:30
    expect(cal.addWorkingMs(Date.UTC(2026, 2, 2, 0, 30), 105 * H)).toBe(Date.UTC(2026, 2, 20, 9, 30));
    // 248 working days from the start of 2026 end on the last working day, Thu 12-31 17:30
    expect(cal.addWorkingMs(Date.UTC(2025, 11, 31, 16), 248 * 7 * H)).toBe(Date.UTC(2026, 11, 31, 9, 30));
  });

  it('rejects bad arguments', () => {
    expect(() => cal.addWorkingMs(Date.UTC(2026, 2, 10), -1)).toThrow(RangeError);
    expect(() => cal.addWorkingMs(NaN, H)).toThrow(RangeError);
    expect(() => cal.addWorkingMs(Date.UTC(2026, 2, 10), Infinity)).toThrow(RangeError);
  });
});

describe('workingMsBetween', () => {
  it('counts working time in [a, b)', () => {
    expect(cal.workingMsBetween(Date.UTC(2026, 2, 10, 3), Date.UTC(2026, 2, 10, 7))).toBe(2 * H); // Tue 11:00–15:00
    expect(cal.workingMsBetween(Date.UTC(2026, 2, 10, 4), Date.UTC(2026, 2, 10, 6))).toBe(0); // lunch
    expect(cal.workingMsBetween(Date.UTC(2026, 2, 13, 9), Date.UTC(2026, 2, 16, 2))).toBe(2 * H); // Fri 17:00–Mon 10:00
    expect(cal.workingMsBetween(Date.UTC(2026, 2, 8, 16), Date.UTC(2026, 2, 15, 16))).toBe(35 * H); // Mon 00:00–next Mon 00:00
    expect(cal.workingMsBetween(Date.UTC(2026, 8, 30, 16), Date.UTC(2026, 9, 7, 16))).toBe(0); // Oct 1–7
  });

  it('is 0 when b <= a', () => {
    expect(cal.workingMsBetween(Date.UTC(2026, 2, 10, 7), Date.UTC(2026, 2, 10, 3))).toBe(0);
    expect(cal.workingMsBetween(Date.UTC(2026, 2, 10, 3), Date.UTC(2026, 2, 10, 3))).toBe(0);
  });
});

describe('properties (seeded random)', () => {
  // Seeded: a failure is reproducible.
  function rng(seed: number): () => number {
    const g = new Rng(seed);
    return () => g.next();
  }
  const from = Date.UTC(2024, 11, 31, 16); // 2025-01-01 00:00
  const span = Date.UTC(2026, 11, 31, 16) - from; // two years
  const randomInstant = (r: () => number): number =>
    r() < 0.2
      ? Date.UTC(2025, 0, 1 + Math.floor(r() * 700), [0, 4, 6, 9][Math.floor(r() * 4)], 30 * Math.floor(r() * 2)) // on/near boundaries
      : from + Math.floor(r() * span);
  const randomAmount = (r: () => number): number => (r() < 0.1 ? 0 : r() < 0.5 ? Math.floor(r() * 200) * 30 * M : Math.floor(r() * 300 * H));

  it('workingMsBetween(s, addWorkingMs(s, m)) === m', () => {
    const r = rng(1);
    for (let i = 0; i < 2000; i++) {
      const s = randomInstant(r);
      const m = randomAmount(r);
      const end = cal.addWorkingMs(s, m);
      expect(end).toBeGreaterThanOrEqual(s);
      expect(cal.workingMsBetween(s, end), `s=${new Date(s).toISOString()} m=${m}`).toBe(m);
    }
  });

  it('addWorkingMs is additive for positive amounts and never overshoots workingMsBetween', () => {
    const r = rng(2);
    for (let i = 0; i < 1000; i++) {
      const s = randomInstant(r);
      const a = 1 + randomAmount(r);
      const b = 1 + randomAmount(r);
      expect(cal.addWorkingMs(cal.addWorkingMs(s, a), b)).toBe(cal.addWorkingMs(s, a + b));
      const t = randomInstant(r);
      const back = cal.addWorkingMs(s, cal.workingMsBetween(s, t));
      if (t > s) {
        expect(back).toBeLessThanOrEqual(cal.addWorkingMs(t, 0));
        expect(cal.workingMsBetween(back, t)).toBe(0);
      }
    }
  });
});

describe('calendarFromConfig', () => {
  const base = (): CalendarConfig => ({ periods: [['08:30', '12:00'], ['14:00', '17:30']], holidays: [], workdays: [] });
  const bad = (patch: Partial<Record<string, unknown>>): (() => unknown) => () => calendarFromConfig({ ...base(), ...patch });

  it('accepts custom periods in any order, one running to 24:00', () => {
    const c = calendarFromConfig({ ...base(), periods: [['13:00', '24:00'], ['00:00', '01:00']] });
    expect(c.workingMsPerDay).toBe(12 * H);
    // Tue 23:30 + 1h: 30 min to midnight, 30 min from Wed 00:00 → Wed 00:30
    expect(c.addWorkingMs(Date.UTC(2026, 2, 10, 15, 30), H)).toBe(Date.UTC(2026, 2, 10, 16, 30));
    // without holidays, 2026-10-01 (Thu) is an ordinary working day
    expect(c.isWorkingDay(Date.UTC(2026, 9, 1, 2))).toBe(true);
  });

  it('names the bad field and value', () => {
    expect(() => calendarFromConfig(null)).toThrow('calendar: expected an object');
    expect(bad({ holiday: [] })).toThrow('calendar.holiday: unknown field');
    expect(bad({ periods: [] })).toThrow('calendar.periods: expected a non-empty array');
    expect(bad({ periods: [['08:30', '12:00'], ['14:00', '13:00']] })).toThrow('calendar.periods[1]: "14:00"-"13:00" ends before it starts');
    expect(bad({ periods: [['08:30', '12:00'], ['11:00', '13:00']] })).toThrow('calendar.periods[1]: "11:00"-"13:00" overlaps calendar.periods[0] "08:30"-"12:00"');
    expect(bad({ periods: [['14:00', '17:30'], ['08:30', '14:30']] })).toThrow('calendar.periods[1]: "08:30"-"14:30" overlaps calendar.periods[0]');
    expect(bad({ periods: [['8:30', '12:00']] })).toThrow(`calendar.periods[0][0]: expected 'HH:MM'`);
    expect(bad({ periods: [['08:30', '12:60']] })).toThrow('calendar.periods[0][1]');
    expect(bad({ periods: [['24:00', '24:00']] })).toThrow('calendar.periods[0][0]');
    expect(bad({ periods: [['08:30']] })).toThrow('calendar.periods[0]: expected a pair');
    expect(bad({ holidays: '2026-10-01' })).toThrow('calendar.holidays: expected an array');
    expect(bad({ workdays: undefined })).toThrow('calendar.workdays: expected an array');
    expect(bad({ holidays: ['2026-10-01', '2026-02-30'] })).toThrow(`calendar.holidays[1]: expected a date 'YYYY-MM-DD', got "2026-02-30"`);
    expect(bad({ workdays: ['2026/10/10'] })).toThrow('calendar.workdays[0]');
  });

  it('rejects a date in both lists, holidays on weekends and workdays on weekdays', () => {
    expect(bad({ holidays: ['2026-10-01'], workdays: ['2026-10-01'] })).toThrow('calendar.workdays[0]: "2026-10-01" is also listed as calendar.holidays[0]');
    expect(bad({ holidays: ['2026-10-02', '2026-10-03'] })).toThrow('calendar.holidays[1]: "2026-10-03" is a Saturday, already a day off');
    expect(bad({ workdays: ['2026-10-09'] })).toThrow('calendar.workdays[0]: "2026-10-09" is a Friday, already a working day');
  });
});
