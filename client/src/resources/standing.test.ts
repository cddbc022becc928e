import { describe, expect, it } from 'vitest';
import { listStands, type HeldList } from './standing.ts';

const held = (live: boolean, since: number | null, until: number | null, scope = '340803001'): HeldList => ({
  scope, live, list: { area: scope, resources: [], since, until },
});

describe('listStands', () => {
  it('holds nothing before the first answer, and nothing of another scope', () => {
    expect(listStands(null, '340803001', null)).toBe(false);
    expect(listStands(held(true, null, null, '340803002'), '340803001', null)).toBe(false);
  });

  it('keeps a live list live, and a replayed list never stands for live', () => {
    expect(listStands(held(true, 1_000, null), '340803001', null)).toBe(true);
    expect(listStands(held(false, 1_000, null), '340803001', null)).toBe(false);
  });

  it('keeps a list for the moments between the import that made it and the next', () => {
    const between = held(false, 1_000, 5_000);
    expect(listStands(between, '340803001', 999)).toBe(false);
    expect(listStands(between, '340803001', 1_000)).toBe(true);
    expect(listStands(between, '340803001', 4_999)).toBe(true);
    expect(listStands(between, '340803001', 5_000)).toBe(false);
    // The dataset's list stands from the start; today's list until the next import.
    expect(listStands(held(false, null, 5_000), '340803001', 0)).toBe(true);
    expect(listStands(held(true, 1_000, null), '340803001', 9_000_000)).toBe(true);
  });
});
