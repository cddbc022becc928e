import { describe, expect, it } from 'vitest';
import { toggleFavourite } from './favourites.ts';
import { initialWall, reduceWall } from './wallReducer.ts';

describe('video wall actions', () => {
  it('full screen toggles (and un-minimises); 25 tiles is a layout', () => {
    let s = reduceWall(initialWall(4), { type: 'minimize' });
    s = reduceWall(s, { type: 'full' });
    expect([s.full, s.minimized]).toEqual([true, false]);
    s = reduceWall(s, { type: 'layout', layout: 25 });
    expect(s.tiles.length).toBe(25);
    expect(reduceWall(s, { type: 'full' }).full).toBe(false);
  });

  it('a tour steps on its own action; hiding the wall stops it', () => {
    let s = reduceWall(initialWall(1), { type: 'tourStart', ids: ['A', 'B'], intervalS: 10, label: 'x' });
    expect(s.tiles[0]!.ref.id).toBe('A');
    s = reduceWall(s, { type: 'tourStep' });
    expect(s.tiles[0]!.ref.id).toBe('B');
    s = reduceWall(s, { type: 'hide' });
    expect([s.open, s.tour]).toEqual([false, null]);
  });

  it('a directory click places the camera like a map click, marked as from the directory', () => {
    const s = reduceWall(initialWall(4), { type: 'place', refs: [{ kind: 'camera', id: 'CAM-00042' }], reason: 'directory' });
    expect(s.tiles.map((t) => t?.ref.id ?? null)).toEqual(['CAM-00042', null, null, null]);
    expect(s.tiles[0]!.reason).toBe('directory');
  });

  it('a star adds a favourite at the end, a second one takes it out', () => {
    expect(toggleFavourite(['CAM-1'], 'CAM-2')).toEqual(['CAM-1', 'CAM-2']);
    expect(toggleFavourite(['CAM-1', 'CAM-2'], 'CAM-1')).toEqual(['CAM-2']);
  });
});
