// 轮巡 (camera tour), pure: a set of cameras cycling through the wall's free (unpinned) tiles,
// one page at a time, the next page every interval.
import { showPage, unpinnedSlots, type StreamRef, type WallState } from './wallState.ts';

export const TOUR_INTERVALS_S = [10, 30, 60] as const;
export type TourInterval = (typeof TOUR_INTERVALS_S)[number];

export interface Tour {
  /** Camera ids in the order they are shown. */
  ids: string[];
  intervalS: TourInterval;
  /** Pages shown so far (0: the first page). */
  step: number;
  /** What the tour was started from, for its label: the favourites or a community's name. */
  label: string;
}

/** How many pages `n` cameras fill on `size` tiles (1 when they all fit: nothing cycles). */
export function tourPages(n: number, size: number): number {
  return size <= 0 || n <= size ? 1 : Math.ceil(n / size);
}

/**
 * The cameras on the wall at step `step`: page `step mod pages`, `size` of them from the page's
 * first one. The last page, short of cameras, is filled from the start of the list, so no tile of
 * a running tour stands empty. With `size` 0 (every tile pinned) none.
 */
export function tourPage(ids: readonly string[], size: number, step: number): string[] {
  if (size <= 0 || ids.length === 0) return [];
  if (ids.length <= size) return ids.slice();
  const pages = tourPages(ids.length, size);
  const first = (((step % pages) + pages) % pages) * size;
  return Array.from({ length: size }, (_, k) => ids[(first + k) % ids.length]);
}

const cameraRefs = (ids: readonly string[]): StreamRef[] => ids.map((id) => ({ kind: 'camera', id }));

/** The wall showing the tour's current page on its unpinned tiles. */
function showTour(state: WallState, tour: Tour): WallState {
  return { ...showPage(state, cameraRefs(tourPage(tour.ids, unpinnedSlots(state), tour.step)), 'tour'), tour };
}

/** Starts a tour (replacing a running one) and shows its first page; fewer than 2 cameras do not tour. */
export function startTour(state: WallState, ids: readonly string[], intervalS: TourInterval, label: string): WallState {
  const unique = [...new Set(ids)];
  if (unique.length < 2) return state;
  return showTour(state, { ids: unique, intervalS, step: 0, label });
}

/** The next page, at the tour's interval. */
export function stepTour(state: WallState): WallState {
  return state.tour ? showTour(state, { ...state.tour, step: state.tour.step + 1 }) : state;
}

/** Stops the tour; its cameras stay on the wall until replaced. */
export function stopTour(state: WallState): WallState {
  return state.tour ? { ...state, tour: null } : state;
}
