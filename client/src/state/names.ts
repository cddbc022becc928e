// Names for codes the loop passes around: units (departments, centers), places, classes, grids.
// Built once from the dataset manifest and the grids. Pure.
import { DEPARTMENT_BY_ID, codeOfCenter, isCenterUnit } from '../../../core/org.ts';
import { EVENT_BIG_CLASS_EN, EVENT_CLASS_BY_CODE } from '../../../core/taxonomy.ts';
import type { DatasetManifest } from '../../../core/dataset.ts';
import type { FeatureCollection } from 'geojson';

export interface Names {
  unit(unit: string | null): string;
  place(code: string): string;
  /** "0502 管道破裂" with the big class, e.g. "突发事件 · 0502 管道破裂". */
  eventClass(code: string, withBig?: boolean): string;
  /** An event big class (大类) in the screen's language. */
  bigClass(name: string): string;
  grid(index: number): string;
  /** Centre of a grid (mean of its outer ring), for reports placed by grid. */
  gridCentre(index: number): [number, number] | null;
  en: boolean;
}

export function makeNames(manifest: DatasetManifest, grids: FeatureCollection, en: boolean): Names {
  const places = new Map<string, string>([[manifest.district.code, manifest.district.name]]);
  for (const t of manifest.townships) places.set(t.code, t.name);
  for (const c of manifest.communities) places.set(c.code, c.name);
  const centers = new Map(manifest.centers.map((c) => [c.code, c.name]));
  const bigClass = (name: string) => (en ? (EVENT_BIG_CLASS_EN[name] ?? name) : name);
  return {
    bigClass,
    en,
    unit(unit) {
      if (!unit) return '—';
      const d = DEPARTMENT_BY_ID.get(unit);
      if (d) return en ? d.nameEn : d.name;
      if (isCenterUnit(unit)) {
        const code = codeOfCenter(unit);
        return centers.get(code) ?? `${places.get(code) ?? code}${en ? ' center' : '联动中心'}`;
      }
      return unit;
    },
    place: (code) => (code ? (places.get(code) ?? code) : '—'),
    eventClass(code, withBig = false) {
      const c = EVENT_CLASS_BY_CODE.get(code);
      if (!c) return code;
      return `${withBig ? `${bigClass(c.bigName)} · ` : ''}${code} ${en ? c.nameEn : c.name}`;
    },
    grid(index) {
      const p = index >= 0 ? (grids.features[index]?.properties as { name?: string } | undefined) : undefined;
      return p?.name ?? '—';
    },
    gridCentre(index) {
      const g = grids.features[index]?.geometry;
      const ring = g?.type === 'Polygon' ? g.coordinates[0] : g?.type === 'MultiPolygon' ? g.coordinates[0][0] : null;
      if (!ring?.length) return null;
      let x = 0;
      let y = 0;
      for (const p of ring) {
        x += p[0];
        y += p[1];
      }
      return [x / ring.length, y / ring.length];
    },
  };
}
