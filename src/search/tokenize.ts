/**
 * Search tokens for transcripts, Chinese and English, with no database extension: Chinese as overlapping
 * character bigrams (plus the last character of each run, so a one-character query finds it anywhere), English
 * and digits as words. Text is normalised first (NFKC, so decomposed accents and Hangul jamo are their precomposed
 * letters; Traditional -> Simplified, full-width -> half-width, case, final sigma, punctuation), and spaces ASR puts
 * between Chinese characters are dropped before the conversion, so "請 問" is found by "请问" and "瞭 解" by "了解".
 * Pure; the store turns tokens into a tsvector with explicit positions (same on PGlite and PostgreSQL).
 */
import { normaliseText } from '../core/normalise.js';

const HAN = /\p{Script=Han}/u;

export interface Token {
  token: string;
  /** 1-based position (a tsvector position) */
  pos: number;
}

const HAN_SPACE = /(\p{Script=Han})\s+(?=\p{Script=Han})/gu;

/**
 * The text as the index and the query see it: normalised, no spaces between Chinese characters, final sigma as σ.
 * The spaces ASR puts between Chinese characters go before the Traditional -> Simplified conversion, which converts
 * some characters by the word they are in (瞭解 -> 了解, while 瞭 alone stays 瞭): "瞭 解" is found by 了解. Punctuation
 * between them is a word boundary to OpenCC, then dropped like a space. ς is σ at the end of a word: lower-casing
 * gives ς or σ by what follows (ΟΔΟΣ -> οδος), and people type either.
 */
export function searchNormalise(text: string): string {
  const norm = normaliseText(text.replace(HAN_SPACE, '$1')).replace(HAN_SPACE, '$1');
  return norm.includes('ς') ? norm.replace(/ς/g, 'σ') : norm;
}

/** Runs of Chinese characters and of Latin letters/digits, in order. */
export function segmentRuns(norm: string): Array<{ kind: 'han' | 'word'; text: string }> {
  const out: Array<{ kind: 'han' | 'word'; text: string }> = [];
  for (const m of norm.matchAll(/(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu)) {
    if (m[1]) out.push({ kind: 'han', text: m[1] });
    else if (m[2]) out.push({ kind: 'word', text: m[2] });
  }
  return out;
}

/** A `*` right after a Latin letter or digit: the word before it is a prefix (refund* finds refunds, refunded). */
const PREFIX_STAR = /(?<=(?!\p{Script=Han})[\p{L}\p{N}])\*/u;

/**
 * The runs of a query phrase, as segmentRuns, with `prefix` on a word written with a `*` after it (refund*):
 * any word starting so. A `*` anywhere else is punctuation, as in the index.
 */
export function phraseRuns(text: string): Array<{ kind: 'han' | 'word'; text: string; prefix: boolean }> {
  const chunks = text.split(PREFIX_STAR);
  const out: Array<{ kind: 'han' | 'word'; text: string; prefix: boolean }> = [];
  for (const [i, chunk] of chunks.entries()) {
    const runs = segmentRuns(searchNormalise(chunk)).map((r) => ({ ...r, prefix: false }));
    const last = runs[runs.length - 1];
    if (i < chunks.length - 1 && last?.kind === 'word') last.prefix = true;
    out.push(...runs);
  }
  return out;
}

/** Index tokens of one utterance. A Chinese run of n characters gives n-1 bigrams and its last character. */
export function indexTokens(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 1;
  for (const run of segmentRuns(searchNormalise(text))) {
    if (run.kind === 'word') {
      tokens.push({ token: run.text, pos: pos++ });
      continue;
    }
    const chars = [...run.text];
    for (let i = 0; i + 1 < chars.length; i++) tokens.push({ token: chars[i]! + chars[i + 1]!, pos: pos++ });
    tokens.push({ token: chars[chars.length - 1]!, pos: pos++ });
  }
  return tokens;
}

/** A tsvector literal ('tok':1 'tok2':2 ...) with positions as given; positions above 16383 are clamped by PostgreSQL. */
export function tsvectorLiteral(tokens: readonly Token[]): string {
  return tokens.map((t) => `${quoteLexeme(t.token)}:${Math.min(16383, t.pos)}`).join(' ');
}

export function quoteLexeme(s: string): string {
  // most lexemes hold neither: no regex pass over them (a long query compiles one lexeme per word or bigram)
  if (!s.includes("'") && !s.includes('\\')) return `'${s}'`;
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export function isHan(s: string): boolean {
  return HAN.test(s);
}
