// Spreads periodic reports of many devices evenly over the period (never in bursts).

/**
 * Device i reports at wall times phase[i] + k * period. Devices are kept sorted by phase; each call
 * returns the ones whose report fell in (prev, now]. If more than a period passed, everyone reports once.
 */
export class PeriodicSchedule {
  private readonly order: Uint32Array;
  private readonly phases: Float64Array;
  private cursorPos = -1; // position in the cycle (ms) up to which reports were emitted
  private last = NaN;

  constructor(
    readonly count: number,
    readonly periodMs: number,
    random: () => number,
  ) {
    const phases = new Float64Array(count);
    for (let i = 0; i < count; i++) phases[i] = random() * periodMs;
    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => phases[a] - phases[b]);
    this.order = Uint32Array.from(order);
    this.phases = Float64Array.from(order, (i) => phases[i]);
  }

  /** Calls `emit(i)` for every device due in (last call, now]. The first call only sets the origin. */
  due(now: number, emit: (i: number) => void): void {
    if (Number.isNaN(this.last)) {
      this.last = now;
      this.cursorPos = now % this.periodMs;
      return;
    }
    const elapsed = now - this.last;
    if (elapsed <= 0) return;
    this.last = now;
    if (elapsed >= this.periodMs) {
      for (let k = 0; k < this.count; k++) emit(this.order[k]);
      this.cursorPos = now % this.periodMs;
      return;
    }
    const from = this.cursorPos;
    const to = now % this.periodMs;
    this.cursorPos = to;
    if (to > from) this.range(from, to, emit);
    else {
      this.range(from, this.periodMs, emit);
      this.range(-1, to, emit);
    }
  }

  private range(from: number, to: number, emit: (i: number) => void) {
    // first index with phase > from (binary search), then walk while phase <= to
    let lo = 0, hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.phases[mid] > from) hi = mid;
      else lo = mid + 1;
    }
    for (let k = lo; k < this.count && this.phases[k] <= to; k++) emit(this.order[k]);
  }
}
