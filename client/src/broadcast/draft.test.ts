import { describe, expect, it } from 'vitest';
import { isDoubleClick } from './draft.ts';

describe('isDoubleClick', () => {
  const first = { t: 1000, x: 500, y: 300 };
  it('two clicks on the same spot within 350 ms are a double-click', () => {
    expect(isDoubleClick(first, { t: 1200, x: 500, y: 300 })).toBe(true);
    expect(isDoubleClick(first, { t: 1349, x: 505, y: 305 })).toBe(true);
  });
  it('a click after 350 ms, or another spot, or the first click, is not', () => {
    expect(isDoubleClick(first, { t: 1350, x: 500, y: 300 })).toBe(false);
    expect(isDoubleClick(first, { t: 1100, x: 520, y: 300 })).toBe(false);
    expect(isDoubleClick(null, first)).toBe(false);
  });
});
