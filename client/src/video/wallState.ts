// The video wall's state and its rules, pure: which tile a new stream goes to (a free one, else
// the one showing the oldest unpinned stream; a pinned tile is never replaced), pinning, closing,
// changing the layout (1, 4, 9, 16, 25 tiles), full-screen, and showing a tour's page.
import type { VideoKind } from '../../../core/video.ts';
import type { Tour } from './tour.ts';

export const LAYOUTS = [1, 4, 9, 16, 25] as const;
export type Layout = (typeof LAYOUTS)[number];

export interface StreamRef {
  kind: VideoKind;
  id: string;
}

/**
 * Why a stream is on the wall: clicked on the map, raised by an alarm or urgent case, asked for by a
 * panel, chosen in the camera directory, shown by a tour.
 */
export type TileReason = 'pick' | 'alarm' | 'case' | 'api' | 'directory' | 'tour';

export interface Tile {
  ref: StreamRef;
  pinned: boolean;
  /** Order in which tiles were filled (not a clock): the oldest unpinned one is replaced first. */
  openedAt: number;
  reason: TileReason;
}

export interface WallState {
  layout: Layout;
  /** One slot per visible tile (length = layout); null is a free tile. */
  tiles: (Tile | null)[];
  open: boolean;
  minimized: boolean;
  /** The wall fills the map area instead of floating over its corner. */
  full: boolean;
  /** A 轮巡 running on the wall's unpinned tiles, or null. */
  tour: Tour | null;
  /** Bumped on every placement, giving openedAt. */
  counter: number;
}

export const sameRef = (a: StreamRef, b: StreamRef) => a.kind === b.kind && a.id === b.id;

export function initialWall(layout: Layout = 4): WallState {
  return { layout, tiles: new Array(layout).fill(null), open: false, minimized: false, full: false, tour: null, counter: 0 };
}

/**
 * The slot a new stream would take: the first free one, else the oldest unpinned one not in
 * `keep`; -1 if there is none.
 */
export function slotFor(tiles: readonly (Tile | null)[], keep: ReadonlySet<number> = new Set()): number {
  const free = tiles.indexOf(null);
  if (free >= 0) return free;
  let best = -1;
  for (let i = 0; i < tiles.length; i++) {
    const t = tiles[i]!;
    if (!t.pinned && !keep.has(i) && (best < 0 || t.openedAt < tiles[best]!.openedAt)) best = i;
  }
  return best;
}

export interface Placed {
  state: WallState;
  /** Slot now showing the stream, or -1 when every tile is pinned. */
  slot: number;
}

/** Shows a stream (opening the wall): where it already is, else in slotFor(tiles, keep). */
export function place(state: WallState, ref: StreamRef, reason: TileReason, keep: ReadonlySet<number> = new Set()): Placed {
  const shown = state.tiles.findIndex((t) => t !== null && sameRef(t.ref, ref));
  const opened = { ...state, open: true, minimized: false };
  if (shown >= 0) return { state: opened, slot: shown };
  const slot = slotFor(state.tiles, keep);
  if (slot < 0) return { state: opened, slot };
  const tiles = state.tiles.slice();
  tiles[slot] = { ref, pinned: false, openedAt: state.counter + 1, reason };
  return { state: { ...opened, tiles, counter: state.counter + 1 }, slot };
}

/**
 * Brings several streams up at once (an alarm's nearest cameras) without one replacing another
 * of the same batch; grows the layout to fit them first (up to 25).
 */
export function placeMany(state: WallState, refs: readonly StreamRef[], reason: TileReason): WallState {
  const fit = LAYOUTS.find((n) => n >= refs.length) ?? 25;
  let s = fit > state.layout ? setLayout(state, fit) : state;
  const keep = new Set<number>();
  for (const ref of refs) {
    const r = place(s, ref, reason, keep);
    s = r.state;
    if (r.slot < 0) break;
    keep.add(r.slot);
  }
  return s;
}

export function togglePin(state: WallState, slot: number): WallState {
  const t = state.tiles[slot];
  if (!t) return state;
  const tiles = state.tiles.slice();
  tiles[slot] = { ...t, pinned: !t.pinned };
  return { ...state, tiles };
}

export function closeTile(state: WallState, slot: number): WallState {
  if (!state.tiles[slot]) return state;
  const tiles = state.tiles.slice();
  tiles[slot] = null;
  return { ...state, tiles };
}

/** Changes the number of tiles; when shrinking, pinned streams are kept first, then the newest. */
export function setLayout(state: WallState, layout: Layout): WallState {
  if (layout === state.layout) return state;
  if (layout > state.layout) return { ...state, layout, tiles: [...state.tiles, ...new Array(layout - state.layout).fill(null)] };
  const keep = state.tiles
    .filter((t): t is Tile => t !== null)
    .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.openedAt - a.openedAt)
    .slice(0, layout)
    .sort((a, b) => a.openedAt - b.openedAt);
  return { ...state, layout, tiles: [...keep, ...new Array(layout - keep.length).fill(null)] };
}

/** How many tiles are not pinned: the page size of a tour. */
export function unpinnedSlots(state: WallState): number {
  return state.tiles.filter((t) => !t?.pinned).length;
}

/**
 * Shows one page of streams on the unpinned tiles, in slot order (pinned tiles stay; a stream a
 * pinned tile already shows is not shown twice; tiles left over are freed). A tile that keeps its
 * stream keeps its player.
 */
export function showPage(state: WallState, refs: readonly StreamRef[], reason: TileReason): WallState {
  const pinned = state.tiles.filter((t): t is Tile => !!t?.pinned).map((t) => t.ref);
  const todo = refs.filter((r) => !pinned.some((p) => sameRef(p, r)));
  let counter = state.counter;
  const tiles = state.tiles.map((t) => {
    if (t?.pinned) return t;
    const ref = todo.shift();
    if (!ref) return null;
    if (t && sameRef(t.ref, ref)) return t;
    return { ref, pinned: false, openedAt: ++counter, reason };
  });
  return { ...state, tiles, counter, open: true, minimized: false };
}
