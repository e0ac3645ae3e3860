import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as OpenCC from 'opencc-js';
import { foldVariants, normaliseText, openccTwToCn } from '../src/core/normalise.js';
import { matcherFor } from '../src/detect/text/index.js';
import { loadLexicons } from '../src/lexicon/loader.js';
import type { MatchHit } from '../src/lexicon/matcher.js';
import { normaliseChars, normaliseFast } from '../src/lexicon/prepare.js';
import { prng } from './support/prng.js';
import { ReferenceMatcher, referenceNormalise } from './support/reference-matcher.js';
import { MATCH_OPTION_SETS, fixtureUtterances, variedCalls } from './support/text-corpus.js';

/**
 * The fast matcher (typed arrays, one automaton per language and kind, per-character normalisation tables) finds
 * exactly what a straightforward one finds (test/support/reference-matcher.ts: every pattern at every position,
 * whole-string normalisation, pairwise resolution), hit for hit and field for field, over a varied corpus: both
 * languages and mixed, Traditional and Simplified, ASR spacing, no punctuation, full-width and upper case, lexicon
 * phrases and their exceptions dropped in, repeated, quoted back, misheard.
 */
const lex = loadLexicons(join(import.meta.dirname, '..', 'lexicons'));
const fast = matcherFor(lex, ['东方有线', 'Northwind Telecom']);
const reference = new ReferenceMatcher({ ...lex, entries: [...fast.entries] });

const MATCH_FIELDS = ['entry', 'language', 'phrase', 'matched', 'from', 'to', 'length', 'fuzzy', 'confidence', 'quoted'] as const;
const matchFields = (h: MatchHit) => Object.fromEntries(MATCH_FIELDS.map((k) => [k, k === 'entry' ? h.entry.id : h[k]]));
const withIds = <T extends MatchHit>(hs: T[]) => hs.map((h) => ({ ...h, entry: h.entry.id }));

describe('OpenCC in typed tables = opencc-js', () => {
  it('converts every dictionary key in context, every fixture made Traditional, and random strings exactly as opencc-js does', () => {
    const opencc = OpenCC.Converter({ from: 'tw', to: 'cn' });
    const locale = (OpenCC as unknown as { Locale: { from: Record<string, string[][]>; to: Record<string, string[][]> } }).Locale;
    const keys = [...locale.from.tw, ...locale.to.cn].flat().flatMap((d) => d.split('|').map((e) => e.split(' ')[0]!));
    expect(keys.length).toBeGreaterThan(5000);
    const rnd = prng(2020);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const texts: string[] = [];
    for (const k of keys) texts.push(k, `${pick(keys)}${k}${pick(keys)}`, `a${k.slice(0, -1)}`);
    const utterances = fixtureUtterances().map((u) => u.text);
    for (const to of ['tw', 'twp', 'hk'] as const) {
      const conv = OpenCC.Converter({ from: 'cn', to });
      for (const u of utterances) texts.push(conv(u));
    }
    const pool = [...new Set(keys.join('') + utterances.join(''))];
    for (let c = 0x2ff0; c <= 0x2fff; c++) pool.push(String.fromCharCode(c));
    pool.push('\u{20000}', '\u{2a6d6}', '\ud800', '\udc00', 'x', ' ');
    for (let i = 0; i < 20_000; i++) {
      let s = '';
      for (let n = 1 + Math.floor(rnd() * 12); n > 0; n--) s += pick(pool);
      texts.push(s);
    }
    const differ = texts.filter((t) => openccTwToCn(t) !== opencc(t));
    expect(differ.slice(0, 10)).toEqual([]);
    expect(texts.filter((t) => opencc(t) !== t).length).toBeGreaterThan(10_000); // it does convert
  });
});

describe('fast matcher = reference matcher', () => {
  it('normalises every BMP character, and random strings of them, as NFKC + OpenCC + lower case do', () => {
    const bad: number[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const s = String.fromCharCode(c);
      if (normaliseFast(s) !== referenceNormalise(s) || normaliseChars(s) !== referenceNormalise(s)) bad.push(c);
    }
    expect(bad.map((c) => c.toString(16))).toEqual([]);
    // neighbours: composition, context (final sigma), OpenCC phrases; characters from the corpus and odd ranges
    const pool = [...new Set([...fixtureUtterances().map((u) => u.text).join('')])];
    for (const [a, b] of [[0x300, 0x36f], [0x1100, 0x11ff], [0x3131, 0x318e], [0xff00, 0xffef], [0x3a3, 0x3c9], [0x130, 0x131], [0x2f00, 0x2fff], [0xf900, 0xfaff]]) {
      for (let c = a; c <= b; c++) pool.push(String.fromCharCode(c));
    }
    pool.push('\u{20000}', '😀', 'e\u0301', 'ﬁ', '㈱');
    const rnd = prng(1616);
    const wrong: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      let s = '';
      const n = 1 + Math.floor(rnd() * 6);
      for (let k = 0; k < n; k++) s += pool[Math.floor(rnd() * pool.length)];
      if (normaliseFast(s) !== referenceNormalise(s)) wrong.push(s);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it('normaliseText (stored normText, search) gives what its whole-string passes give, for every BMP character and random strings', () => {
    const opencc = OpenCC.Converter({ from: 'tw', to: 'cn' });
    const PUNCT = /[\p{P}\p{S}\u3000-\u303f\uff00-\uff0f\uff1a-\uff20]/gu;
    const slow = (raw: string) => foldVariants(opencc(raw.normalize('NFKC'))).toLowerCase().replace(PUNCT, ' ').replace(/\s+/g, ' ').trim();
    const bad: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const s = `a${String.fromCharCode(c)} b`;
      if (normaliseText(s) !== slow(s)) bad.push(c.toString(16));
    }
    expect(bad.slice(0, 10)).toEqual([]);
    const pool = [...new Set([...fixtureUtterances().map((u) => u.text).join(''), ' ', '\t', '\u3000', '，', '。', 'Σ', 'İ', 'e\u0301', '\u{20000}'])];
    const rnd = prng(1717);
    const wrong: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      let s = '';
      for (let n = Math.floor(rnd() * 12); n > 0; n--) s += pool[Math.floor(rnd() * pool.length)];
      if (normaliseText(s) !== slow(s)) wrong.push(s);
    }
    for (const u of fixtureUtterances()) if (normaliseText(u.text) !== slow(u.text)) wrong.push(u.text);
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  // The reference matcher tries every pattern (60 000 with the shipped lexicons) at every position: each of the two
  // tests below takes about a minute alone on a slow 2-core VM and twice that beside the rest of the suite.
  const REFERENCE_TIMEOUT_MS = 600_000;
  const calls = variedCalls(lex, { seed: 1616, targetBytes: 160_000, perCall: 20 });
  const segments = calls.flat();

  it('matchText: the same hits for every utterance, in both languages, for every speaker and a category subset', () => {
    let compared = 0;
    let hits = 0;
    const differ: string[] = [];
    for (const seg of segments) {
      for (const language of ['zh', 'en'] as const) {
        for (const [categories, speaker] of [
          [undefined, undefined],
          [undefined, 'agent'],
          [undefined, 'customer'],
          [['banned', 'filler', 'self_identification'], 'unknown'],
        ] as const) {
          const a = fast.matchText(seg.text, language, categories, speaker).map(matchFields);
          const b = reference.matchText(seg.text, language, categories, speaker).map(matchFields);
          compared++;
          hits += b.length;
          if (!isDeepStrictEqual(a, b) && differ.length < 5) differ.push(JSON.stringify({ text: seg.text, language, speaker, fast: a, reference: b }));
        }
      }
    }
    expect(differ).toEqual([]);
    // the corpus exercises what it should: many hits, fuzzy ones, quoted ones, exceptions
    expect(compared).toBeGreaterThan(10_000);
    expect(hits).toBeGreaterThan(10_000);
  }, REFERENCE_TIMEOUT_MS);

  it('matchTranscript: the same hits, times, speakers, confidences and echo drops over whole calls', () => {
    const options = MATCH_OPTION_SETS;
    const differ: string[] = [];
    let hits = 0;
    let fuzzy = 0;
    let quoted = 0;
    for (const segs of calls) {
      for (const o of options) {
        const a = withIds(fast.matchTranscript(segs, o));
        const b = withIds(reference.matchTranscript(segs, o));
        hits += b.length;
        fuzzy += b.filter((h) => h.fuzzy).length;
        quoted += b.filter((h) => h.quoted).length;
        if (!isDeepStrictEqual(a, b) && differ.length < 3) {
          const i = a.findIndex((h, k) => !isDeepStrictEqual(h, b[k]));
          differ.push(JSON.stringify({ options: o, at: i, fast: a[i], reference: b[i] }));
        }
      }
    }
    expect(differ).toEqual([]);
    // a matcher of one category's entries finds what the full one finds for that category (the hallucination guard)
    for (const category of ['hallucination', 'banned'] as const) {
      const only = matcherFor(lex, ['东方有线', 'Northwind Telecom'], [category]);
      for (const segs of calls) {
        const a = withIds(only.matchTranscript(segs, { categories: [category] }));
        const b = withIds(fast.matchTranscript(segs, { categories: [category] }));
        if (!isDeepStrictEqual(a, b) && differ.length < 3) differ.push(JSON.stringify({ category, only: a, full: b }));
      }
    }
    expect(differ).toEqual([]);
    expect(hits).toBeGreaterThan(5_000);
    expect(fuzzy).toBeGreaterThan(50);
    expect(quoted).toBeGreaterThan(20);
  }, REFERENCE_TIMEOUT_MS);
});
