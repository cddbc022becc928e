// Sensor readings of city components: the threshold rule state of each sensorized component
// (core/sensor-rules.ts, derived from the logged readings in order, so a rebuild gives the same
// alarms) and a bounded ring of its recent readings for the device detail.
import type { DeviceStatus } from '../../core/domain.ts';
import type { DeviceRecord } from '../../core/protocol.ts';
import { ruleFor, stepRule, type SensorRule, type SensorRules } from '../../core/sensor-rules.ts';
import { COMPONENT_CLASS_BY_CODE } from '../../core/taxonomy.ts';

export const READINGS_KEPT = 120;

export interface Reading {
  ts: number;
  value: number;
}

class ReadingRing {
  readonly ts = new Float64Array(READINGS_KEPT);
  readonly value = new Float64Array(READINGS_KEPT);
  head = 0; // next write
  size = 0;
  push(ts: number, value: number): void {
    this.ts[this.head] = ts;
    this.value[this.head] = value;
    this.head = (this.head + 1) % READINGS_KEPT;
    if (this.size < READINGS_KEPT) this.size++;
  }
  /** Oldest first. */
  list(): Reading[] {
    const out: Reading[] = [];
    const start = (this.head - this.size + READINGS_KEPT) % READINGS_KEPT;
    for (let k = 0; k < this.size; k++) {
      const j = (start + k) % READINGS_KEPT;
      out.push({ ts: this.ts[j], value: this.value[j] });
    }
    return out;
  }
}

export interface SensorBookCheckpoint {
  /** The rules the state was derived under: a checkpoint taken under other rules is not restored. */
  rules: string;
  raised: string; // base64 Uint8Array per component
  streak: string;
  /** The severe rule's state (a gauge's guarantee level); absent in checkpoints from before it. */
  severeRaised?: string;
  severeStreak?: string;
  rings: { index: number[]; size: number[]; ts: string; value: string };
}

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

export class SensorBook {
  /** The rule of each component's class and metric (null: not a sensor class). */
  private readonly rules: (SensorRule | null)[];
  private readonly metric: (string | null)[];
  readonly raised: Uint8Array;
  private readonly streak: Uint8Array;
  /** A second, more severe rule of some components (a flood gauge's guarantee level) and its state. */
  private readonly severe = new Map<number, SensorRule>();
  readonly severeRaised: Uint8Array;
  private readonly severeStreak: Uint8Array;
  private readonly rings = new Map<number, ReadingRing>();
  private readonly rulesKey: string;

  /**
   * `classCodes(i)` is component i's class, or null when it carries no sensor. `own(i)`: a rule of
   * component i's own (a flood gauge's warning level), `severe(i)` a second, more severe one (its
   * guarantee level); `ownKey` describes both for checkpoints.
   */
  constructor(
    classCodes: (i: number) => string | null,
    count: number,
    readonly ruleSet: SensorRules,
    own?: (i: number) => SensorRule | null,
    ownKey = '',
    severe?: (i: number) => SensorRule | null,
  ) {
    this.rules = new Array(count);
    this.metric = new Array(count);
    for (let i = 0; i < count; i++) {
      const code = classCodes(i);
      const cls = code === null ? undefined : COMPONENT_CLASS_BY_CODE.get(code);
      this.metric[i] = cls?.sensor ?? null;
      this.rules[i] = cls?.sensor ? (own?.(i) ?? ruleFor(ruleSet, cls.code, cls.sensor)) : null;
      const sv = cls?.sensor ? severe?.(i) : null;
      if (sv) this.severe.set(i, sv);
    }
    this.raised = new Uint8Array(count);
    this.streak = new Uint8Array(count);
    this.severeRaised = new Uint8Array(count);
    this.severeStreak = new Uint8Array(count);
    this.rulesKey = JSON.stringify(ruleSet) + ownKey;
  }

  ruleOf(i: number): SensorRule | null {
    return this.rules[i] ?? null;
  }

  metricOf(i: number): string | null {
    return this.metric[i] ?? null;
  }

  readings(i: number): Reading[] {
    return this.rings.get(i)?.list() ?? [];
  }

  /**
   * Feeds one record of component i and returns the status to store: a reported fault or offline
   * wins; otherwise a sensor class component is in alarm exactly while its rule is raised. Records
   * of components without a sensor class keep their reported status.
   */
  apply(i: number, r: DeviceRecord, current: DeviceStatus): DeviceStatus | undefined {
    const rule = this.rules[i];
    if (!rule) return r.status;
    const reading = r.metric === this.metric[i] && typeof r.value === 'number' && Number.isFinite(r.value);
    if (reading) {
      const s = stepRule(rule, { raised: this.raised[i] === 1, streak: this.streak[i] }, r.value!);
      this.raised[i] = s.raised ? 1 : 0;
      this.streak[i] = Math.min(255, s.streak);
      const sv = this.severe.get(i);
      if (sv) {
        const t = stepRule(sv, { raised: this.severeRaised[i] === 1, streak: this.severeStreak[i] }, r.value!);
        this.severeRaised[i] = t.raised ? 1 : 0;
        this.severeStreak[i] = Math.min(255, t.streak);
      }
      let ring = this.rings.get(i);
      if (!ring) this.rings.set(i, (ring = new ReadingRing()));
      ring.push(r.ts, r.value!);
    }
    if (r.status === 'fault' || r.status === 'offline') return r.status;
    if (r.status === undefined && (!reading || current === 'fault')) return undefined;
    return this.raised[i] === 1 ? 'alarm' : 'online';
  }

  exportState(): SensorBookCheckpoint {
    const index = [...this.rings.keys()].sort((a, b) => a - b);
    const ts = new Float64Array(index.length * READINGS_KEPT);
    const value = new Float64Array(index.length * READINGS_KEPT);
    const size: number[] = [];
    index.forEach((i, k) => {
      const list = this.rings.get(i)!.list();
      size.push(list.length);
      list.forEach((x, j) => {
        ts[k * READINGS_KEPT + j] = x.ts;
        value[k * READINGS_KEPT + j] = x.value;
      });
    });
    return { rules: this.rulesKey, raised: b64(this.raised), streak: b64(this.streak), severeRaised: b64(this.severeRaised), severeStreak: b64(this.severeStreak), rings: { index, size, ts: b64(ts), value: b64(value) } };
  }

  /** Restores a checkpoint; false when it was taken under other rules (the caller rebuilds from the log). */
  importState(cp: SensorBookCheckpoint): boolean {
    if (cp.rules !== this.rulesKey || cp.severeRaised === undefined || cp.severeStreak === undefined) return false;
    const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
    const raised = bytes(cp.raised);
    if (raised.length !== this.raised.length) throw new Error(`checkpoint sensor state has ${raised.length} components, expected ${this.raised.length}`);
    this.raised.set(raised);
    this.streak.set(bytes(cp.streak));
    this.severeRaised.set(bytes(cp.severeRaised));
    this.severeStreak.set(bytes(cp.severeStreak));
    const f64 = (s: string) => {
      const b = Buffer.from(s, 'base64');
      return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    };
    const ts = f64(cp.rings.ts);
    const value = f64(cp.rings.value);
    this.rings.clear();
    cp.rings.index.forEach((i, k) => {
      const ring = new ReadingRing();
      for (let j = 0; j < cp.rings.size[k]; j++) ring.push(ts[k * READINGS_KEPT + j], value[k * READINGS_KEPT + j]);
      this.rings.set(i, ring);
    });
    return true;
  }
}
