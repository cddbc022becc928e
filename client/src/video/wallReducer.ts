// The video wall's actions and the one pure reducer over them (wallState.ts and tour.ts hold the
// rules); VideoWall dispatches, the header and the directory only send actions.
import { startTour, stepTour, stopTour, type TourInterval } from './tour.ts';
import { closeTile, initialWall, place, placeMany, setLayout, togglePin, type Layout, type StreamRef, type TileReason, type WallState } from './wallState.ts';

export { initialWall };

export type WallAction =
  | { type: 'place'; refs: StreamRef[]; reason: TileReason }
  | { type: 'pin' | 'close'; slot: number }
  | { type: 'layout'; layout: Layout }
  | { type: 'open' | 'hide' | 'minimize' | 'restore' | 'full' }
  | { type: 'tourStart'; ids: string[]; intervalS: TourInterval; label: string }
  | { type: 'tourStep' | 'tourStop' };

export function reduceWall(s: WallState, a: WallAction): WallState {
  switch (a.type) {
    case 'place':
      return a.refs.length === 1 ? place(s, a.refs[0], a.reason).state : placeMany(s, a.refs, a.reason);
    case 'pin':
      return togglePin(s, a.slot);
    case 'close':
      return closeTile(s, a.slot);
    case 'layout':
      return setLayout(s, a.layout);
    case 'open':
      return { ...s, open: true, minimized: false };
    case 'hide':
      // A hidden wall plays nothing: its tour stops with it.
      return { ...s, open: false, tour: null };
    case 'minimize':
      return { ...s, minimized: true };
    case 'restore':
      return { ...s, minimized: false };
    case 'full':
      return { ...s, full: !s.full, minimized: false };
    case 'tourStart':
      return startTour(s, a.ids, a.intervalS, a.label);
    case 'tourStep':
      return stepTour(s);
    case 'tourStop':
      return stopTour(s);
  }
}
