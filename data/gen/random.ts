// Seeded randomness and integer apportioning. Every purpose draws from its own stream (seed + label),
// so adding or reordering draws in one part of the generator never shifts the output of another.

// PRNG: mulberry32, with independent streams derived from the seed and a label.

export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    let t = (this.a = (this.a + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  range(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(arr: readonly T[]): T {
    return arr[this.int(arr.length)];
  }
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [arr[i], arr[j]] = [arr[j], arr[i]];
    }
    return arr;
  }
}

export function stream(seed: number, label: string): Rng {
  return new Rng((Math.imul(seed >>> 0, 0x9e3779b1) ^ hash32(label)) >>> 0);
}

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

export function pickWeighted(weights: number[], rng: Rng): number {
  const sum = weights.reduce((a, b) => a + b, 0);
  let r = rng.next() * sum;
  for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) < 0) return i;
  return weights.length - 1;
}
