// Load mode: N device events per second of realistic device reports (heartbeats that mostly change
// nothing, ~10% status flips, spread over every kind), sent as large batches over several
// concurrent keep-alive requests. Bodies are built as strings from pre-serialized per-device
// prefixes: no object per record, no JSON.stringify in the hot loop.
import type { SimDataset } from './dataset.ts';
import { Rng } from '../core/random.ts';
import type { Sender } from './transport.ts';

/** Share of load events per kind (heartbeat traffic, not population). */
export const LOAD_MIX = { component: 0.45, camera: 0.3, broadcast: 0.08, lookout: 0.01, worker: 0.14, drone: 0.02 } as const;
export const FLIP_SHARE = 0.1;

interface KindPool {
  prefixes: string[]; // '{"kind":"camera","id":"CAM-1","ts":'
  status: Uint8Array; // 0 normal, 1 down
  down: string; // status name when down
  lonlat?: Float64Array; // moving kinds: base position, jittered per report
}

const ONLINE_TAIL = ',"status":"online"';

export class LoadGenerator {
  private readonly pools: KindPool[] = [];
  private readonly cumulative: number[] = [];
  private readonly rng: Rng;
  produced = 0;

  constructor(ds: SimDataset, seed: number) {
    this.rng = new Rng(seed ^ 0x5eed);
    const add = (kind: keyof typeof LOAD_MIX, ids: string[], down: string, pos?: { lon: number; lat: number }[]) => {
      if (ids.length === 0) return;
      this.pools.push({
        prefixes: ids.map((id) => `{"kind":"${kind}","id":${JSON.stringify(id)},"ts":`),
        status: new Uint8Array(ids.length),
        down,
        lonlat: pos ? Float64Array.from(pos.flatMap((p) => [p.lon, p.lat])) : undefined,
      });
      this.cumulative.push((this.cumulative.at(-1) ?? 0) + LOAD_MIX[kind]);
    };
    const d = ds.devices;
    add('component', ds.components.code, 'fault');
    add('camera', d.camera.map((c) => c.id), 'offline');
    add('broadcast', d.broadcast.map((c) => c.id), 'offline');
    add('lookout', d.lookout.map((c) => c.id), 'offline');
    add('worker', d.worker.map((c) => c.id), 'offline', d.worker);
    add('drone', d.drone.map((c) => c.id), 'offline', d.drone);
  }

  /** `{"records":[...]}` with `count` device reports stamped `ts`. */
  body(count: number, ts: number): string {
    const total = this.cumulative.at(-1) ?? 1;
    const r = this.rng;
    let s = '{"records":[';
    for (let k = 0; k < count; k++) {
      const x = r.next() * total;
      let p = 0;
      while (this.cumulative[p] <= x && p < this.pools.length - 1) p++;
      const pool = this.pools[p];
      const i = r.int(pool.prefixes.length);
      if (r.next() < FLIP_SHARE) pool.status[i] ^= 1;
      if (k > 0) s += ',';
      s += pool.prefixes[i];
      s += ts;
      s += pool.status[i] === 0 ? ONLINE_TAIL : `,"status":"${pool.down}"`;
      if (pool.lonlat) {
        const lon = pool.lonlat[2 * i] + (r.next() - 0.5) * 0.002;
        const lat = pool.lonlat[2 * i + 1] + (r.next() - 0.5) * 0.002;
        s += `,"lon":${lon.toFixed(6)},"lat":${lat.toFixed(6)}`;
      }
      s += '}';
    }
    this.produced += count;
    return s + ']}';
  }
}

export interface LoadRunStats {
  targetPerS: number;
  seconds: number;
  sent: number;
  accepted: number;
  rejected: number;
  retried: number;
  acceptedPerS: number;
  requestMs: { p50: number; p99: number };
}

/**
 * Paces the generator at `rate` events/s with up to `concurrency` requests in flight. When the
 * server cannot keep up, the debt is capped at one second: the achieved rate is what is reported.
 */
export class LoadRunner {
  private timer: NodeJS.Timeout | null = null;
  private started = 0;
  private owed = 0;
  private last = 0;
  private readonly latencies: number[] = [];
  private inFlight = 0;

  constructor(
    private readonly gen: LoadGenerator,
    private readonly sender: Sender,
    readonly rate: number,
    readonly batch: number,
    readonly concurrency: number,
  ) {}

  start(now = Date.now()) {
    this.started = now;
    this.last = now;
    this.timer = setInterval(() => this.pump(), 5);
  }

  private pump() {
    const now = Date.now();
    this.owed = Math.min(this.owed + ((now - this.last) / 1000) * this.rate, this.rate + this.batch);
    this.last = now;
    while (this.inFlight < this.concurrency && this.owed >= Math.min(this.batch, this.rate / 10)) {
      const n = Math.max(1, Math.floor(Math.min(this.batch, this.owed)));
      this.owed -= n;
      const body = this.gen.body(n, Date.now());
      const t0 = performance.now();
      this.inFlight++;
      void this.sender.sendBody(body, n).finally(() => {
        this.inFlight--;
        this.latencies.push(performance.now() - t0);
      });
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 10));
  }

  elapsedS(now = Date.now()) {
    return (now - this.started) / 1000;
  }

  requestMs() {
    const s = [...this.latencies].sort((a, b) => a - b);
    const q = (p: number) => (s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]) : 0);
    return { p50: q(0.5), p99: q(0.99) };
  }
}
