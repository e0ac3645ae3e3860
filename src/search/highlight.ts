/**
 * Where a hit's phrases are in the utterance as it was said, for the highlighted snippet. Matching ignores
 * case, width, Traditional/Simplified, punctuation and spaces, like the index does (and Unicode's canonically
 * equivalent spellings: combining accents, Hangul jamo, final sigma), and matches what the index
 * matches: whole English words and numbers (a query "refund" marks "refund", not the start of "refunded"; "an"
 * is not marked inside "manager"; "refund*" marks "refunded" whole) and Chinese characters one by one. Pure.
 */
import { normaliseText } from '../core/normalise.js';

import type { Highlight } from './hits.js';

export type { Highlight };

const HAN = /\p{Script=Han}/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** User-perceived characters: a letter with its combining accents, a Hangul syllable spelt in jamo, one unit each. */
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Chinese characters with only spaces between them: one word to the Traditional -> Simplified conversion, as in the index. */
const HAN_RUN = /\p{Script=Han}(?:\s*\p{Script=Han})+/gu;

/** A piece of text as the index sees it (tokenize.ts searchNormalise): normalised, final sigma as σ. */
function norm(s: string): string {
  const n = normaliseText(s);
  return n.includes('ς') ? n.replace(/ς/g, 'σ') : n;
}

/**
 * The text as the index sees it, unit by unit (an English word or number, or one Chinese character), with each
 * unit's raw offsets. Normalised a grapheme at a time, so canonically equivalent text gives the same units (cafe +
 * U+0301 and café; Hangul in jamo and in syllables) and a unit's offsets cover the whole original character.
 */
function units(text: string): Array<{ u: string; start: number; end: number }> {
  const out: Array<{ u: string; start: number; end: number }> = [];
  let word: { u: string; start: number; end: number } | null = null;
  // Traditional -> Simplified converts some characters by the word they are in (瞭解 -> 了解, while 瞭 alone stays):
  // a run of Chinese characters (ASR spaces between them or not) is converted whole, as the index converts it, when
  // that keeps one character for one
  const whole = new Map<number, string>();
  for (const m of text.matchAll(HAN_RUN)) {
    const raw: Array<{ c: string; at: number }> = [];
    let at = m.index;
    for (const c of m[0]) {
      if (HAN.test(c)) raw.push({ c, at });
      at += c.length;
    }
    const conv = [...normaliseText(raw.map((x) => x.c).join(''))];
    if (conv.length !== raw.length) continue;
    for (const [k, x] of raw.entries()) whole.set(x.at, conv[k]!);
  }
  for (const { segment, index: i } of GRAPHEMES.segment(text)) {
    const end = i + segment.length;
    const n = whole.get(i) ?? norm(segment);
    for (const c of n) {
      if (HAN.test(c)) {
        word = null;
        out.push({ u: c, start: i, end });
      } else if (WORD_CHAR.test(c)) {
        if (word) {
          word.u += c;
          word.end = end;
        } else {
          word = { u: c, start: i, end };
          out.push(word);
        }
      } else word = null;
    }
    // a character that normalises to nothing or to a separator ends the word
    if (!WORD_CHAR.test(n)) word = null;
  }
  return out;
}

export function highlight(text: string, phrases: readonly string[]): Highlight[] {
  const hay = units(text);
  const out: Highlight[] = [];
  for (const p of phrases) {
    // the phrase as the query reads it: words (refund*: any word starting so) and Chinese characters one by one
    const needle = units(p).map((x) => ({ u: x.u, prefix: !HAN.test(x.u) && p[x.end] === '*' }));
    if (needle.length === 0) continue;
    const same = (h: string, n: { u: string; prefix: boolean }) => (n.prefix ? h.startsWith(n.u) : h === n.u);
    for (let k = 0; k + needle.length <= hay.length; ) {
      let j = 0;
      while (j < needle.length && same(hay[k + j]!.u, needle[j]!)) j++;
      if (j === needle.length) {
        out.push({ start: hay[k]!.start, end: hay[k + needle.length - 1]!.end });
        k += needle.length;
      } else k++;
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
