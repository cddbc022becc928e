import { describe, expect, it } from 'vitest';
import { kioskOptions, viewAt } from './rotation.ts';

describe('kiosk rotation', () => {
  it('reads kiosk and rotation from the URL, refusing silly periods', () => {
    expect(kioskOptions('?kiosk=1&rotate=60')).toEqual({ kiosk: true, rotateS: 60 });
    expect(kioskOptions('?scope=340803001')).toEqual({ kiosk: false, rotateS: null });
    expect(kioskOptions('?rotate=2').rotateS).toBeNull();
    expect(kioskOptions('?rotate=abc').rotateS).toBeNull();
  });
  it('turns through area, a township, cases and video, a different township each round', () => {
    const towns = ['A', 'B', 'C'];
    expect([0, 1, 2, 3, 4, 5, 9, 13].map((s) => viewAt(s, towns))).toEqual([
      { kind: 'area' }, { kind: 'township', code: 'A' }, { kind: 'cases' }, { kind: 'video' }, { kind: 'area' }, { kind: 'township', code: 'B' }, { kind: 'township', code: 'C' }, { kind: 'township', code: 'A' },
    ]);
    expect([0, 1, 2, 3].map((s) => viewAt(s, []).kind)).toEqual(['area', 'cases', 'video', 'area']);
  });
});
