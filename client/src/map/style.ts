// The basemap as a MapLibre style built in code: no tiles, no glyphs, no sprites, nothing remote.
// Names are drawn by deck.gl's TextLayer (font atlas from local system fonts).
import type { StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';

export const MAP_COLORS = {
  background: '#050d1c',
  /** Neighbouring counties: a shade above the background, well below the district's land. */
  surroundings: '#0b182b',
  surroundingsEdge: 'rgba(130, 170, 220, 0.34)',
  land: '#0a1930',
  water: '#0d3a5c',
  waterEdge: '#1f6f9e',
  grid: 'rgba(90, 160, 220, 0.10)',
  community: 'rgba(110, 180, 240, 0.28)',
  township: 'rgba(120, 200, 255, 0.65)',
  district: '#4fd2ff',
};

/** `scope`: on a township or community screen its boundary is drawn bright so the area reads at a glance. */
export function buildStyle(data: { boundaries: FeatureCollection; grids: FeatureCollection; water: FeatureCollection; surroundings: FeatureCollection }, px = 1, showGrids = true, scope: string | null = null): StyleSpecification {
  const level = (l: string) => ['==', ['get', 'level'], l] as unknown as ['==', string, string];
  return {
    version: 8,
    name: 'linkage-offline',
    sources: {
      boundaries: { type: 'geojson', data: data.boundaries },
      grids: { type: 'geojson', data: data.grids },
      water: { type: 'geojson', data: data.water },
      surroundings: { type: 'geojson', data: data.surroundings },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': MAP_COLORS.background } },
      { id: 'surroundings-fill', type: 'fill', source: 'surroundings', paint: { 'fill-color': MAP_COLORS.surroundings, 'fill-opacity': 1 } },
      { id: 'surroundings-line', type: 'line', source: 'surroundings', paint: { 'line-color': MAP_COLORS.surroundingsEdge, 'line-width': 1 * px, 'line-dasharray': [4, 3] } },
      { id: 'district-fill', type: 'fill', source: 'boundaries', filter: level('district'), paint: { 'fill-color': MAP_COLORS.land, 'fill-opacity': 1 } },
      { id: 'township-fill', type: 'fill', source: 'boundaries', filter: level('township'), paint: { 'fill-color': MAP_COLORS.land, 'fill-opacity': 0.6 } },
      { id: 'water-fill', type: 'fill', source: 'water', paint: { 'fill-color': MAP_COLORS.water, 'fill-opacity': 0.95 } },
      { id: 'water-edge', type: 'line', source: 'water', paint: { 'line-color': MAP_COLORS.waterEdge, 'line-width': 1 * px, 'line-opacity': 0.7 } },
      { id: 'grid-line', type: 'line', source: 'grids', layout: { visibility: showGrids ? 'visible' : 'none' }, paint: { 'line-color': MAP_COLORS.grid, 'line-width': 0.6 * px } },
      { id: 'community-line', type: 'line', source: 'boundaries', filter: level('community'), paint: { 'line-color': MAP_COLORS.community, 'line-width': 0.8 * px, 'line-dasharray': [3, 2] } },
      { id: 'township-line', type: 'line', source: 'boundaries', filter: level('township'), paint: { 'line-color': MAP_COLORS.township, 'line-width': 1.4 * px } },
      { id: 'district-glow', type: 'line', source: 'boundaries', filter: level('district'), paint: { 'line-color': MAP_COLORS.district, 'line-width': 10 * px, 'line-blur': 8 * px, 'line-opacity': 0.45 } },
      { id: 'district-line', type: 'line', source: 'boundaries', filter: level('district'), paint: { 'line-color': MAP_COLORS.district, 'line-width': 2.2 * px } },
      ...(scope
        ? [
            { id: 'scope-fill', type: 'fill' as const, source: 'boundaries', filter: ['==', ['get', 'code'], scope] as unknown as ['==', string, string], paint: { 'fill-color': MAP_COLORS.district, 'fill-opacity': 0.06 } },
            { id: 'scope-glow', type: 'line' as const, source: 'boundaries', filter: ['==', ['get', 'code'], scope] as unknown as ['==', string, string], paint: { 'line-color': MAP_COLORS.district, 'line-width': 9 * px, 'line-blur': 7 * px, 'line-opacity': 0.5 } },
            { id: 'scope-line', type: 'line' as const, source: 'boundaries', filter: ['==', ['get', 'code'], scope] as unknown as ['==', string, string], paint: { 'line-color': '#9fe8ff', 'line-width': 2.4 * px } },
          ]
        : []),
    ],
  };
}
