// The dashboard's own UI state that no single panel owns: which case is open, what was picked on
// the map, the report form and its location marker, the analysis and admin sheets, the worker
// track shown, and which map layers are on (the map draws them, the layer panel toggles them).
// One pure reducer instead of a dozen useStates in Dashboard.tsx.
import type { LayerKey, PickRef, Visibility } from '../map/layers.ts';

export interface UiState {
  /** The case open in the detail drawer. */
  caseId: string | null;
  /** A device (or other feature) clicked on the map: its detail card. */
  picked: PickRef | null;
  reporting: boolean;
  /** The report form waits for a click on the map to place its marker. */
  pickingLocation: boolean;
  marker: [number, number] | null;
  sheet: 'analysis' | 'admin' | null;
  /** A grid worker's track drawn on the map (from the device card). */
  workerTrack: [number, number][] | null;
  vis: Visibility;
  showGrids: boolean;
  showCoverage: boolean;
  showHotspots: boolean;
}

export type UiAction =
  | { type: 'openCase'; id: string | null }
  | { type: 'pick'; ref: PickRef | null }
  | { type: 'report'; open: boolean }
  | { type: 'reported' }
  | { type: 'pickLocation'; on: boolean }
  | { type: 'marker'; at: [number, number] | null }
  | { type: 'placeMarker'; at: [number, number] }
  | { type: 'sheet'; sheet: UiState['sheet'] }
  | { type: 'track'; path: [number, number][] | null }
  | { type: 'toggleLayer'; key: LayerKey }
  | { type: 'toggle'; what: 'showGrids' | 'showCoverage' | 'showHotspots' }
  /** Another identity sees other cases: close what belonged to the old one. */
  | { type: 'identityChanged' }
  /** Nobody is at an unattended screen to close a card: entering kiosk mode clears what was open. */
  | { type: 'kiosk' };

export function initUi(vis: Visibility): UiState {
  return { caseId: null, picked: null, reporting: false, pickingLocation: false, marker: null, sheet: null, workerTrack: null, vis, showGrids: true, showCoverage: false, showHotspots: false };
}

export function uiReducer(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'openCase':
      return { ...s, caseId: a.id, picked: a.id ? null : s.picked };
    case 'pick':
      // A case clicked on the map opens in the drawer; anything else gets its card.
      return a.ref?.kind === 'case' && a.ref.caseId ? { ...s, caseId: a.ref.caseId, picked: null } : { ...s, picked: a.ref };
    case 'report':
      return { ...s, reporting: a.open };
    case 'reported':
      return { ...s, reporting: false, pickingLocation: false, marker: null };
    case 'pickLocation':
      return { ...s, pickingLocation: a.on };
    case 'marker':
      return { ...s, marker: a.at };
    case 'placeMarker':
      return { ...s, marker: a.at, pickingLocation: false };
    case 'sheet':
      return { ...s, sheet: a.sheet };
    case 'track':
      return { ...s, workerTrack: a.path };
    case 'toggleLayer':
      return { ...s, vis: { ...s.vis, [a.key]: !s.vis[a.key] } };
    case 'toggle':
      return { ...s, [a.what]: !s[a.what] };
    case 'identityChanged':
      return { ...s, caseId: null, reporting: false };
    case 'kiosk':
      return { ...s, picked: null, caseId: null };
  }
}
