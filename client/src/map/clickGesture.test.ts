import { describe, expect, it } from 'vitest';
import { ClickGesture, clickTarget } from './clickGesture.ts';

describe('ClickGesture', () => {
  it('gives a double-click that picked a place wholly to the picker, even once the picker is done', () => {
    const g = new ClickGesture();
    expect(g.route(1, true)).toBe('picker');
    // The picker closed after the first click; the second click and the dblclick land on a camera.
    expect(g.route(2, false)).toBe('swallow');
    expect(g.route(2, false)).toBe('swallow');
  });

  it('lets the next lone click after a pick reach the map features', () => {
    const g = new ClickGesture();
    g.route(1, true);
    expect(g.route(1, false)).toBe('feature');
  });

  it('leaves double-clicks on features alone when nothing is picked', () => {
    const g = new ClickGesture();
    expect(g.route(1, false)).toBe('feature');
    expect(g.route(2, false)).toBe('feature');
  });

  it('keeps giving every click to a picker that still waits (a broadcast area takes many)', () => {
    const g = new ClickGesture();
    expect(g.route(1, true)).toBe('picker');
    expect(g.route(2, true)).toBe('picker');
    expect(g.route(1, true)).toBe('picker');
  });
});

describe('clickTarget', () => {
  const shelter = { kind: 'resource', id: 'SH-001' };
  const camera = { kind: 'camera', id: 'CAM-1' };

  it('opens what the tooltip named when the click lands where it was named', () => {
    expect(clickTarget(null, { ref: shelter, x: 100, y: 100 }, { x: 100, y: 100 }, 4)).toBe(shelter);
    expect(clickTarget(camera, { ref: shelter, x: 100, y: 100 }, { x: 103, y: 102 }, 4)).toBe(shelter);
  });

  it("takes the press's pick when the click is elsewhere or nothing was named", () => {
    expect(clickTarget(camera, { ref: shelter, x: 100, y: 100 }, { x: 110, y: 100 }, 4)).toBe(camera);
    expect(clickTarget(camera, null, { x: 100, y: 100 }, 4)).toBe(camera);
    expect(clickTarget(null, null, { x: 100, y: 100 }, 4)).toBeNull();
  });
});
