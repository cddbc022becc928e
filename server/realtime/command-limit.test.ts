import { describe, expect, it } from 'vitest';
import { CommandBucket } from './command-limit.ts';

describe('command rate limit', () => {
  it('lets a burst through, then refuses until tokens come back at the steady rate', () => {
    const b = new CommandBucket(10, 30, 0);
    for (let i = 0; i < 30; i++) expect(b.take(0)).toBe(true);
    expect(b.take(0)).toBe(false);
    expect(b.take(99)).toBe(false); // 0.99 token
    expect(b.take(100)).toBe(true); // one more after 100 ms at 10/s
    expect(b.take(100)).toBe(false);
    // A quiet minute refills only up to the burst.
    for (let i = 0; i < 30; i++) expect(b.take(60_000)).toBe(true);
    expect(b.take(60_000)).toBe(false);
  });
});
