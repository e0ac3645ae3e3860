/**
 * The q-quantile of a list as "sort, then take index floor(q x (n - 1))" gives it, in linear time
 * (quickselect on a copy) instead of a sort: the audio detectors take several percentiles per call over
 * thousands of frames, and a sort per percentile was ~4 % of the audio stage's CPU. Same value as the sort
 * (checked against it in select.test.ts; -0 and +0, which compare equal, may come back as each other), NaN
 * included: a typed array's sort puts NaN last, so an index among the NaNs gives NaN. Empty input: NaN
 * (callers choose their own default).
 */
export function quantileOfSorted(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const k = Math.min(n - 1, Math.max(0, Math.floor(q * (n - 1))));
  const a = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v === v) a[m++] = v; // NaN left out: they sort after everything
  }
  if (k >= m) return NaN;
  return select(a.subarray(0, m), k);
}

/** The k-th smallest of `a` (0-based), reordering `a` in place (Hoare partition, median of three). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three to the middle, as pivot
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
