// Pure statistics helpers for the benchmarks: percentiles (nearest-rank), summaries, medians.

/** Nearest-rank percentile of an ascending-sorted array (p in 0..100). NaN when empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (p <= 0) return sorted[0];
  if (p >= 100) return sorted[n - 1];
  const rank = Math.ceil((p / 100) * n); // 1-based
  return sorted[Math.min(n, Math.max(1, rank)) - 1];
}

export interface Summary {
  samples: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Summary of a sample (does not modify the input). Values rounded to `digits` decimals. */
export function summarize(values: ArrayLike<number>, digits = 1): Summary {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const n = sorted.length;
  const round = (x: number) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : NaN);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  return {
    samples: n,
    min: round(n ? sorted[0] : NaN),
    mean: round(n ? sum / n : NaN),
    p50: round(percentileSorted(sorted, 50)),
    p90: round(percentileSorted(sorted, 90)),
    p99: round(percentileSorted(sorted, 99)),
    max: round(n ? sorted[n - 1] : NaN),
  };
}

/** Median of a small list (mean of the two middle values for even length). NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** a / b rounded to `digits` decimals; null when either side is missing or b is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined, digits = 2): number | null {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return Number((a / b).toFixed(digits));
}
