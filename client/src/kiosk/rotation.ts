// Kiosk mode and focus rotation for unattended large screens (pure). `?kiosk=1` hides every control
// a screen nobody touches does not need; `?rotate=60` turns the screen through focus views every
// 60 s: the whole area, one township (the next one each round), the case board, the video wall.

export type FocusView = { kind: 'area' } | { kind: 'township'; code: string } | { kind: 'cases' } | { kind: 'video' };

export interface KioskOptions {
  kiosk: boolean;
  /** Seconds per focus view, or null for no rotation. */
  rotateS: number | null;
}

/** Reads `?kiosk=1` and `?rotate=<seconds>` (10–3600; anything else: no rotation). */
export function kioskOptions(search: string): KioskOptions {
  const q = new URLSearchParams(search);
  const kiosk = q.get('kiosk') === '1' || q.get('kiosk') === 'true';
  const r = Number(q.get('rotate'));
  return { kiosk, rotateS: q.has('rotate') && Number.isInteger(r) && r >= 10 && r <= 3600 ? r : null };
}

const ROUND: FocusView['kind'][] = ['area', 'township', 'cases', 'video'];

/**
 * The view at rotation step `step`: area, township, cases, video, area, the next township, ...
 * With no townships to show (a township or community screen) that view is skipped.
 */
export function viewAt(step: number, townships: readonly string[]): FocusView {
  const kinds = townships.length ? ROUND : ROUND.filter((k) => k !== 'township');
  const kind = kinds[((step % kinds.length) + kinds.length) % kinds.length];
  if (kind === 'township') return { kind, code: townships[Math.floor(step / kinds.length) % townships.length] };
  return { kind } as FocusView;
}
