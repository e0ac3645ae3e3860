import { DiceCoefficient, LevenshteinDistance } from 'natural/lib/natural/distance/index.js';
import { hasHan, normaliseText } from '../core/normalise.js';

/**
 * Text helpers for the rule engine: phrase containment and sentence similarity on normalised text.
 * Chinese is compared character-wise with spaces removed (no word segmentation needed); English on word
 * tokens so that "no" does not match inside "know".
 */

// natural is imported by its distance module only: its index pulls in storage back-ends that load dotenv,
// which prints banners to the console.

export interface PreparedText {
  /** normalised text with single spaces */
  norm: string;
  /** normalised text without spaces (what Chinese phrases are matched against) */
  compact: string;
  /** " word word " with guard spaces for whole-word English matching */
  padded: string;
}

export function prepareText(normText: string): PreparedText {
  return { norm: normText, compact: normText.replace(/ /g, ''), padded: ` ${normText} ` };
}

export interface PreparedPhrase {
  raw: string;
  norm: string;
  han: boolean;
  /** an English keyword with an apostrophe also without it ("don't know" -> "dont know"), as lexicon phrases */
  bare?: string;
}

/** contractions that, without the apostrophe, spell another common word (as src/lexicon/loader.ts) */
const OTHER_WORD_WITHOUT_APOSTROPHE = new Set(['its', 'well', 'were', 'ill', 'hell', 'shell', 'wont', 'lets', 'id', 'hed', 'shed', 'wed', 'cant', 'shes', 'hes']);

export function preparePhrase(raw: string): PreparedPhrase {
  const norm = normaliseText(raw);
  const han = hasHan(norm);
  if (!han && /['’]/.test(raw)) {
    // transcripts often drop apostrophes ("i dont know"); the normalised "don't" is "don t", which never meets "dont"
    const bare = normaliseText(raw.replace(/['’]/g, ''));
    if (bare && bare !== norm && !OTHER_WORD_WITHOUT_APOSTROPHE.has(bare)) return { raw, norm, han, bare };
  }
  return { raw, norm, han };
}

export function containsPhrase(text: PreparedText, phrase: PreparedPhrase): boolean {
  if (!phrase.norm) return false;
  if (phrase.han) return text.compact.includes(phrase.norm.replace(/ /g, ''));
  return text.padded.includes(` ${phrase.norm} `) || (phrase.bare !== undefined && text.padded.includes(` ${phrase.bare} `));
}

function tokens(norm: string): string[] {
  return norm.split(' ').filter(Boolean);
}

/**
 * Similarity 0..1 of two normalised sentences. Chinese (either side has Han characters): the better of
 * Levenshtein similarity and Dice coefficient on character bigrams (natural), so an inserted 请问 costs little.
 * English: Dice overlap of word sets, averaged with Levenshtein similarity on the joined text.
 */
export function similarity(aNorm: string, bNorm: string): number {
  if (!aNorm || !bNorm) return 0;
  if (hasHan(aNorm) || hasHan(bNorm)) {
    const a = aNorm.replace(/ /g, '');
    const b = bNorm.replace(/ /g, '');
    if (a === b) return 1;
    const lev = 1 - LevenshteinDistance(a, b) / Math.max(a.length, b.length);
    const dice = a.length > 1 && b.length > 1 ? DiceCoefficient(a, b) : 0;
    return Math.max(lev, dice);
  }
  const ta = new Set(tokens(aNorm));
  const tb = new Set(tokens(bNorm));
  let inter = 0;
  for (const t of ta) if (tb.has(t)) inter++;
  const overlap = (2 * inter) / (ta.size + tb.size);
  const lev = 1 - LevenshteinDistance(aNorm, bNorm) / Math.max(aNorm.length, bNorm.length);
  return (overlap + lev) / 2;
}

/** Size of a sentence for "too short to matter" checks: Han characters, or 4 per English word. */
export function textSize(normText: string): number {
  return hasHan(normText) ? normText.replace(/ /g, '').length : tokens(normText).length * 4;
}
