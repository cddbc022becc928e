import { describe, expect, it } from 'vitest';
import { fmtCountdown, fmtDate, fmtDateTime, fmtDuration } from './format.ts';

describe('format', () => {
  it('durations in Chinese and English', () => {
    expect(fmtDuration((2 * 60 + 15) * 60_000 + 59_000, false)).toBe('2小时15分');
    expect(fmtDuration(35 * 60_000, true)).toBe('35 min');
    expect(fmtDuration(2 * 3600_000, true)).toBe('2 h');
    expect(fmtDuration(26 * 3600_000 + 5 * 60_000, false)).toBe('1天2小时');
    expect(fmtDuration(10_000, false)).toBe('<1分');
  });
  it('countdowns say which side of the deadline', () => {
    expect(fmtCountdown(135 * 60_000, false, false)).toBe('剩余 2小时15分');
    expect(fmtCountdown(35 * 60_000, true, false)).toBe('超期 35分');
    expect(fmtCountdown(35 * 60_000, true, true)).toBe('35 min overdue');
  });
  it('times are Asia/Shanghai', () => {
    expect(fmtDateTime(Date.UTC(2026, 0, 5, 16, 30))).toContain('00:30');
  });
  it('dates in the screen\'s language, on the center\'s calendar', () => {
    // 2026-12-06 16:30 UTC is Monday 7 December at 00:30 in Anqing.
    const t = Date.UTC(2026, 11, 6, 16, 30);
    expect(fmtDate(t)).toBe('2026/12/07周一');
    expect(fmtDate(t, true)).toBe('Mon, Dec 7, 2026');
  });
});
