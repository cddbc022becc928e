// Realistic device records for the benchmarks, built as JSON text (no object per record):
// heartbeats over every kind (mostly unchanged status), ~10% status flips, worker and drone
// positions with heading and speed, drone battery. Shared by the load generator and the raw
// SQLite baseline so both write the same rows. Ids come straight from the dataset files.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Rng } from '../core/random.ts';

export const MIX = { component: 0.45, camera: 0.3, broadcast: 0.08, lookout: 0.01, worker: 0.14, drone: 0.02 } as const;
export const FLIP_SHARE = 0.1;
/** A drone reports ~200 times a second per aircraft at the bench's rate: a flip on 10% of its records would make it
 * change online/offline 20 times a second, which no aircraft does (and which the hub sends at once, as it should a
 * real status change). Its status flips about once a minute instead. */
const DRONE_FLIP_SHARE = 0.0001;
type Kind = keyof typeof MIX;

interface Pool {
  kind: Kind;
  ids: string[];
  prefixes: string[];
  down: Uint8Array;
  downName: string;
  pos?: Float64Array;
}

export function readIds(datasetDir: string): { ids: Record<Kind, string[]>; pos: Record<'worker' | 'drone', Array<{ lon: number; lat: number }>> } {
  const devices = JSON.parse(readFileSync(path.join(datasetDir, 'devices.json'), 'utf8'));
  const components = JSON.parse(readFileSync(path.join(datasetDir, 'components.json'), 'utf8'));
  const idsOf = (k: string) => (devices[k] as Array<{ id: string }>).map((d) => d.id);
  return {
    ids: { component: components.code, camera: idsOf('camera'), broadcast: idsOf('broadcast'), lookout: idsOf('lookout'), worker: idsOf('worker'), drone: idsOf('drone') },
    pos: { worker: devices.worker, drone: devices.drone },
  };
}

export class RecordGenerator {
  private readonly pools: Pool[] = [];
  private readonly cumulative: number[] = [];
  private readonly rng: Rng;

  constructor(datasetDir: string, seed = 1) {
    this.rng = new Rng(seed);
    const { ids, pos } = readIds(datasetDir);
    let acc = 0;
    for (const kind of Object.keys(MIX) as Kind[]) {
      acc += MIX[kind];
      const p = kind === 'worker' || kind === 'drone' ? pos[kind] : undefined;
      this.pools.push({
        kind,
        ids: ids[kind],
        prefixes: ids[kind].map((id) => `{"kind":"${kind}","id":${JSON.stringify(id)},"ts":`),
        down: new Uint8Array(ids[kind].length),
        downName: kind === 'component' ? 'fault' : 'offline',
        pos: p ? Float64Array.from(p.flatMap((q) => [q.lon, q.lat])) : undefined,
      });
      this.cumulative.push(acc);
    }
  }

  /** Device counts per kind (for the output). */
  sizes(): Record<string, number> {
    return Object.fromEntries(this.pools.map((p) => [p.kind, p.prefixes.length]));
  }

  /** `{"records":[...]}` of `count` device records stamped `ts`; their ids are pushed onto `ids` when given. */
  body(count: number, ts: number, ids?: string[]): string {
    const rng = this.rng;
    const total = this.cumulative[this.cumulative.length - 1];
    const parts: string[] = new Array(count);
    for (let k = 0; k < count; k++) {
      const x = rng.next() * total;
      let p = 0;
      while (p < this.pools.length - 1 && this.cumulative[p] <= x) p++;
      const pool = this.pools[p];
      const i = Math.floor(rng.next() * pool.prefixes.length);
      ids?.push(pool.ids[i]);
      if (rng.next() < (pool.kind === 'drone' ? DRONE_FLIP_SHARE : FLIP_SHARE)) pool.down[i] ^= 1;
      let s = pool.prefixes[i] + ts + (pool.down[i] ? `,"status":"${pool.downName}"` : ',"status":"online"');
      if (pool.pos) {
        const lon = pool.pos[2 * i] + (rng.next() - 0.5) * 0.002;
        const lat = pool.pos[2 * i + 1] + (rng.next() - 0.5) * 0.002;
        s += `,"lon":${lon.toFixed(6)},"lat":${lat.toFixed(6)},"heading":${Math.floor(rng.next() * 360)},"speed":${(rng.next() * (pool.kind === 'drone' ? 15 : 1.5)).toFixed(1)}`;
        if (pool.kind === 'drone') s += `,"alt":${(80 + rng.next() * 40).toFixed(0)},"battery":${(20 + rng.next() * 80).toFixed(0)}`;
      }
      parts[k] = s + '}';
    }
    return '{"records":[' + parts.join(',') + ']}';
  }
}
