import { describe, expect, it } from 'vitest';
import { startTour, stepTour, stopTour, tourPage, tourPages } from './tour.ts';
import { initialWall, place, togglePin } from './wallState.ts';

const ids = ['A', 'B', 'C', 'D', 'E'];
const shown = (s: ReturnType<typeof initialWall>) => s.tiles.map((t) => t?.ref.id ?? null);

describe('轮巡 tour', () => {
  it('pages through the cameras, the short last page filled from the start, then round again', () => {
    expect(tourPages(5, 2)).toBe(3);
    expect(tourPage(ids, 2, 0)).toEqual(['A', 'B']);
    expect(tourPage(ids, 2, 1)).toEqual(['C', 'D']);
    expect(tourPage(ids, 2, 2)).toEqual(['E', 'A']);
    expect(tourPage(ids, 2, 3)).toEqual(['A', 'B']);
    expect(tourPage(ids, 1, 4)).toEqual(['E']);
    expect(tourPage(ids, 1, 5)).toEqual(['A']);
  });

  it('shows everything at once when the cameras fit, nothing when no tile is free', () => {
    expect(tourPages(3, 4)).toBe(1);
    expect(tourPage(['A', 'B', 'C'], 4, 7)).toEqual(['A', 'B', 'C']);
    expect(tourPage(ids, 0, 0)).toEqual([]);
    expect(tourPage([], 4, 0)).toEqual([]);
  });

  it('runs on the unpinned tiles of the wall; pinned tiles stay', () => {
    let s = place(initialWall(4), { kind: 'camera', id: 'P' }, 'pick').state;
    s = togglePin(s, 0);
    s = startTour(s, ids, 10, '收藏');
    expect(shown(s)).toEqual(['P', 'A', 'B', 'C']);
    expect(s.tiles[1]!.reason).toBe('tour');
    s = stepTour(s);
    expect(shown(s)).toEqual(['P', 'D', 'E', 'A']);
    expect(s.tour!.step).toBe(1);
    s = stepTour(s);
    expect(shown(s)).toEqual(['P', 'A', 'B', 'C']);
    expect(s.tiles[0]!.pinned).toBe(true);
    s = stopTour(s);
    expect(s.tour).toBeNull();
    expect(shown(stepTour(s))).toEqual(['P', 'A', 'B', 'C']);
  });

  it('a camera pinned on the wall is not shown twice; fewer than two cameras make no tour', () => {
    let s = place(initialWall(4), { kind: 'camera', id: 'B' }, 'pick').state;
    s = togglePin(s, 0);
    expect(shown(startTour(s, ['A', 'B'], 30, 'x'))).toEqual(['B', 'A', null, null]);
    expect(startTour(s, ['A', 'A'], 30, 'x')).toBe(s);
  });
});
