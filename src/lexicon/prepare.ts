// natural's index pulls in storage back-ends that load dotenv (which prints to stdout): import submodules only.
import { Metaphone } from 'natural/lib/natural/phonetics/index.js';
import { PorterStemmer } from 'natural/lib/natural/stemmers/index.js';
import { RegexpTokenizer } from 'natural/lib/natural/tokenizers/index.js';
import { pinyin } from 'pinyin-pro';
import { normaliseText } from '../core/normalise.js';

/**
 * Turning an utterance into what the automata read. Chinese: the compact normalised text (简体, NFKC,
 * lower-case, no punctuation or spaces) as code points. English: normalised tokens from natural's tokenizer,
 * stemmed with PorterStemmer. Both keep where the speaker paused (punctuation in the ASR output, or a space
 * between two Chinese characters) so fillers such as 那个 / "like" can be told from their ordinary use.
 */

/** Punctuation that marks a pause. Apostrophes and hyphens are not pauses ("don't", "follow-up"). */
const PAUSE_PUNCT = /[,.!?;:…，。！？；：、‚·"“”()（）「」『』《》\[\]【】~～—–]+/gu;
const PAUSE = '\u0001';
const HAN = /\p{Script=Han}/u;
const DIGIT = /[0-9]/;
/** Chinese numerals as ASR writes digits read out one by one (幺零二四). */
const ZH_NUMERAL = /[零〇一二三四五六七八九幺两]/;

export interface PreparedZh {
  /** compact normalised text as code points */
  chars: number[];
  /** pauseAfter[i]: a pause follows character i */
  pauseAfter: boolean[];
  text: string;
}

export interface PreparedEn {
  /** normalised surface tokens */
  words: string[];
  /** Porter stems of `words` */
  stems: string[];
  pauseAfter: boolean[];
}

const PUNCT = /[\p{P}\p{S}\u3000-\u303f\uff00-\uff0f\uff1a-\uff20]/gu;

/**
 * Normalise but keep pause marks as \u0001 (normaliseText only strips P/S categories; \u0001 survives).
 * Text without Han characters skips the OpenCC conversion (it only changes Chinese) — same result, faster.
 */
function normaliseWithPauses(raw: string): string {
  const marked = raw.normalize('NFKC').replace(PAUSE_PUNCT, ` ${PAUSE} `);
  if (HAN.test(marked)) return normaliseText(marked);
  return marked.toLowerCase().replace(PUNCT, ' ').replace(/\s+/g, ' ').trim();
}

/** Han code points (CJK unified ideographs, extension A, compatibility, extensions B+). */
function isHanCp(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3134f);
}

export function prepareZh(raw: string): PreparedZh {
  const norm = normaliseWithPauses(raw);
  const chars: number[] = [];
  const pauseAfter: boolean[] = [];
  let prevHan = false;
  let pendingSpace = false;
  let text = '';
  for (const ch of norm) {
    if (ch === PAUSE) {
      if (chars.length) pauseAfter[chars.length - 1] = true;
      pendingSpace = false;
      continue;
    }
    if (ch === ' ') {
      pendingSpace = true;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    const han = isHanCp(cp);
    // whisper writes pauses in Chinese as spaces between characters
    if (pendingSpace && han && prevHan && chars.length) pauseAfter[chars.length - 1] = true;
    pendingSpace = false;
    chars.push(cp);
    pauseAfter.push(false);
    text += ch;
    prevHan = han;
  }
  if (chars.length) pauseAfter[chars.length - 1] = true;
  return { chars, pauseAfter, text };
}

const tokenizer = new RegexpTokenizer({ pattern: /[^\p{L}\p{N}\u0001]+/u });
const stemCache = new Map<string, string>();
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = /^\d+$/.test(word) ? word : PorterStemmer.stem(word);
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

export function prepareEn(raw: string): PreparedEn {
  const norm = normaliseWithPauses(raw);
  const words: string[] = [];
  const pauseAfter: boolean[] = [];
  for (const tok of tokenizer.tokenize(norm.replace(/\u0001/g, ` ${PAUSE} `))) {
    if (tok === PAUSE) {
      if (words.length) pauseAfter[words.length - 1] = true;
      continue;
    }
    if (HAN.test(tok)) {
      // a Chinese run inside an English utterance is a pause for the English matcher
      if (words.length) pauseAfter[words.length - 1] = true;
      continue;
    }
    words.push(tok);
    pauseAfter.push(false);
  }
  if (words.length) pauseAfter[words.length - 1] = true;
  return { words, stems: words.map(stem), pauseAfter };
}

/** A phrase as English match tokens (normalised, tokenised, stemmed); `{n}` stays a placeholder token. */
export function phraseTokensEn(phrase: string): string[] {
  return phrase
    .split('{n}')
    .map((part) => prepareEn(part).stems)
    .flatMap((toks, i) => (i === 0 ? toks : [NUM_TOKEN, ...toks]));
}

/** A phrase as Chinese code points; `{n}` becomes the number placeholder. */
export function phraseCharsZh(phrase: string): number[] {
  return phrase
    .split('{n}')
    .map((part) => prepareZh(part).chars)
    .flatMap((cs, i) => (i === 0 ? cs : [NUM_CHAR, ...cs]));
}

export const NUM_TOKEN = '\u0000num';
export const NUM_CHAR = 0xe000;

/**
 * Collapse number runs to one placeholder for `{n}` patterns: ASCII digit runs, and runs of three or more
 * Chinese numerals (fewer would catch 一下 / 一一). Returns the collapsed symbols and, per collapsed
 * position, the [start, end) range in the original.
 */
export function collapseNumbersZh(chars: readonly number[]): { chars: number[]; span: [number, number][] } | null {
  const out: number[] = [];
  const span: [number, number][] = [];
  let found = false;
  for (let i = 0; i < chars.length; ) {
    const ch = String.fromCodePoint(chars[i]);
    const isDigit = DIGIT.test(ch);
    if (isDigit || ZH_NUMERAL.test(ch)) {
      let j = i;
      const cls = isDigit ? DIGIT : ZH_NUMERAL;
      while (j < chars.length && cls.test(String.fromCodePoint(chars[j]))) j++;
      if (isDigit || j - i >= 3) {
        out.push(NUM_CHAR);
        span.push([i, j]);
        found = true;
        i = j;
        continue;
      }
    }
    out.push(chars[i]);
    span.push([i, i + 1]);
    i++;
  }
  return found ? { chars: out, span } : null;
}

export function collapseNumbersEn(tokens: readonly string[]): { tokens: string[]; span: [number, number][] } | null {
  let found = false;
  const out: string[] = [];
  const span: [number, number][] = [];
  tokens.forEach((t, i) => {
    if (/^\d+$/.test(t)) {
      found = true;
      out.push(NUM_TOKEN);
    } else out.push(t);
    span.push([i, i + 1]);
  });
  return found ? { tokens: out, span } : null;
}

/**
 * Loose pinyin key of one character for homophone matching: toneless, and with the distinctions Mandarin
 * ASR and southern accents blur most merged (zh/z, ch/c, sh/s, -ng/-n, l/n).
 */
const pinyinCache = new Map<number, string>();
export function pinyinKey(cp: number): string {
  let k = pinyinCache.get(cp);
  if (k === undefined) {
    const ch = String.fromCodePoint(cp);
    if (HAN.test(ch)) {
      k = pinyin(ch, { toneType: 'none', type: 'string' })
        .replace(/^([zcs])h/, '$1')
        .replace(/ng$/, 'n')
        .replace(/^l/, 'n');
    } else k = ch;
    pinyinCache.set(cp, k);
  }
  return k;
}

const metaphone = new Metaphone();
const metaCache = new Map<string, string>();
export function metaphoneKey(word: string): string {
  let k = metaCache.get(word);
  if (k === undefined) {
    k = /^\d+$/.test(word) ? word : metaphone.process(word) || word;
    if (metaCache.size > 200_000) metaCache.clear();
    metaCache.set(word, k);
  }
  return k;
}

export function hasHan(s: string): boolean {
  return HAN.test(s);
}

/** Count Latin-script words (for language choice on mixed utterances and English speech rate). */
export function latinWordCount(raw: string): number {
  return (raw.match(/[A-Za-z][A-Za-z'’-]*/g) ?? []).length;
}

export function hanCount(raw: string): number {
  return (raw.match(/\p{Script=Han}/gu) ?? []).length;
}
