import { describe, expect, it } from 'vitest';
import type { Visibility } from '../map/layers.ts';
import { initUi, uiReducer, type UiAction, type UiState } from './ui.ts';

const vis = { component: true, camera: true, lookout: true, drone: true, broadcast: true, worker: true, cases: true, labels: true, resources: false } as Visibility;
const run = (...actions: UiAction[]): UiState => actions.reduce(uiReducer, initUi(vis));

describe('dashboard UI state', () => {
  it('a case opened closes the device card; a case picked on the map opens in the drawer', () => {
    const camera = { kind: 'camera' as const, index: 3 };
    expect(run({ type: 'pick', ref: camera })).toMatchObject({ picked: camera, caseId: null });
    expect(run({ type: 'pick', ref: camera }, { type: 'openCase', id: 'C1' })).toMatchObject({ picked: null, caseId: 'C1' });
    expect(run({ type: 'pick', ref: camera }, { type: 'openCase', id: null })).toMatchObject({ picked: camera, caseId: null });
    expect(run({ type: 'pick', ref: { kind: 'case', index: 0, caseId: 'C2' } })).toMatchObject({ picked: null, caseId: 'C2' });
  });

  it('the report form: a marker placed on the map ends picking; closing it forgets the marker', () => {
    const s = run({ type: 'report', open: true }, { type: 'pickLocation', on: true }, { type: 'placeMarker', at: [117, 30.5] });
    expect(s).toMatchObject({ reporting: true, pickingLocation: false, marker: [117, 30.5] });
    expect(uiReducer(s, { type: 'reported' })).toMatchObject({ reporting: false, pickingLocation: false, marker: null });
  });

  it('another identity closes the case and the report form; kiosk mode closes the case and the card', () => {
    const open = run({ type: 'pick', ref: { kind: 'camera', index: 1 } }, { type: 'openCase', id: 'C1' }, { type: 'report', open: true }, { type: 'pick', ref: { kind: 'worker', index: 2 } });
    expect(uiReducer(open, { type: 'identityChanged' })).toMatchObject({ caseId: null, reporting: false, picked: { kind: 'worker' } });
    expect(uiReducer(open, { type: 'kiosk' })).toMatchObject({ caseId: null, picked: null, reporting: true });
  });

  it('toggles layers and overlays', () => {
    const s = run({ type: 'toggleLayer', key: 'camera' }, { type: 'toggle', what: 'showGrids' }, { type: 'toggle', what: 'showHotspots' });
    expect(s.vis.camera).toBe(false);
    expect(s.vis.drone).toBe(true);
    expect(s).toMatchObject({ showGrids: false, showHotspots: true, showCoverage: false });
  });
});
