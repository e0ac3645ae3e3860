import * as OpenCC from 'opencc-js';

/**
 * Text normalisation for matching: Traditional -> Simplified Chinese (OpenCC, Taiwan variants included),
 * full-width -> half-width (NFKC), case-folded, punctuation and whitespace collapsed to single spaces.
 * Raw text is always kept beside the normalised form; this is only what matchers look at.
 */
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

/**
 * Code points OpenCC's tw -> cn conversion can change: every character of a dictionary key that differs from its
 * replacement (all of the key when the lengths differ). Text with none of them converts to itself, so OpenCC's
 * per-character trie walk — most of the cost of normalising Simplified or English text — is skipped for it.
 * Built once from the very dictionaries the converter uses (about 6,000 entries, ~30 ms).
 */
let changeable: Uint8Array | null = null;
function changeableCodePoints(): Uint8Array {
  if (changeable) return changeable;
  const set = new Uint8Array(0x110000);
  const cfg = (OpenCC as unknown as { Locale: { configs: Record<string, { normalizationChain?: unknown[][]; conversionChain: unknown[][] }> } }).Locale
    .configs.tw2s;
  const dicts = [...(cfg.normalizationChain ?? []).flat(), ...cfg.conversionChain.flat()];
  for (const d of dicts) {
    const entries: [string, string][] =
      typeof d === 'string' ? d.split('|').map((e) => e.split(' ') as [string, string]) : (d as [string, string][]);
    for (const [k, v] of entries) {
      const a = [...k];
      const b = [...(v ?? '')];
      a.forEach((ch, i) => {
        if (a.length !== b.length || ch !== b[i]) set[ch.codePointAt(0)!] = 1;
      });
    }
  }
  return (changeable = set);
}

/** Whether OpenCC's tw -> cn conversion could change text holding this code point. */
export function isOpenccChangeable(cp: number): boolean {
  return changeableCodePoints()[cp] === 1;
}

/** OpenCC, only when the text holds a character it could change. */
export function toSimplifiedChinese(s: string): string {
  const set = changeableCodePoints();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x2e80) continue;
    const cp = s.codePointAt(i)!;
    if (set[cp]) return toSimplified(s);
    if (cp > 0xffff) i++;
  }
  return s;
}

// Unicode punctuation and symbols, plus the CJK punctuation block; keep letters, digits, CJK and spaces.
const PUNCT = /[\p{P}\p{S}\u3000-\u303f\uff00-\uff0f\uff1a-\uff20]/gu;

export function normaliseText(raw: string): string {
  let s = raw.normalize('NFKC');
  s = toSimplifiedChinese(s);
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
