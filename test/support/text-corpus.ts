/**
 * A varied, reproducible transcript corpus for checking and timing text matching: every labelled dialogue
 * (authored and both blind sets) and the personal-data texts, recombined into calls and rewritten the ways real
 * transcripts differ. Both languages and mixed; Traditional (OpenCC cn -> tw) and Simplified; whisper's spacing
 * between Chinese characters; punctuation dropped; full-width and upper-case Latin; lexicon phrases and their
 * exceptions dropped into the text (repeated, quoted back, next to numbers); homophone and misspelt variants for
 * fuzzy matching; and characters that test normalisation (combining accents, compatibility ideographs, astral
 * characters, İ and Σ, Hangul jamo). Nothing here is a utterance repeated verbatim many times: a matcher cannot
 * look faster on it by remembering whole utterances.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js';
import { normaliseText } from '../../src/core/normalise.js';
import type { Speaker, TranscriptSegment } from '../../src/core/types.js';
import { pinyinKey } from '../../src/lexicon/prepare.js';
import type { MatchTranscriptOptions } from '../../src/lexicon/matcher.js';
import type { LoadedLexicons } from '../../src/lexicon/schema.js';
import { prng } from './prng.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures');

interface RawSegment {
  speaker: Speaker;
  start: number;
  end: number;
  text: string;
}

/** Every utterance of the labelled dialogue sets, in file order. */
export function fixtureUtterances(): RawSegment[] {
  const out: RawSegment[] = [];
  for (const set of ['dialogues', 'dialogues-blind', 'dialogues-blind2']) {
    const dir = join(fixtures, set);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const d = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { segments: RawSegment[] };
      out.push(...d.segments);
    }
  }
  for (const f of ['pii-blind.json', 'pii-labelled.json']) {
    for (const c of JSON.parse(readFileSync(join(fixtures, f), 'utf8')) as { text: string }[]) {
      out.push({ speaker: 'customer', start: 0, end: 4, text: c.text });
    }
  }
  return out;
}

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
const HAN = /\p{Script=Han}/u;
const ODD = ['é', 'e\u0301', 'İ', 'ΣΑΣ', 'ﬁ', '①', '㈱', '\uf900', '\u{20000}', '😀', '\u1100\u1161', 'Ａ', '１２３', 'ｶﾞ', '\u3000', '…', '～', '·'];
const JOIN = ['', ' ', '，', '。', ', ', '. ', '? ', '、', '…', '  ', '！'];
const NUMBERS = ['1024', '13812345678', '幺三八', '一二三四五', '二十', '7', 'two', '45', '零零七'];

export interface CorpusOptions {
  seed?: number;
  /** stop when the texts reach this many UTF-8 bytes */
  targetBytes: number;
  /** utterances per call */
  perCall?: number;
}

/** Calls (segment lists) of varied transcript text; deterministic for a seed. */
export function variedCalls(lex: LoadedLexicons, o: CorpusOptions): TranscriptSegment[][] {
  const rnd = prng(o.seed ?? 16);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const base = fixtureUtterances();
  const phrases = lex.entries.flatMap((e) => [...e.phrases, ...e.exceptions]).map((p) => p.replace(/\{n\}/g, () => pick(NUMBERS)));
  const quotes = [...lex.quoteMarkers.zh, ...lex.quoteMarkers.en];
  // homophones: Han characters of the corpus grouped by the fuzzy matcher's pinyin key
  const bySound = new Map<string, string[]>();
  for (const ch of new Set([...base.map((s) => s.text).join(''), ...phrases.join('')])) {
    if (!HAN.test(ch)) continue;
    const k = pinyinKey(ch.codePointAt(0)!);
    const g = bySound.get(k);
    if (g) g.push(ch);
    else bySound.set(k, [ch]);
  }
  const homophone = (s: string) =>
    [...s].map((ch) => (HAN.test(ch) && rnd() < 0.3 ? pick(bySound.get(pinyinKey(ch.codePointAt(0)!)) ?? [ch]) : ch)).join('');
  const misspell = (s: string) =>
    s.replace(/[a-z]{4,}/g, (w) => {
      if (rnd() < 0.5) return w;
      const i = 1 + Math.floor(rnd() * (w.length - 2));
      return rnd() < 0.5 ? w.slice(0, i) + w.slice(i + 1) : w.slice(0, i) + w[i] + w.slice(i);
    });

  const variant = (text: string): string => {
    let t = text;
    const r = rnd();
    if (r < 0.12) t = toTraditional(t);
    else if (r < 0.22) t = t.replace(/(\p{Script=Han})(?=\p{Script=Han})/gu, '$1 '); // whisper's spacing
    else if (r < 0.3) t = t.replace(/[\p{P}]/gu, rnd() < 0.5 ? '' : ' ');
    else if (r < 0.36) t = t.toUpperCase();
    else if (r < 0.42) t = t.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)); // full-width
    else if (r < 0.5) t = homophone(t);
    else if (r < 0.56) t = misspell(t);
    // lexicon phrases and exceptions dropped in, sometimes repeated, quoted back, or next to numbers and odd characters
    const inserts = Math.floor(rnd() * 4);
    for (let k = 0; k < inserts; k++) {
      let p = pick(phrases);
      const q = rnd();
      if (q < 0.15) p = `${p}${pick(JOIN)}${p}`;
      else if (q < 0.3) p = `${pick(quotes)}${pick(JOIN)}${p}`;
      else if (q < 0.4) p = `${p}${pick(NUMBERS)}`;
      else if (q < 0.5) p = homophone(p);
      else if (q < 0.55) p = misspell(p);
      else if (q < 0.62) p = toTraditional(p);
      else if (q < 0.66) p = `${pick(ODD)}${p}${pick(ODD)}`;
      const at = rnd() < 0.5 ? t.length : Math.floor(rnd() * (t.length + 1));
      t = t.slice(0, at) + pick(JOIN) + p + pick(JOIN) + t.slice(at);
    }
    if (rnd() < 0.03) t = '';
    return t;
  };

  const perCall = o.perCall ?? 24;
  const calls: TranscriptSegment[][] = [];
  let bytes = 0;
  while (bytes < o.targetBytes) {
    const segs: TranscriptSegment[] = [];
    let at = rnd() * 3;
    for (let i = 0; i < perCall && bytes < o.targetBytes; i++) {
      const s = pick(base);
      const text = variant(s.text);
      const dur = 0.5 + rnd() * 8;
      const speaker: Speaker = rnd() < 0.1 ? 'unknown' : rnd() < 0.5 ? 'customer' : s.speaker;
      segs.push({ speaker, start: Math.round(at * 100) / 100, end: Math.round((at + dur) * 100) / 100, text, normText: normaliseText(text) });
      at += dur + rnd() * 3;
      bytes += Buffer.byteLength(text, 'utf8');
    }
    calls.push(segs);
  }
  return calls;
}

/** matchTranscript options the matcher comparisons run every call through: both languages, auto, a category subset, echo and speaker settings. */
export const MATCH_OPTION_SETS: readonly Partial<MatchTranscriptOptions>[] = [
  {},
  { language: 'zh' },
  { language: 'en' },
  { categories: ['hallucination'] },
  { categories: ['banned'], echoWindowSec: 5, unknownSpeakerConfidence: 0.4, mixedMinLatinWords: 1 },
];
