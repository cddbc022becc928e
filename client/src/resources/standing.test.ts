import { describe, expect, it } from 'vitest';
import { listStands, type HeldList } from './standing.ts';

const held = (live: boolean, since: number | null, until: number | null, scope = '340803001', revision = 0): HeldList => ({
  scope, live, revision, list: { area: scope, resources: [], since, until },
});

describe('listStands', () => {
  it('holds nothing before the first answer, and nothing of another scope', () => {
    expect(listStands(null, '340803001', null, 0)).toBe(false);
    expect(listStands(held(true, null, null, '340803002'), '340803001', null, 0)).toBe(false);
  });

  it('keeps a live list live, and a replayed list never stands for live', () => {
    expect(listStands(held(true, 1_000, null), '340803001', null, 0)).toBe(true);
    expect(listStands(held(false, 1_000, null), '340803001', null, 0)).toBe(false);
  });

  it('keeps a list for the moments between the import that made it and the next', () => {
    const between = held(false, 1_000, 5_000);
    expect(listStands(between, '340803001', 999, 0)).toBe(false);
    expect(listStands(between, '340803001', 1_000, 0)).toBe(true);
    expect(listStands(between, '340803001', 4_999, 0)).toBe(true);
    expect(listStands(between, '340803001', 5_000, 0)).toBe(false);
    // The dataset's list stands from the start; today's list until the next import.
    expect(listStands(held(false, null, 5_000), '340803001', 0, 0)).toBe(true);
    expect(listStands(held(true, 1_000, null), '340803001', 9_000_000, 0)).toBe(true);
  });

  it('after an import is heard, asks again for today\'s list and for a span left open, but keeps a closed span', () => {
    // Held at revision 0; the screen has since heard one import (revision 1).
    expect(listStands(held(true, 1_000, null), '340803001', null, 1)).toBe(false);
    expect(listStands(held(false, 1_000, null), '340803001', 9_000, 1)).toBe(false);
    expect(listStands(held(false, 1_000, 5_000), '340803001', 2_000, 1)).toBe(true);
    // Asked again at the new revision, it stands once more.
    expect(listStands(held(true, 1_000, null, '340803001', 1), '340803001', null, 1)).toBe(true);
  });
});
