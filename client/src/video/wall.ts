// The video wall's small public API for other panels (device detail, drones, alarms):
// `openVideo('drone', 'UAV-1')` brings a stream up on the wall. The wall listens; callers need
// no reference to it.
import type { VideoKind } from '../../../core/video.ts';
import type { StreamRef, TileReason } from './wallState.ts';

export interface VideoRequest {
  refs: StreamRef[];
  reason: TileReason;
  /** Hide the wall (its tiles stay, to come back when it is shown again). */
  hide?: boolean;
}

const listeners = new Set<(r: VideoRequest) => void>();

/** Plays one stream in the next free (or oldest unpinned) tile, opening the wall. */
export function openVideo(kind: VideoKind, id: string, reason: TileReason = 'api'): void {
  openVideos([{ kind, id }], reason);
}

/** Brings several streams up together (none of them replaces another). */
export function openVideos(refs: StreamRef[], reason: TileReason = 'api'): void {
  if (refs.length) for (const l of listeners) l({ refs, reason });
}

/** Hides the wall (a kiosk rotation leaving its video view). */
export function hideVideoWall(): void {
  for (const l of listeners) l({ refs: [], reason: 'api', hide: true });
}

/** For the wall: receives every request; returns the unsubscribe function. */
export function onVideoRequest(fn: (r: VideoRequest) => void): () => void {
  listeners.add(fn);
  return () => void listeners.delete(fn);
}
