import { describe, expect, it } from 'vitest';
import { closeTile, initialWall, place, placeMany, setLayout, slotFor, togglePin, type StreamRef } from './wallState.ts';

const cam = (n: number): StreamRef => ({ kind: 'camera', id: `CAM-${n}` });
const ids = (s: ReturnType<typeof initialWall>) => s.tiles.map((t) => t?.ref.id ?? null);

describe('video wall', () => {
  it('fills free tiles first and opens the wall', () => {
    let s = initialWall(4);
    expect(s.open).toBe(false);
    for (const n of [1, 2, 3]) s = place(s, cam(n), 'pick').state;
    expect(ids(s)).toEqual(['CAM-1', 'CAM-2', 'CAM-3', null]);
    expect(s.open).toBe(true);
  });
  it('replaces the oldest unpinned tile, never a pinned one', () => {
    let s = initialWall(4);
    for (const n of [1, 2, 3, 4]) s = place(s, cam(n), 'pick').state;
    s = togglePin(s, 0); // CAM-1 pinned
    const r = place(s, cam(5), 'pick');
    expect(r.slot).toBe(1);
    expect(ids(r.state)).toEqual(['CAM-1', 'CAM-5', 'CAM-3', 'CAM-4']);
    s = place(r.state, cam(6), 'pick').state;
    expect(ids(s)).toEqual(['CAM-1', 'CAM-5', 'CAM-6', 'CAM-4']);
  });
  it('does nothing but report -1 when every tile is pinned', () => {
    let s = initialWall(1);
    s = place(s, cam(1), 'pick').state;
    s = togglePin(s, 0);
    const r = place(s, cam(2), 'pick');
    expect(r.slot).toBe(-1);
    expect(ids(r.state)).toEqual(['CAM-1']);
  });
  it('shows a stream already on the wall where it is', () => {
    let s = place(initialWall(4), cam(1), 'pick').state;
    const r = place(s, cam(1), 'alarm');
    expect(r.slot).toBe(0);
    expect(ids(r.state)).toEqual(['CAM-1', null, null, null]);
    s = closeTile(r.state, 0);
    expect(ids(s)).toEqual([null, null, null, null]);
  });
  it('brings a batch up without evicting its own streams, growing the layout to fit', () => {
    let s = initialWall(1);
    s = togglePin(place(s, cam(9), 'pick').state, 0);
    s = placeMany(s, [cam(1), cam(2), cam(3)], 'alarm');
    expect(s.layout).toBe(4);
    expect(ids(s)).toEqual(['CAM-9', 'CAM-1', 'CAM-2', 'CAM-3']);
    // A second batch of 3 into a full 4-wall with one pinned: replaces the three unpinned, keeps all of its own.
    s = placeMany(s, [cam(4), cam(5), cam(6)], 'case');
    expect(ids(s)).toEqual(['CAM-9', 'CAM-4', 'CAM-5', 'CAM-6']);
    expect(s.tiles[1]!.reason).toBe('case');
  });
  it('keeps pinned, then newest streams when the layout shrinks; grows with free tiles', () => {
    let s = initialWall(9);
    for (const n of [1, 2, 3, 4, 5, 6]) s = place(s, cam(n), 'pick').state;
    s = togglePin(s, 0);
    const small = setLayout(s, 4);
    expect(ids(small)).toEqual(['CAM-1', 'CAM-4', 'CAM-5', 'CAM-6']);
    expect(small.tiles[0]!.pinned).toBe(true);
    expect(ids(setLayout(small, 9))).toEqual(['CAM-1', 'CAM-4', 'CAM-5', 'CAM-6', null, null, null, null, null]);
  });
  it('slotFor skips tiles to keep', () => {
    let s = initialWall(4);
    for (const n of [1, 2, 3, 4]) s = place(s, cam(n), 'pick').state;
    expect(slotFor(s.tiles)).toBe(0);
    expect(slotFor(s.tiles, new Set([0, 1]))).toBe(2);
  });
});
