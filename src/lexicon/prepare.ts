// natural's index pulls in storage back-ends that load dotenv (which prints to stdout): import submodules only.
// The stemmer's own file, not the stemmers' index, which loads a dozen languages' stemmers and stop words
// (70 ms of module evaluation at every start, in every --jobs worker thread too; measured).
import { Metaphone } from 'natural/lib/natural/phonetics/index.js';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { pinyin } from 'pinyin-pro';
import { foldVariants, simpleUnit, toSimplifiedChinese } from '../core/normalise.js';
import { countHan, countLatinWords } from '../core/text-count.js';

/**
 * Turning an utterance into what the automata read. Chinese: the compact normalised text (简体, NFKC,
 * lower-case, no punctuation or spaces) as code points. English: normalised tokens from natural's tokenizer,
 * stemmed with PorterStemmer. Both keep where the speaker paused (punctuation in the ASR output, or a space
 * between two Chinese characters) so fillers such as 那个 / "like" can be told from their ordinary use.
 */

/** Punctuation that marks a pause. Apostrophes and hyphens are not pauses ("don't", "follow-up"). */
const PAUSE_PUNCT = /[,.!?;:…，。！？；：、‚·"“”()（）「」『』《》\[\]【】~～—–]+/gu;
const HAN = /\p{Script=Han}/u;

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
  /** Porter stems of `words` (empty when not asked for: the matcher caches stems per word itself) */
  stems: string[];
  pauseAfter: boolean[];
}

const PUNCT = /[\p{P}\p{S}\u3000-\u303f\uff00-\uff0f\uff1a-\uff20]/u;
const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;

/** What the scanner does with a character: drop it as a separator, mark a pause, or keep it. */
const SEP = 0;
const PAUSE_MARK = 1;
const KEEP = 2;
const KEEP_WORD = 3; // kept, and a letter or digit (English token character)

/**
 * One classification per BMP code point, from the same character classes the regular-expression version used:
 * pause punctuation -> PAUSE_MARK; other punctuation, symbols and whitespace -> SEP; letters and digits ->
 * KEEP_WORD; anything else -> KEEP (Chinese matching keeps it, English tokenising splits on it). Built once
 * (65,536 tests, a few ms); astral characters are classified on the fly.
 */
let classTable: Uint8Array | null = null;
function classOf(cp: number): number {
  if (cp <= 0xffff) {
    if (!classTable) {
      classTable = new Uint8Array(0x10000);
      for (let c = 0; c <= 0xffff; c++) classTable[c] = classify(String.fromCharCode(c));
    }
    return classTable[cp];
  }
  return classify(String.fromCodePoint(cp));
}
/** The scanner class of a code point (exported for the matcher's English scan). */
export const charClass = classOf;
export const SEP_CLASS = SEP;
export const PAUSE_CLASS = PAUSE_MARK;
export const KEEP_WORD_CLASS = KEEP_WORD;
function classify(ch: string): number {
  PAUSE_PUNCT.lastIndex = 0;
  if (PAUSE_PUNCT.test(ch)) return PAUSE_MARK;
  if (PUNCT.test(ch) || SPACE.test(ch)) return SEP;
  return WORD.test(ch) ? KEEP_WORD : KEEP;
}

/**
 * NFKC, Traditional -> Simplified (only when the text holds a character OpenCC would change) with its variants
 * folded (帐 -> 账, core/normalise.ts foldVariants), lower case: the
 * normalisation of core/normalise.ts; punctuation and spacing are read by the scanners below from the table.
 */
export function normaliseChars(raw: string): string {
  // an utterance matched in both languages (code-switched) is normalised once, not once per language
  if (raw === lastRaw) return lastNorm;
  let s = raw.normalize('NFKC');
  if (HAN.test(s)) s = foldVariants(toSimplifiedChinese(s));
  lastRaw = raw;
  return (lastNorm = s.toLowerCase());
}
let lastRaw = '';
let lastNorm = '';

/** Han code points (CJK unified ideographs, extension A, compatibility, extensions B+). */
export function isHanCodePoint(cp: number): boolean {
  return isHanCp(cp);
}
function isHanCp(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3134f);
}

/**
 * Per-character normalisation, for the usual utterance. normaliseChars runs three whole-string passes (NFKC,
 * OpenCC, lower case), each allocating a string; for a string of "simple" characters (core/normalise.ts simpleUnit)
 * the result is the concatenation of each character's own, so a table lookup per UTF-16 unit gives it with no
 * allocation. Anything else sends the whole string down normaliseChars. Computed lazily per code unit.
 *
 * Table value: 0 = not computed; bit 0 computed, bit 1 complex, bit 2 the raw unit is Han script (language choice),
 * bit 3 the normalised character is a Han code point, bits 4-5 its scanner class, bits 8-23 the normalised character.
 */
const INFO_KNOWN = 1;
const INFO_COMPLEX = 2;
const INFO_HAN_SCRIPT = 4;
const INFO_HAN_CP = 8;
const charInfo = new Int32Array(0x10000);
function computeInfo(c: number): number {
  const flags = INFO_KNOWN | (HAN.test(String.fromCharCode(c)) ? INFO_HAN_SCRIPT : 0);
  const m = simpleUnit(c);
  if (m < 0) return flags | INFO_COMPLEX;
  return flags | (isHanCp(m) ? INFO_HAN_CP : 0) | (classOf(m) << 4) | (m << 8);
}
function infoOf(c: number): number {
  const v = charInfo[c];
  return v !== 0 ? v : (charInfo[c] = computeInfo(c));
}

/** Whether the per-character path applies to `raw` (no character needs the whole-string normalisation). */
function allSimple(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) if ((infoOf(raw.charCodeAt(i)) & INFO_COMPLEX) !== 0) return false;
  return true;
}

let unitBuf = new Uint16Array(256);
const utf16 = new TextDecoder('utf-16le');
/**
 * normaliseChars(raw), by the per-character table when every character is simple: `raw` itself when nothing
 * changes (most English and Simplified text), else the mapped string. Exported for the parity test.
 */
export function normaliseFast(raw: string): string {
  if (!allSimple(raw)) return normaliseChars(raw);
  const n = raw.length;
  let i = 0;
  for (; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (charInfo[c] >>> 8 !== c) break;
  }
  if (i === n) return raw;
  if (unitBuf.length < n) unitBuf = new Uint16Array(n * 2);
  for (let k = 0; k < n; k++) unitBuf[k] = charInfo[raw.charCodeAt(k)] >>> 8;
  if (n <= 2048) return String.fromCharCode.apply(null, unitBuf.subarray(0, n) as unknown as number[]);
  return utf16.decode(unitBuf.subarray(0, n));
}

/** The Han-script test of hasHan, by the table for BMP text. */
export function hasHanFast(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return HAN.test(raw);
    if (c >= 0x2e80 && (infoOf(c) & INFO_HAN_SCRIPT) !== 0) return true;
  }
  return false;
}

/** Reusable buffers for one utterance's Chinese symbols (grown as needed; valid until the next scan). */
export interface ZhScratch {
  chars: Int32Array;
  /** 1 where a pause follows the character */
  pause: Uint8Array;
}
export function newZhScratch(): ZhScratch {
  return { chars: new Int32Array(256), pause: new Uint8Array(256) };
}

/**
 * The compact normalised text of an utterance as code points into `buf` (no allocation per character), with
 * where the speaker paused; returns how many characters and the compact text.
 */
export function scanZh(raw: string, buf: ZhScratch): { length: number; text: string } {
  const length = scanZhInto(raw, buf);
  return { length, text: codePointsToString(buf.chars, 0, length) };
}

/** String of code points [from, to) of `cps` (short BMP runs, the usual matched phrase, without a view or array). */
export function codePointsToString(cps: Int32Array, from: number, to: number): string {
  const n = to - from;
  if (n <= 6) {
    let bmp = true;
    for (let i = from; i < to; i++) if (cps[i] > 0xffff) bmp = false;
    if (bmp) {
      const f = String.fromCharCode;
      switch (n) {
        case 0:
          return '';
        case 1:
          return f(cps[from]);
        case 2:
          return f(cps[from], cps[from + 1]);
        case 3:
          return f(cps[from], cps[from + 1], cps[from + 2]);
        case 4:
          return f(cps[from], cps[from + 1], cps[from + 2], cps[from + 3]);
        case 5:
          return f(cps[from], cps[from + 1], cps[from + 2], cps[from + 3], cps[from + 4]);
        default:
          return f(cps[from], cps[from + 1], cps[from + 2], cps[from + 3], cps[from + 4], cps[from + 5]);
      }
    }
  }
  let s = '';
  for (let i = from; i < to; i += 1024) s += String.fromCodePoint.apply(null, cps.subarray(i, Math.min(to, i + 1024)) as unknown as number[]);
  return s;
}

/**
 * scanZh without building the text: the compact code points and pauses into `buf`, returns how many. Simple
 * strings are read straight from the per-character table (no intermediate string); others are normalised whole.
 */
export function scanZhInto(raw: string, buf: ZhScratch): number {
  const simple = allSimple(raw);
  const norm = simple ? raw : normaliseChars(raw);
  if (buf.chars.length < norm.length) {
    buf.chars = new Int32Array(norm.length * 2);
    buf.pause = new Uint8Array(norm.length * 2);
  }
  const chars = buf.chars;
  const pause = buf.pause;
  let n = 0;
  let prevHan = false;
  let pendingSpace = false;
  /** spaces between Han characters, and Han characters: is the utterance word-spaced? (settleSpaces) */
  let spaces = 0;
  let hanCount = 0;
  if (simple) {
    for (let i = 0; i < raw.length; i++) {
      const info = charInfo[raw.charCodeAt(i)];
      const cls = (info >>> 4) & 3;
      if (cls === PAUSE_MARK) {
        if (n) pause[n - 1] = 1;
        pendingSpace = false;
        continue;
      }
      if (cls === SEP) {
        pendingSpace = true;
        continue;
      }
      const han = (info & INFO_HAN_CP) !== 0;
      // whisper writes pauses in Chinese as spaces between characters (2: a space, settled at the end)
      if (pendingSpace && han && prevHan && n && pause[n - 1] !== 1) {
        pause[n - 1] = 2;
        spaces++;
      }
      if (han) hanCount++;
      pendingSpace = false;
      chars[n] = info >>> 8;
      pause[n] = 0;
      n++;
      prevHan = han;
    }
    return settleSpaces(pause, n, spaces, hanCount);
  }
  for (let i = 0; i < norm.length; i++) {
    const cp = norm.codePointAt(i)!;
    const wide = cp > 0xffff;
    const cls = classOf(cp);
    if (cls === PAUSE_MARK || cls === SEP) {
      if (cls === PAUSE_MARK) {
        if (n) pause[n - 1] = 1;
        pendingSpace = false;
      } else pendingSpace = true;
      if (wide) i++;
      continue;
    }
    const han = isHanCp(cp);
    if (pendingSpace && han && prevHan && n && pause[n - 1] !== 1) {
      pause[n - 1] = 2;
      spaces++;
    }
    if (han) hanCount++;
    pendingSpace = false;
    chars[n] = cp;
    pause[n] = 0;
    n++;
    prevHan = han;
    if (wide) i++;
  }
  return settleSpaces(pause, n, spaces, hanCount);
}

/**
 * Spaces between Chinese characters are pauses in whisper's output (您好 这里是星河银行 请问…), but some recognisers
 * put a space between every word (您好 公积金 中心 热线 工号 三三零七): there, a space says nothing about a pause. An
 * utterance with at least WORD_SPACED_MIN such spaces, one for every WORD_SPACED_HAN_PER_SPACE Han characters or
 * fewer, is word-spaced and its spaces are not pauses; punctuation always is. Returns n.
 */
function settleSpaces(pause: Uint8Array, n: number, spaces: number, hanCount: number): number {
  const wordSpaced = spaces >= WORD_SPACED_MIN && spaces * WORD_SPACED_HAN_PER_SPACE >= hanCount;
  if (spaces > 0) for (let i = 0; i < n; i++) if (pause[i] === 2) pause[i] = wordSpaced ? 0 : 1;
  if (n) pause[n - 1] = 1;
  return n;
}

/** a word-spaced utterance: at least this many spaces between Han characters … */
export const WORD_SPACED_MIN = 4;
/** … one for every this many Han characters or fewer (whisper's pauses come every 6-15 characters; words every 1-3) */
export const WORD_SPACED_HAN_PER_SPACE = 3.5;

const phraseScratch = newZhScratch();
export function prepareZh(raw: string): PreparedZh {
  const buf = phraseScratch;
  const { length, text } = scanZh(raw, buf);
  return { chars: Array.from(buf.chars.subarray(0, length)), pauseAfter: Array.from(buf.pause.subarray(0, length), (x) => x === 1), text };
}

const stemCache = new Map<string, string>();
/** words whose Porter stem is another common word: "one" would match "on" ("that one you'll pay" is not "that's on you"), "its" would match "it", "likely" the filler "like" */
const KEEP_UNSTEMMED = new Set(['one', 'ones', 'its', 'likely']);
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = /^\d+$/.test(word) || KEEP_UNSTEMMED.has(word) ? word : PorterStemmer.stem(word);
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/**
 * English tokens: runs of letters and digits (what natural's RegexpTokenizer with [^\p{L}\p{N}]+ gave), a pause
 * after a token where pause punctuation follows; a token holding Chinese is a pause for the English matcher.
 */
export function prepareEn(raw: string, withStems = true): PreparedEn {
  const norm = normaliseFast(raw);
  const words: string[] = [];
  const pauseAfter: boolean[] = [];
  let start = -1;
  let han = false;
  const flush = (end: number) => {
    if (start < 0) return;
    if (han) {
      if (words.length) pauseAfter[words.length - 1] = true;
    } else {
      words.push(norm.slice(start, end));
      pauseAfter.push(false);
    }
    start = -1;
    han = false;
  };
  for (let i = 0; i < norm.length; i++) {
    const cp = norm.codePointAt(i)!;
    const cls = classOf(cp);
    if (cls === KEEP_WORD) {
      if (start < 0) start = i;
      if (isHanCp(cp)) han = true;
    } else {
      flush(i);
      if (cls === PAUSE_MARK && words.length) pauseAfter[words.length - 1] = true;
    }
    if (cp > 0xffff) i++;
  }
  flush(norm.length);
  if (words.length) pauseAfter[words.length - 1] = true;
  return { words, stems: withStems ? words.map(stem) : [], pauseAfter };
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
export function collapseNumbersZh(chars: ArrayLike<number>): { chars: number[]; span: [number, number][] } | null {
  // cheap pre-check: most utterances hold no digit or numeral at all
  let any = false;
  for (let i = 0; i < chars.length && !any; i++) if (isDigitCp(chars[i]) || ZH_NUMERAL_CPS.has(chars[i])) any = true;
  if (!any) return null;
  const out: number[] = [];
  const span: [number, number][] = [];
  let found = false;
  for (let i = 0; i < chars.length; ) {
    const isDigit = isDigitCp(chars[i]);
    if (isDigit || ZH_NUMERAL_CPS.has(chars[i])) {
      let j = i;
      while (j < chars.length && (isDigit ? isDigitCp(chars[j]) : ZH_NUMERAL_CPS.has(chars[j]))) j++;
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

const isDigitCp = (c: number) => c >= 0x30 && c <= 0x39;
/** Chinese numerals for `{n}` (十/百/千 too: 九十五号坐席 is seat 95; 幺 两 洞 拐 as digits are read on the phone: 洞幺幺九 is 0119) */
export const ZH_NUMERALS = '零〇一二三四五六七八九幺两洞拐十百千';
const ZH_NUMERAL_CPS = new Set([...ZH_NUMERALS].map((c) => c.codePointAt(0)!));

/**
 * English number words: a run of two or more of them ("four two zero eight", a staff number as the recogniser
 * sometimes writes it) reads as one number for `{n}` patterns, as does any run holding a digits-only word. (The
 * matcher also ends a run at a pause; this token-level version has no pauses to see.)
 */
export const EN_NUMBER_WORDS: ReadonlySet<string> = new Set(
  'zero oh one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand'.split(' '),
);

export function collapseNumbersEn(tokens: readonly string[]): { tokens: string[]; span: [number, number][] } | null {
  let found = false;
  const out: string[] = [];
  const span: [number, number][] = [];
  const isDigits = (t: string) => /^\d+$/.test(t);
  const isNumber = (t: string) => isDigits(t) || EN_NUMBER_WORDS.has(t);
  for (let i = 0; i < tokens.length; ) {
    if (isNumber(tokens[i])) {
      let j = i;
      let digits = false;
      for (; j < tokens.length && isNumber(tokens[j]); j++) if (isDigits(tokens[j])) digits = true;
      if (digits || j - i >= 2) {
        found = true;
        out.push(NUM_TOKEN);
        span.push([i, j]);
        i = j;
        continue;
      }
    }
    out.push(tokens[i]);
    span.push([i, i + 1]);
    i++;
  }
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
export const latinWordCount = countLatinWords;


export const hanCount = countHan;
