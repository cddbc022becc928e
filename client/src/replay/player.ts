// Replay player logic, pure: the periods a duty cadre asks for, and where the next frame of
// playback lands. Times are UTC ms; days start at 00:00 Asia/Shanghai.
import { DAY_MS, HOUR_MS, shanghaiDayStart } from '../../../core/time.ts';
export const SPEEDS = [1, 10, 60, 600, 3600] as const;
export type Speed = (typeof SPEEDS)[number];
export const PERIODS = ['hour', 'shift', 'day', 'week'] as const;
export type Period = (typeof PERIODS)[number];

const HOUR = HOUR_MS;
const DAY = DAY_MS;

export interface ReplayWindow {
  from: number;
  to: number;
}

/**
 * The window of a period that ends `now`, never before the log begins: the last hour, the
 * current shift (from its start; the last 12 h when the shift is unknown), today since 00:00
 * Asia/Shanghai, the last 7 days.
 */
export function periodWindow(period: Period, now: number, logFirst: number, shiftStart: number | null): ReplayWindow {
  const from =
    period === 'hour' ? now - HOUR
    : period === 'shift' ? (shiftStart ?? now - 12 * HOUR)
    : period === 'day' ? shanghaiDayStart(now)
    : now - 7 * DAY;
  return { from: Math.min(Math.max(from, logFirst), now), to: now };
}

/** Playback: `speed` times the wall time elapsed since the last frame, stopping at the window's end. */
export function nextFrame(at: number, speed: number, elapsedMs: number, w: ReplayWindow): { at: number; ended: boolean } {
  const next = Math.round(at + speed * Math.max(0, elapsedMs));
  return next >= w.to ? { at: w.to, ended: true } : { at: Math.max(next, w.from), ended: false };
}

/** Where a scrubber position in [0, 1] lands, to the second; the ends are the window's own (its end, the moment replay opened, is seldom a whole second, and rounding would drop the last moments before it). */
export function atFraction(w: ReplayWindow, fraction: number): number {
  const f = Math.min(1, Math.max(0, fraction));
  if (f === 1) return w.to;
  if (f === 0) return w.from;
  return Math.min(w.to, Math.max(w.from, Math.round((w.from + f * (w.to - w.from)) / 1000) * 1000));
}
