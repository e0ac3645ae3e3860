import * as OpenCC from 'opencc-js';

/**
 * Text normalisation for matching: Traditional -> Simplified Chinese (OpenCC, Taiwan variants included),
 * full-width -> half-width (NFKC), case-folded, punctuation and whitespace collapsed to single spaces.
 * Raw text is always kept beside the normalised form; this is only what matchers look at.
 */
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

// Unicode punctuation and symbols, plus the CJK punctuation block; keep letters, digits, CJK and spaces.
const PUNCT = /[\p{P}\p{S}\u3000-\u303f\uff00-\uff0f\uff1a-\uff20]/gu;

export function normaliseText(raw: string): string {
  let s = raw.normalize('NFKC');
  s = toSimplified(s);
  s = s.toLowerCase();
  s = s.replace(PUNCT, ' ');
  return s.replace(/\s+/g, ' ').trim();
}

/** Normalised text with every space removed: what Chinese phrase matching runs on. */
export function compactText(raw: string): string {
  return normaliseText(raw).replace(/ /g, '');
}

const HAN = /\p{Script=Han}/u;
export function hasHan(s: string): boolean {
  return HAN.test(s);
}
