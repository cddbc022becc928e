// Duty shifts of grid workers ("08:00-20:00,20:00-08:00", Asia/Shanghai local time, a shift may
// run past midnight): which shift an instant falls in, as UTC milliseconds. Pure.
import { SHANGHAI_OFFSET_MS } from './time.ts';

export interface Shift {
  /** Minutes after local midnight. */
  startMin: number;
  endMin: number;
}

const DAY_MS = 86_400_000;

function minutes(s: string, spec: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new Error(`SHIFTS: "${s}" in "${spec}" is not a time like 08:00`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Parses "HH:MM-HH:MM,..."; the shifts must cover the whole day without overlap. */
export function parseShifts(spec: string): Shift[] {
  const shifts = spec.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const [a, b, extra] = part.split('-');
    if (b === undefined || extra !== undefined) throw new Error(`SHIFTS: "${part}" must look like 08:00-20:00`);
    const shift = { startMin: minutes(a, spec), endMin: minutes(b, spec) };
    if (shift.startMin === shift.endMin) throw new Error(`SHIFTS: "${part}" is empty`);
    return shift;
  });
  if (shifts.length === 0) throw new Error('SHIFTS: no shift given');
  const covered = new Uint8Array(1440);
  for (const s of shifts) {
    for (let m = s.startMin; m !== s.endMin; m = (m + 1) % 1440) {
      if (covered[m]++) throw new Error(`SHIFTS: shifts overlap at ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
    }
  }
  const gap = covered.indexOf(0);
  if (gap >= 0) throw new Error(`SHIFTS: no shift covers ${String(Math.floor(gap / 60)).padStart(2, '0')}:${String(gap % 60).padStart(2, '0')}`);
  return shifts;
}

export const DEFAULT_SHIFTS = '08:00-20:00,20:00-08:00';

/** The shift containing t: its start and end as UTC ms. */
export function shiftAt(t: number, shifts: readonly Shift[]): { start: number; end: number } {
  const local = t + SHANGHAI_OFFSET_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  const minute = Math.floor((local - dayStart) / 60_000);
  for (const s of shifts) {
    const wraps = s.endMin < s.startMin;
    const inside = wraps ? minute >= s.startMin || minute < s.endMin : minute >= s.startMin && minute < s.endMin;
    if (!inside) continue;
    const startDay = wraps && minute < s.endMin ? dayStart - DAY_MS : dayStart;
    const start = startDay + s.startMin * 60_000 - SHANGHAI_OFFSET_MS;
    const end = start + (((s.endMin - s.startMin + 1440) % 1440) || 1440) * 60_000;
    return { start, end };
  }
  throw new Error('shiftAt: shifts do not cover the day');
}
