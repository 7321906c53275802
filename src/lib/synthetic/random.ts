/**
 * A small seeded PRNG and samplers for the synthetic generator. Deterministic across platforms:
 * 32-bit integer arithmetic only (no Math.random, no floating-point accumulation that could drift).
 */

/** splitmix32: turns any 32-bit seed (or seed + index) into a well-mixed one. */
export function mixSeed(...parts: number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    hash = (hash + (part | 0) + 0x9e3779b9) | 0;
    hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
    hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return hash >>> 0;
}

/** sfc32, seeded by mixSeed. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = mixSeed(seed, 1);
    this.b = mixSeed(seed, 2);
    this.c = mixSeed(seed, 3);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + (this.nextUint32() % (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.nextUint32() % items.length];
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.nextUint32().toString(16).padStart(8, '0');
    return out.slice(0, length);
  }
}

/** Samples values in proportion to their weights (`[value, weight]` pairs), by binary search. */
export class WeightedSampler<T> {
  private readonly values: T[];
  private readonly cumulative: number[];

  constructor(weighted: ReadonlyArray<readonly [T, number]>) {
    this.values = [];
    this.cumulative = [];
    let total = 0;
    for (const [value, weight] of weighted) {
      if (weight <= 0) continue;
      total += weight;
      this.values.push(value);
      this.cumulative.push(total);
    }
    if (this.values.length === 0) throw new Error('WeightedSampler needs at least one positive weight');
  }

  sample(random: Random): T {
    const target = random.next() * this.cumulative[this.cumulative.length - 1];
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.cumulative[mid] > target) high = mid;
      else low = mid + 1;
    }
    return this.values[low];
  }

  /** The weighted mean, for numeric samplers (used to report expected sizes). */
  mean(this: WeightedSampler<number>): number {
    let sum = 0;
    let previous = 0;
    this.values.forEach((value, i) => {
      sum += value * (this.cumulative[i] - previous);
      previous = this.cumulative[i];
    });
    return sum / previous;
  }
}
