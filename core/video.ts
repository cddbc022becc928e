// Video fusion rules, pure: which cameras come up on the wall for a point (an alarm, an urgent
// case). (A lookout's view cone on the map is client/src/map/geometry.ts viewCone.)
import type { LonLat } from './dataset.ts';
import { STATUS_CODE } from './domain.ts';
import { distanceM } from './geo.ts';

export const VIDEO_KINDS = ['camera', 'lookout', 'drone'] as const;
export type VideoKind = (typeof VIDEO_KINDS)[number];

export function isVideoKind(k: string): k is VideoKind {
  return (VIDEO_KINDS as readonly string[]).includes(k);
}

/** A camera can stream while it is online, or online and raising an alarm. */
export function canStream(status: number): boolean {
  return status === STATUS_CODE.online || status === STATUS_CODE.alarm;
}

export interface NearestOptions {
  /** Ignore cameras farther than this (default 3 km): a far camera shows nothing of the place. */
  maxM?: number;
}

/**
 * Indices of the n cameras nearest to `point` that can stream (by `statuses`, one status code
 * per camera in layer order), nearest first; ties keep layer order.
 */
export function nearestCameras(point: LonLat, cameras: readonly { lon: number; lat: number }[], statuses: ArrayLike<number>, n: number, opts: NearestOptions = {}): number[] {
  const maxM = opts.maxM ?? 3000;
  if (n <= 0) return [];
  const best: { i: number; d: number }[] = [];
  for (let i = 0; i < cameras.length; i++) {
    if (!canStream(statuses[i] ?? STATUS_CODE.offline)) continue;
    const d = distanceM(point, [cameras[i].lon, cameras[i].lat]);
    if (d > maxM) continue;
    if (best.length === n && d >= best[n - 1].d) continue;
    let at = best.length;
    while (at > 0 && best[at - 1].d > d) at--;
    best.splice(at, 0, { i, d });
    if (best.length > n) best.pop();
  }
  return best.map((b) => b.i);
}
