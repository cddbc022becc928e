import { describe, expect, it } from 'vitest';
import { atFraction, nextFrame, periodWindow } from './player.ts';

// Tuesday 2026-11-24 10:30 Asia/Shanghai.
const NOW = Date.UTC(2026, 10, 24, 2, 30);
const H = 3_600_000;

describe('replay periods', () => {
  it('ends every period now and starts it at the last hour, the shift, 00:00 Shanghai or a week back', () => {
    const first = NOW - 30 * 24 * H;
    expect(periodWindow('hour', NOW, first, null)).toEqual({ from: NOW - H, to: NOW });
    expect(periodWindow('shift', NOW, first, NOW - 2.5 * H)).toEqual({ from: NOW - 2.5 * H, to: NOW });
    expect(periodWindow('shift', NOW, first, null)).toEqual({ from: NOW - 12 * H, to: NOW });
    // 00:00 on 2026-11-24 in Shanghai is 16:00 UTC the day before.
    expect(periodWindow('day', NOW, first, null)).toEqual({ from: Date.UTC(2026, 10, 23, 16, 0), to: NOW });
    expect(periodWindow('week', NOW, first, null)).toEqual({ from: NOW - 7 * 24 * H, to: NOW });
  });

  it('never starts before the log does', () => {
    expect(periodWindow('week', NOW, NOW - 2 * H, null)).toEqual({ from: NOW - 2 * H, to: NOW });
    expect(periodWindow('hour', NOW, NOW + 5, null)).toEqual({ from: NOW, to: NOW });
  });
});

describe('replay playback', () => {
  const w = { from: NOW - H, to: NOW };
  it('advances speed × elapsed wall time and stops at the end of the window', () => {
    expect(nextFrame(w.from, 60, 500, w)).toEqual({ at: w.from + 30_000, ended: false });
    expect(nextFrame(w.from, 1, 1000, w)).toEqual({ at: w.from + 1000, ended: false });
    expect(nextFrame(NOW - 10_000, 600, 1000, w)).toEqual({ at: NOW, ended: true });
    expect(nextFrame(w.from, 60, -5, w)).toEqual({ at: w.from, ended: false });
  });

  it('maps the scrubber to whole seconds inside the window', () => {
    expect(atFraction(w, 0)).toBe(w.from);
    expect(atFraction(w, 1)).toBe(w.to);
    expect(atFraction(w, 0.5)).toBe(NOW - H / 2);
    expect(atFraction(w, 2)).toBe(w.to);
    expect(atFraction({ from: 1500, to: 10_000 }, 0.0001)).toBe(2000);
  });

  it('lands exactly on the window\'s ends, which need not be whole seconds', () => {
    const odd = { from: NOW - H + 250, to: NOW + 400 };
    expect(atFraction(odd, 1)).toBe(NOW + 400);
    expect(atFraction(odd, 0)).toBe(NOW - H + 250);
    expect(atFraction(odd, 0.5)).toBe(NOW - H / 2);
  });
});
