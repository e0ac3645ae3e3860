/**
 * Where a hit's phrases are in the utterance as it was said, for the highlighted snippet. Matching ignores
 * case, width, Traditional/Simplified, punctuation and spaces, like the index does. Pure.
 */
import { normaliseText } from '../core/normalise.js';

import type { Highlight } from './hits.js';

export type { Highlight };

export function highlight(text: string, phrases: readonly string[]): Highlight[] {
  // significant characters of the raw text, normalised one by one, with their raw offsets
  const chars: string[] = [];
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const n = normaliseText(text[i]!).replace(/\s/g, '');
    if (!n) continue;
    for (const c of n) {
      chars.push(c);
      at.push(i);
    }
  }
  const hay = chars.join('');
  const out: Highlight[] = [];
  for (const p of phrases) {
    const needle = normaliseText(p).replace(/\s/g, '');
    if (!needle) continue;
    let from = 0;
    for (;;) {
      const k = hay.indexOf(needle, from);
      if (k < 0) break;
      out.push({ start: at[k]!, end: at[k + needle.length - 1]! + 1 });
      from = k + needle.length;
    }
  }
  out.sort((a, b) => a.start - b.start);
  const merged: Highlight[] = [];
  for (const h of out) {
    const last = merged[merged.length - 1];
    if (last && h.start <= last.end) last.end = Math.max(last.end, h.end);
    else merged.push({ ...h });
  }
  return merged;
}

/** A snippet of at most `max` characters around the first highlight, with the highlights moved into it. */
export function snippet(text: string, hl: readonly Highlight[], max = 120): { text: string; highlights: Highlight[] } {
  if (text.length <= max) return { text, highlights: [...hl] };
  const first = hl[0]?.start ?? 0;
  let start = Math.max(0, first - Math.floor(max / 3));
  start = Math.min(start, text.length - max);
  const end = start + max;
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const shift = prefix.length - start;
  return {
    text: prefix + text.slice(start, end) + suffix,
    highlights: hl.filter((h) => h.start >= start && h.end <= end).map((h) => ({ start: h.start + shift, end: h.end + shift })),
  };
}
