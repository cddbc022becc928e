import { describe, expect, it } from 'vitest';
import { parseShifts, shiftAt } from './shifts.ts';

// Shanghai = UTC+8: local 08:00 is 00:00 UTC.
describe('shifts', () => {
  const shifts = parseShifts('08:00-20:00,20:00-08:00');
  it('finds the day shift and the night shift running past midnight', () => {
    expect(shiftAt(Date.UTC(2026, 2, 10, 3), shifts)).toEqual({ start: Date.UTC(2026, 2, 10, 0), end: Date.UTC(2026, 2, 10, 12) }); // 11:00 local
    expect(shiftAt(Date.UTC(2026, 2, 10, 14), shifts)).toEqual({ start: Date.UTC(2026, 2, 10, 12), end: Date.UTC(2026, 2, 11, 0) }); // 22:00 local
    expect(shiftAt(Date.UTC(2026, 2, 10, 18), shifts)).toEqual({ start: Date.UTC(2026, 2, 10, 12), end: Date.UTC(2026, 2, 11, 0) }); // 02:00 local next day
    expect(shiftAt(Date.UTC(2026, 2, 10, 0), shifts).start).toBe(Date.UTC(2026, 2, 10, 0)); // 08:00 sharp starts the day shift
  });
  it('refuses gaps, overlaps and bad times', () => {
    expect(() => parseShifts('08:00-20:00')).toThrow('SHIFTS: no shift covers 00:00');
    expect(() => parseShifts('08:00-20:00,19:00-08:00')).toThrow('SHIFTS: shifts overlap at 19:00');
    expect(() => parseShifts('8-20')).toThrow('SHIFTS: "8" in "8-20" is not a time like 08:00');
    expect(() => parseShifts('')).toThrow('SHIFTS: no shift given');
  });
});
