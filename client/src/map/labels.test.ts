import { describe, expect, it } from 'vitest';
import { areaCentroid, clipToRect, labelInView, placeLabels } from './labels.ts';

const view = { left: 0, top: 40, right: 100, bottom: 100 };

describe('neighbour labels in view', () => {
  it('a square half off the right edge: its label at the centre of the visible half', () => {
    // 80..120 × 50..90 → visible 80..100 × 50..90, centre (90, 70).
    expect(labelInView([[[80, 50], [120, 50], [120, 90], [80, 90]]], view, 100)).toEqual([90, 70]);
  });

  it('a county whose centre is under the count bar (top 40 px) gets a point below it', () => {
    // 20..60 × 0..60 → visible 20..60 × 40..60, centre (40, 50).
    expect(labelInView([[[20, 0], [60, 0], [60, 60], [20, 60]]], view, 100)).toEqual([40, 50]);
  });

  it('a county off the view, or with a sliver in it, has no label', () => {
    expect(labelInView([[[150, 50], [200, 50], [200, 90], [150, 90]]], view, 100)).toBeNull();
    // 98..140: a 2 × 40 = 80 px² sliver, under the 100 px² asked for.
    expect(labelInView([[[98, 50], [140, 50], [140, 90], [98, 90]]], view, 100)).toBeNull();
  });

  it('the largest visible part of a multipolygon wins', () => {
    expect(labelInView([[[0, 50], [10, 50], [10, 60], [0, 60]], [[50, 50], [70, 50], [70, 70], [50, 70]]], view, 50)).toEqual([60, 60]);
  });

  it('clips a triangle to the rectangle and measures it', () => {
    const part = clipToRect([[50, 60], [150, 60], [50, 100]], view);
    // Cut at x = 100: the trapezoid (50,60) (100,60) (100,80) (50,100), area 50 × (40 + 20) / 2 = 1500.
    expect(areaCentroid(part).area).toBeCloseTo(1500, 6);
  });
});

describe('placeLabels', () => {
  const big = { left: 0, top: 0, right: 400, bottom: 400 };
  it('keeps a label on its anchor when it is clear, moves the next one below a label it would cover (above, 4 px lower than it, still overlaps), drops one with no room in the view', () => {
    // 10 px characters, pad 0: '花亭路' is 30 × 13 around (100, 100).
    const placed = placeLabels([
      { text: '花亭路', at: [100, 100], size: 10 },
      { text: '石化路', at: [105, 104], size: 10 },
      // Wider than the view (2 × 300 px): wherever it goes, its box crosses an edge.
      { text: '菱湖', at: [200, 300], size: 300 },
    ], big, 0);
    expect(placed.map((p) => [p.text, p.centre])).toEqual([['花亭路', [100, 100]], ['石化路', [105, 104 + 13]]]);
    expect(placed[1].box).toEqual({ left: 90, top: 110.5, right: 120, bottom: 123.5 });
  });

  it('no two placed boxes overlap in a crowded core', () => {
    const crowd = Array.from({ length: 12 }, (_, i) => ({ text: `街道${i}`, at: [200 + (i % 4) * 6, 200 + Math.floor(i / 4) * 5] as [number, number], size: 17 }));
    const placed = placeLabels(crowd, big);
    expect(placed.length).toBeGreaterThanOrEqual(2);
    for (const a of placed) for (const b of placed) if (a !== b) expect(a.box.right <= b.box.left || b.box.right <= a.box.left || a.box.bottom <= b.box.top || b.box.bottom <= a.box.top).toBe(true);
  });
});
