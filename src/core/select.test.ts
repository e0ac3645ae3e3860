import { describe, expect, it } from 'vitest';
import { prng } from '../../test/support/prng.js';
import { quantileOfSorted } from './select.js';

/** The reference: sort a copy (a typed array's sort: numeric, NaN last), take index floor(q x (n - 1)). */
function bySort(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return NaN;
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(q * (s.length - 1))))]!;
}

describe('quantileOfSorted', () => {
  it('gives what sorting gives, on random lists with ties, infinities and NaN, at every kind of q', () => {
    const rnd = prng(20261130);
    const qs = [0, 0.01, 0.1, 0.2, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1, -0.5, 1.5];
    for (let trial = 0; trial < 3000; trial++) {
      const n = 1 + Math.floor(rnd() * (trial % 10 === 0 ? 5000 : 60));
      const kind = trial % 5;
      const xs = Array.from({ length: n }, () => {
        const r = rnd();
        if (kind === 1) return Math.floor(r * 4); // many ties
        if (kind === 2 && r < 0.05) return NaN;
        if (kind === 3 && r < 0.05) return r < 0.025 ? Infinity : -Infinity;
        return (r - 0.5) * 1e3;
      });
      const input = kind === 4 ? Float32Array.from(xs) : xs;
      for (const q of qs) expect(Object.is(quantileOfSorted(input, q), bySort(input, q)), `n=${n} kind=${kind} q=${q}`).toBe(true);
    }
  });

  it('empty: NaN; the input is left as it was', () => {
    expect(quantileOfSorted([], 0.5)).toBeNaN();
    const xs = new Float64Array([5, 1, 4, 2, 3]);
    expect(quantileOfSorted(xs, 0.5)).toBe(3);
    expect([...xs]).toEqual([5, 1, 4, 2, 3]);
  });
});
