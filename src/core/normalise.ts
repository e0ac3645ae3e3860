import * as OpenCC from 'opencc-js';

/**
 * Text normalisation for matching: Traditional -> Simplified Chinese (OpenCC, Taiwan variants included),
 * full-width -> half-width (NFKC), case-folded, punctuation and whitespace collapsed to single spaces.
 * Raw text is always kept beside the normalised form; this is only what matchers look at.
 */
const openccLocale = (OpenCC as unknown as { Locale: { from: Record<string, unknown[]>; to: Record<string, unknown[]> } }).Locale;

/**
 * OpenCC's conversion, with the library's own dictionaries and algorithm, in typed tables. opencc-js walks a trie
 * of Maps per character; here the first character of a key is one array read (most characters start no key), and
 * only a key's later characters go through a Map. Same result by construction (greedy longest match from each
 * position, left to right, one pass per dictionary group, a group's earlier dictionary winning a shared key,
 * ideographic description sequences copied whole) and checked against opencc-js itself (src/core/normalise.test.ts:
 * every dictionary key in context, every fixture converted to Traditional, random strings).
 */
class OpenccPass {
  /** BMP first character -> node (0: no key starts with it) */
  private readonly rootBmp = new Int32Array(0x10000);
  private readonly rootAstral = new Map<number, number>();
  private readonly children: (Map<number, number> | undefined)[] = [undefined];
  private readonly values: (string | undefined)[] = [undefined];

  /** A dictionary group as ConverterFactory takes it: an earlier dictionary wins a key both hold. */
  constructor(group: readonly unknown[]) {
    for (const d of [...group].reverse()) {
      const entries: [string, string][] = typeof d === 'string' ? d.split('|').map((e) => e.split(' ') as [string, string]) : (d as [string, string][]);
      for (const [k, v] of entries) this.add(k, v);
    }
  }

  private add(key: string, value: string): void {
    let node = 0;
    for (const ch of key) {
      const cp = ch.codePointAt(0)!;
      let next: number | undefined;
      if (node === 0) next = cp <= 0xffff ? this.rootBmp[cp] || undefined : this.rootAstral.get(cp);
      else next = this.children[node]?.get(cp);
      if (next === undefined) {
        next = this.values.length;
        this.values.push(undefined);
        this.children.push(undefined);
        if (node === 0) {
          if (cp <= 0xffff) this.rootBmp[cp] = next;
          else this.rootAstral.set(cp, next);
        } else (this.children[node] ??= new Map()).set(cp, next);
      }
      node = next;
    }
    if (node !== 0) this.values[node] = value;
  }

  convert(s: string): string {
    const n = s.length;
    let out = '';
    let copyFrom = 0;
    for (let i = 0; i < n; ) {
      const c = s.charCodeAt(i);
      let node: number;
      let j: number;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const cp = s.codePointAt(i)!;
        node = cp > 0xffff ? (this.rootAstral.get(cp) ?? 0) : this.rootBmp[c];
        j = i + (cp > 0xffff ? 2 : 1);
      } else {
        node = this.rootBmp[c];
        j = i + 1;
      }
      let end = 0;
      let value: string | undefined;
      if (node !== 0) {
        if (this.values[node] !== undefined) {
          end = j;
          value = this.values[node];
        }
        let kids = this.children[node];
        while (kids !== undefined && j < n) {
          const cp = s.codePointAt(j)!;
          const next = kids.get(cp);
          if (next === undefined) break;
          j += cp > 0xffff ? 2 : 1;
          if (this.values[next] !== undefined) {
            end = j;
            value = this.values[next];
          }
          kids = this.children[next];
        }
      }
      if (end > 0) {
        if (copyFrom < i) out += s.slice(copyFrom, i);
        out += value;
        i = end;
        copyFrom = end;
      } else i += skipLength(s, i);
    }
    return copyFrom === 0 ? s : copyFrom < n ? out + s.slice(copyFrom) : out;
  }
}

/** opencc-js: an unmatched position moves past a whole ideographic description sequence, else one character. */
function skipLength(s: string, i: number): number {
  const end = idsEnd(s, i);
  return end > i ? end - i : charWidth(s, i);
}
function charWidth(s: string, i: number): number {
  return s.codePointAt(i)! > 0xffff ? 2 : 1;
}
function idsEnd(s: string, i: number): number {
  const cp = s.codePointAt(i)!;
  const arity = cp >= 0x2ff0 && cp <= 0x2ff1 ? 2 : cp >= 0x2ff2 && cp <= 0x2ff3 ? 3 : cp >= 0x2ff4 && cp <= 0x2fff ? 2 : 0;
  if (arity === 0) return 0;
  let k = i + charWidth(s, i);
  for (let a = 0; a < arity; a++) {
    if (k >= s.length) return 0;
    k = idsEnd(s, k) || k + charWidth(s, k);
  }
  return k;
}

let openccPasses: OpenccPass[] | null = null;
/** Traditional (Taiwan) -> Simplified, as OpenCC.Converter({ from: 'tw', to: 'cn' }). */
export function openccTwToCn(s: string): string {
  openccPasses ??= [...openccLocale.from.tw, ...openccLocale.to.cn].map((g) => new OpenccPass(g as unknown[]));
  let out = s;
  for (const p of openccPasses) out = p.convert(out);
  return out;
}
const toSimplified = openccTwToCn;

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

/**
 * NFKC, Traditional -> Simplified and lower case one UTF-16 unit at a time, for the usual text. A BMP character is
 * "simple" when its NFKC form is one character, neither it nor that form is a combining mark or a conjoining Hangul
 * jamo (the only characters NFKC composes with what precedes them, or reorders), OpenCC's tw -> cn chain cannot
 * change that form, and lower-casing it gives one character without context (not Σ, whose lower case depends on
 * the next letter). A string of simple characters normalises to the concatenation of their own results, so a table
 * lookup per unit replaces three whole-string passes; anything else (a surrogate, a Traditional character OpenCC may
 * rewrite as part of a phrase, a combining accent) takes the whole-string path. Checked for every BMP character
 * and random strings by test/lexicon-parity.test.ts.
 *
 * simpleUnit(c): the normalised unit, or -1 when c is not simple. Computed lazily per unit.
 */
const simpleTable = new Int32Array(0x10000); // normalised unit + 2; 1 = not simple; 0 = not computed
const MARK = /\p{M}/u;
const isJamo = (c: number) => (c >= 0x1100 && c <= 0x11ff) || (c >= 0xa960 && c <= 0xa97f) || (c >= 0xd7b0 && c <= 0xd7ff);
export function simpleUnit(c: number): number {
  let v = simpleTable[c];
  if (v === 0) simpleTable[c] = v = computeSimple(c) + 2;
  return v - 2;
}
function computeSimple(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return -1;
  const ch = String.fromCharCode(c);
  const n = ch.normalize('NFKC');
  if (n.length !== 1 || MARK.test(ch) || MARK.test(n) || isJamo(c)) return -1;
  const nc = n.charCodeAt(0);
  if (isJamo(nc) || nc === 0x3a3 || isOpenccChangeable(nc)) return -1;
  const l = foldVariants(n).toLowerCase();
  if (l.length !== 1) return -1;
  const m = l.charCodeAt(0);
  return m >= 0xd800 && m <= 0xdfff ? -1 : m;
}

// Unicode punctuation and symbols, plus the CJK punctuation block; keep letters, digits, CJK and spaces.
const PUNCT = /[\p{P}\p{S}\u3000-\u303f\uff00-\uff0f\uff1a-\uff20]/gu;
const PUNCT_ONE = /^[\p{P}\p{S}\u3000-\u303f\uff00-\uff0f\uff1a-\uff20]$/u;
const SPACE_ONE = /^\s$/;
/** BMP: 0 not computed, 1 kept, 2 becomes a space (punctuation, symbol or whitespace after normalising) */
const spaceTable = new Uint8Array(0x10000);
function becomesSpace(m: number): boolean {
  let v = spaceTable[m];
  if (v === 0) {
    const ch = String.fromCharCode(m);
    spaceTable[m] = v = PUNCT_ONE.test(ch) || SPACE_ONE.test(ch) ? 2 : 1;
  }
  return v === 2;
}

/**
 * Simplified variants that OpenCC's Traditional -> Simplified leaves apart but that mean the same in a call: 帳 (the
 * Taiwan and Hong Kong account, bill: 帳單, 帳戶, 帳號) becomes 帐, while mainland text and the lexicons write 账
 * (账单, 账户, 账号), and older or hurried Simplified text writes 帐 too. Folded to the one form, so a search for
 * 账单 finds 帳單 and a lexicon phrase with 账 matches either. One character for one, so positions do not move.
 */
const VARIANTS = /帐/g;
export function foldVariants(s: string): string {
  return s.includes('帐') ? s.replace(VARIANTS, '账') : s;
}

let textBuf = new Uint16Array(256);
const utf16 = new TextDecoder('utf-16le');

export function normaliseText(raw: string): string {
  // the usual text, one table lookup per unit (see simpleUnit); the same result as the passes below
  const n = raw.length;
  if (textBuf.length < n) textBuf = new Uint16Array(n * 2);
  let w = 0;
  let pendingSpace = false;
  let simple = true;
  for (let i = 0; i < n; i++) {
    const m = simpleUnit(raw.charCodeAt(i));
    if (m < 0) {
      simple = false;
      break;
    }
    if (becomesSpace(m)) pendingSpace = true;
    else {
      if (pendingSpace && w > 0) textBuf[w++] = 0x20;
      pendingSpace = false;
      textBuf[w++] = m;
    }
  }
  if (simple) return w <= 2048 ? String.fromCharCode.apply(null, textBuf.subarray(0, w) as unknown as number[]) : utf16.decode(textBuf.subarray(0, w));
  let s = raw.normalize('NFKC');
  s = foldVariants(toSimplifiedChinese(s));
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
