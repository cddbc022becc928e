// Where a grid worker is, is personal information (个人信息保护法): a screen confined to an area sees
// the positions of that area's workers only. Everyone else's position goes out as NaN in a snapshot
// (the layer keeps its length, so indices stay stable, and nothing is drawn) and is left out of deltas.
import { DISTRICT_CODE, placeInScope } from '../../core/org.ts';
import type { MoveDelta, MovingState } from '../../core/protocol.ts';
import type { District } from '../district.ts';

/** 1 for each worker a screen of `scope` may see, or null when it sees them all. Kept per scope: the dataset is fixed. */
export class WorkerVisibility {
  private readonly masks = new Map<string, Uint8Array>();
  constructor(private readonly district: District, private readonly count: number) {}

  maskFor(scope: string): Uint8Array | null {
    if (scope === DISTRICT_CODE) return null;
    let mask = this.masks.get(scope);
    if (!mask) {
      mask = new Uint8Array(this.count);
      for (let i = 0; i < this.count; i++) {
        const place = this.district.workerPlace(i);
        mask[i] = place !== undefined && placeInScope(scope, place) ? 1 : 0;
      }
      this.masks.set(scope, mask);
    }
    return mask;
  }
}

/** The workers' layer of a snapshot with every position the mask hides replaced by NaN. */
export function maskedPositions(lonlat: Float64Array, heading: Float32Array, mask: Uint8Array | null): MovingState {
  if (!mask) return { lonlat, heading };
  const ll = lonlat.slice();
  const hd = heading.slice();
  for (let i = 0; i < mask.length; i++) {
    if (mask[i]) continue;
    ll[i * 2] = Number.NaN;
    ll[i * 2 + 1] = Number.NaN;
    hd[i] = Number.NaN;
  }
  return { lonlat: ll, heading: hd };
}

/** The moves of a delta the mask lets through (null when none is left). */
export function visibleMoves(index: Uint32Array, lonlat: Float64Array, heading: Float32Array, mask: Uint8Array | null): MoveDelta | null {
  if (!mask) return { index, lonlat, heading };
  const keep: number[] = [];
  for (let j = 0; j < index.length; j++) if (mask[index[j]]) keep.push(j);
  if (keep.length === 0) return null;
  const out = { index: new Uint32Array(keep.length), lonlat: new Float64Array(keep.length * 2), heading: new Float32Array(keep.length) };
  keep.forEach((j, k) => {
    out.index[k] = index[j];
    out.lonlat[k * 2] = lonlat[j * 2];
    out.lonlat[k * 2 + 1] = lonlat[j * 2 + 1];
    out.heading[k] = heading[j];
  });
  return out;
}
