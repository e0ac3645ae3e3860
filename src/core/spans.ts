import type { TimeSpan } from './types.js';

/** Pure helpers over sorted, non-overlapping span lists. */

export function spanDuration(spans: readonly TimeSpan[]): number {
  let total = 0;
  for (const s of spans) total += s.end - s.start;
  return total;
}

/** Sort and merge spans whose gap is <= maxGapSec. */
export function mergeSpans(spans: readonly TimeSpan[], maxGapSec = 0): TimeSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: TimeSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start - last.end <= maxGapSec) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** Intersection of two sorted span lists. */
export function intersectSpans(a: readonly TimeSpan[], b: readonly TimeSpan[]): TimeSpan[] {
  const out: TimeSpan[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i].start, b[j].start);
    const end = Math.min(a[i].end, b[j].end);
    if (end > start) out.push({ start, end });
    if (a[i].end < b[j].end) i++;
    else j++;
  }
  return out;
}

/** Union of several sorted span lists. */
export function unionSpans(...lists: readonly (readonly TimeSpan[])[]): TimeSpan[] {
  return mergeSpans(lists.flat(), 0);
}

/** The gaps of `spans` within [from, to]. */
export function complementSpans(spans: readonly TimeSpan[], from: number, to: number): TimeSpan[] {
  const out: TimeSpan[] = [];
  let cursor = from;
  for (const s of mergeSpans(spans)) {
    if (s.start > cursor) out.push({ start: cursor, end: Math.min(s.start, to) });
    cursor = Math.max(cursor, s.end);
    if (cursor >= to) break;
  }
  if (cursor < to) out.push({ start: cursor, end: to });
  return out.filter((s) => s.end > s.start);
}

/** Remove `cut` from `spans`. */
export function subtractSpans(spans: readonly TimeSpan[], cut: readonly TimeSpan[]): TimeSpan[] {
  if (cut.length === 0) return spans.map((s) => ({ ...s }));
  const end = Math.max(...spans.map((s) => s.end), ...cut.map((s) => s.end));
  return intersectSpans(mergeSpans(spans), complementSpans(cut, 0, end));
}

/** Frame-level agreement between a detected and a reference span list, for precision/recall. */
export function frameScores(
  detected: readonly TimeSpan[],
  truth: readonly TimeSpan[],
): { precision: number; recall: number; f1: number; tpSec: number } {
  const tp = spanDuration(intersectSpans(mergeSpans(detected), mergeSpans(truth)));
  const det = spanDuration(mergeSpans(detected));
  const ref = spanDuration(mergeSpans(truth));
  const precision = det === 0 ? (ref === 0 ? 1 : 0) : tp / det;
  const recall = ref === 0 ? 1 : tp / ref;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tpSec: tp };
}

/**
 * Event-level matching: a detected span counts as a hit when it overlaps a reference span by at least
 * `minOverlapFrac` of the shorter of the two. Returns precision/recall over events.
 */
export function eventScores(
  detected: readonly TimeSpan[],
  truth: readonly TimeSpan[],
  minOverlapFrac = 0.3,
): { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number } {
  const overlaps = (a: TimeSpan, b: TimeSpan) => {
    const o = Math.min(a.end, b.end) - Math.max(a.start, b.start);
    return o > 0 && o >= minOverlapFrac * Math.min(a.end - a.start, b.end - b.start);
  };
  const tpDet = detected.filter((d) => truth.some((t) => overlaps(d, t))).length;
  const tpRef = truth.filter((t) => detected.some((d) => overlaps(d, t))).length;
  const precision = detected.length === 0 ? (truth.length === 0 ? 1 : 0) : tpDet / detected.length;
  const recall = truth.length === 0 ? 1 : tpRef / truth.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp: tpRef, fp: detected.length - tpDet, fn: truth.length - tpRef };
}

export const round = (x: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
