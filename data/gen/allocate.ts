// Integer apportioning for the dataset generator (its randomness is core/random.ts).

/** Integers proportional to weights summing exactly to total (largest remainder, ties by index). */
export function allocate(total: number, weights: number[], min = 0): number[] {
  const n = weights.length;
  const out = new Array<number>(n).fill(min);
  let left = total - min * n;
  if (left < 0) throw new RangeError(`cannot allocate ${total} with min ${min} over ${n}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) {
    for (let i = 0; i < left; i++) out[i % n]++;
    return out;
  }
  const rem: Array<[number, number]> = [];
  let given = 0;
  for (let i = 0; i < n; i++) {
    const q = (left * weights[i]) / sum;
    const f = Math.floor(q);
    out[i] += f;
    given += f;
    rem.push([q - f, i]);
  }
  rem.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < left - given; k++) out[rem[k % n][1]]++;
  left = 0;
  return out;
}
