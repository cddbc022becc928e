// Where a broadcast goes, said in words for its preview and for the approval list: the unit's name
// for a scope, the vertex count of a drawn area, the radius and its centre (a case or a map point).
import type { Selection } from '../../../core/broadcast.ts';
import { openRing } from '../../../core/broadcast.ts';

/** An i18n key under `bc.` and its values. */
export type WhereText = { key: 'whereScope' | 'whereArea' | 'whereRadius'; values: Record<string, string | number> };

export function whereOf(s: Selection, nameOf: (code: string) => string, centerText: { case: (id: string) => string; point: string }): WhereText {
  if (s.mode === 'scope') return { key: 'whereScope', values: { name: nameOf(s.code) } };
  if (s.mode === 'area') return { key: 'whereArea', values: { n: openRing(s.ring as Array<[number, number]>).length } };
  const r = s.radiusM >= 1000 ? `${(s.radiusM / 1000).toFixed(1)} km` : `${Math.round(s.radiusM)} m`;
  return { key: 'whereRadius', values: { r, center: s.caseId ? centerText.case(s.caseId) : centerText.point } };
}
