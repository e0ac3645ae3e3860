/**
 * A straightforward lexicon matcher: the rules of docs/lexicons.md written out plainly, with no automaton, no
 * tables, no caches and no shortcuts, for checking the fast matcher (src/lexicon/matcher.ts) against. Every
 * pattern is compared at every position (indexed by its first symbol only); normalisation is the three string
 * passes (NFKC, OpenCC on text holding Han, lower case); characters are classified by regular expressions;
 * exceptions, overlaps and quote markers are checked pairwise. Slow on purpose: test use only.
 *
 * Where hits tie (same span, same priority), the fast matcher's order is an automaton's: by end position, then
 * longer first, then the order patterns were added (entries in lexicon order: phrases, then exceptions; quote
 * markers last). The reference sorts its candidates the same way, so ties resolve alike.
 */
// natural's index pulls in storage back-ends that load dotenv (which prints to stdout): import submodules only.
import { JaroWinklerDistance } from 'natural/lib/natural/distance/index.js';
import { PorterStemmer } from 'natural/lib/natural/stemmers/index.js';
import * as OpenCC from 'opencc-js';
import type { Speaker, TranscriptSegment } from '../../src/core/types.js';
import type { MatchHit, MatchTranscriptOptions, TranscriptHit } from '../../src/lexicon/matcher.js';
import { DEFAULT_MATCH_OPTIONS } from '../../src/lexicon/matcher.js';
import { WORD_SPACED_HAN_PER_SPACE, WORD_SPACED_MIN, metaphoneKey, pinyinKey } from '../../src/lexicon/prepare.js';
import type { LexiconCategory, LexiconEntry, LexiconLanguage, LoadedLexicons } from '../../src/lexicon/schema.js';

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
const HAN_SCRIPT = /\p{Script=Han}/u;
const PAUSE_PUNCT = /^[,.!?;:…，。！？；：、‚·"“”()（）「」『』《》\[\]【】~～—–]$/u;
const PUNCT = /^[\p{P}\p{S}\u3000-\u303f\uff00-\uff0f\uff1a-\uff20]$/u;
const SPACE = /^\s$/u;
const WORD = /^[\p{L}\p{N}]$/u;
const isHan = (cp: number) =>
  (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3134f);
type Cls = 'pause' | 'sep' | 'word' | 'other';
const cls = (ch: string): Cls => (PAUSE_PUNCT.test(ch) ? 'pause' : PUNCT.test(ch) || SPACE.test(ch) ? 'sep' : WORD.test(ch) ? 'word' : 'other');

export function referenceNormalise(raw: string): string {
  let s = raw.normalize('NFKC');
  // 帐 and 账 are one character to matching (core/normalise.ts foldVariants)
  if (HAN_SCRIPT.test(s)) s = toSimplified(s).replace(/帐/g, '账');
  return s.toLowerCase();
}

/** Chinese: kept code points and a pause after each (punctuation, or a space between two Han characters). */
function prepZh(raw: string): { syms: number[]; pause: boolean[] } {
  const syms: number[] = [];
  const pause: boolean[] = [];
  /** where a space (not punctuation) between two Han characters made a pause */
  const spaced = new Set<number>();
  let pendingSpace = false;
  for (const ch of referenceNormalise(raw)) {
    const c = cls(ch);
    const cp = ch.codePointAt(0)!;
    if (c === 'pause') {
      if (syms.length) {
        pause[syms.length - 1] = true;
        spaced.delete(syms.length - 1);
      }
      pendingSpace = false;
    } else if (c === 'sep') pendingSpace = true;
    else {
      if (pendingSpace && isHan(cp) && syms.length && isHan(syms[syms.length - 1]) && !pause[syms.length - 1]) {
        pause[syms.length - 1] = true;
        spaced.add(syms.length - 1);
      }
      pendingSpace = false;
      syms.push(cp);
      pause.push(false);
    }
  }
  // as src/lexicon/prepare.ts: in word-spaced output (a space every few characters) spaces are not pauses
  const han = syms.filter(isHan).length;
  if (spaced.size >= WORD_SPACED_MIN && spaced.size * WORD_SPACED_HAN_PER_SPACE >= han) for (const i of spaced) pause[i] = false;
  if (syms.length) pause[syms.length - 1] = true;
  return { syms, pause };
}

/** English: words (runs of letters and digits; a run holding a Han character is a pause, not a word). */
function prepEn(raw: string): { words: string[]; pause: boolean[] } {
  const words: string[] = [];
  const pause: boolean[] = [];
  let cur = '';
  let han = false;
  const flush = () => {
    if (cur) {
      if (han) {
        if (words.length) pause[words.length - 1] = true;
      } else {
        words.push(cur);
        pause.push(false);
      }
    }
    cur = '';
    han = false;
  };
  for (const ch of referenceNormalise(raw)) {
    const c = cls(ch);
    if (c === 'word') {
      cur += ch;
      if (isHan(ch.codePointAt(0)!)) han = true;
    } else {
      flush();
      if (c === 'pause' && words.length) pause[words.length - 1] = true;
    }
  }
  flush();
  if (words.length) pause[words.length - 1] = true;
  return { words, pause };
}

const isDigits = (w: string) => /^\d+$/.test(w);
/** as src/lexicon/prepare.ts: "one" is not stemmed to "on" */
const KEEP_UNSTEMMED = new Set(['one', 'ones', 'its', 'likely']);
const stemOf = (w: string) => (isDigits(w) || KEEP_UNSTEMMED.has(w) ? w : PorterStemmer.stem(w));
const NUM = '\u0000number';

type Kind = 'phrase' | 'exception' | 'quote';
interface Pattern {
  syms: string[];
  kind: Kind;
  entry: number;
  phrase: string;
  target?: string;
  order: number;
}

/** A phrase's symbols: code points (zh) or stems (en) as strings; `{n}` is NUM. */
function phraseSyms(phrase: string, lang: LexiconLanguage): string[] {
  return phrase.split('{n}').flatMap((part, i) => {
    const syms = lang === 'zh' ? prepZh(part).syms.map(String) : prepEn(part).words.map(stemOf);
    return i === 0 ? syms : [NUM, ...syms];
  });
}

interface Occurrence {
  from: number;
  to: number;
  p: Pattern;
}

function occurrences(text: readonly string[], patterns: readonly Pattern[]): Occurrence[] {
  const byFirst = new Map<string, Pattern[]>();
  for (const p of patterns) {
    const l = byFirst.get(p.syms[0]);
    if (l) l.push(p);
    else byFirst.set(p.syms[0], [p]);
  }
  const out: Occurrence[] = [];
  for (let i = 0; i < text.length; i++) {
    for (const p of byFirst.get(text[i]) ?? []) {
      if (i + p.syms.length > text.length) continue;
      if (p.syms.every((s, k) => text[i + k] === s)) out.push({ from: i, to: i + p.syms.length, p });
    }
  }
  return out.sort((a, b) => a.to - b.to || b.to - b.from - (a.to - a.from) || a.p.order - b.p.order);
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export class ReferenceMatcher {
  private readonly exact: Record<LexiconLanguage, Pattern[]> = { zh: [], en: [] };
  private readonly numeric: Record<LexiconLanguage, Pattern[]> = { zh: [], en: [] };
  private readonly fuzzy: Record<LexiconLanguage, Pattern[]> = { zh: [], en: [] };

  constructor(private readonly lex: LoadedLexicons) {
    let order = 0;
    const add = (lang: LexiconLanguage, phrase: string, kind: Kind, entry: number) => {
      const syms = phraseSyms(phrase, lang);
      if (syms.length === 0) return;
      (syms.includes(NUM) ? this.numeric : this.exact)[lang].push({ syms, kind, entry, phrase, order: order++ });
    };
    lex.entries.forEach((e, i) => {
      for (const phrase of e.phrases) {
        add(e.language, phrase, 'phrase', i);
        if (!e.fuzzy || phrase.includes('{n}')) continue;
        if (e.language === 'zh') {
          const cps = prepZh(phrase).syms;
          if (cps.length >= 3) {
            this.fuzzy.zh.push({ syms: cps.map(pinyinKey), kind: 'phrase', entry: i, phrase, target: String.fromCodePoint(...cps), order: order++ });
          }
        } else {
          const words = prepEn(phrase).words;
          if (words.join('').length >= 6) {
            this.fuzzy.en.push({ syms: words.map(metaphoneKey), kind: 'phrase', entry: i, phrase, target: words.join(' '), order: order++ });
          }
        }
      }
      for (const ex of e.exceptions) add(e.language, ex, 'exception', i);
    });
    for (const lang of ['zh', 'en'] as const) for (const q of lex.quoteMarkers[lang]) add(lang, q, 'quote', -1);
  }

  private wanted(e: LexiconEntry, categories: readonly LexiconCategory[] | undefined, speaker: Speaker | undefined): boolean {
    const roleOk = !speaker || speaker === 'unknown' || e.role === 'any' || e.role === speaker || (speaker === 'customer' && e.category === 'banned');
    return roleOk && (!categories || categories.includes(e.category));
  }

  matchText(raw: string, language: LexiconLanguage, categories?: readonly LexiconCategory[], speaker?: Speaker): MatchHit[] {
    const entries = this.lex.entries;
    let text: string[];
    let pause: boolean[];
    let surface: (from: number, to: number) => string;
    let numeric: { syms: string[]; span: [number, number][] };
    let sounds: string[];
    if (language === 'zh') {
      const p = prepZh(raw);
      text = p.syms.map(String);
      pause = p.pause;
      surface = (from, to) => String.fromCodePoint(...p.syms.slice(from, to));
      sounds = p.syms.map(pinyinKey);
      // digit runs, and runs of three or more Chinese numerals, are one number
      const isDigit = (cp: number) => cp >= 0x30 && cp <= 0x39;
      const isNumeral = (cp: number) => '零〇一二三四五六七八九幺两洞拐十百千'.includes(String.fromCodePoint(cp));
      numeric = { syms: [], span: [] };
      for (let i = 0; i < p.syms.length; ) {
        const test = isDigit(p.syms[i]) ? isDigit : isNumeral(p.syms[i]) ? isNumeral : null;
        let j = i;
        if (test) while (j < p.syms.length && test(p.syms[j])) j++;
        if (test && (test === isDigit || j - i >= 3)) {
          numeric.syms.push(NUM);
          numeric.span.push([i, j]);
          i = j;
        } else {
          numeric.syms.push(text[i]);
          numeric.span.push([i, i + 1]);
          i++;
        }
      }
    } else {
      const p = prepEn(raw);
      text = p.words.map(stemOf);
      pause = p.pause;
      surface = (from, to) => p.words.slice(from, to).join(' ');
      sounds = p.words.map(metaphoneKey);
      // runs of digits-only words and number words ("four two zero eight") are one number when they hold a
      // digits-only word or two or more words
      const words = 'zero oh one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand'.split(' ');
      const isNumberWord = (w: string) => isDigits(w) || words.includes(w);
      numeric = { syms: [], span: [] };
      for (let i = 0; i < p.words.length; ) {
        let j = i;
        while (j < p.words.length && isNumberWord(p.words[j]) && (j === i || !p.pause[j - 1])) j++;
        if (j > i && (j - i >= 2 || p.words.slice(i, j).some(isDigits))) {
          numeric.syms.push(NUM);
          numeric.span.push([i, j]);
          i = j;
        } else {
          numeric.syms.push(text[i]);
          numeric.span.push([i, i + 1]);
          i++;
        }
      }
    }
    const length = text.length;
    interface Cand {
      entry: number;
      from: number;
      to: number;
      fuzzy: boolean;
      confidence: number;
      phrase: string;
      matched: string;
    }
    const cands: Cand[] = [];
    const exceptions: { entry: number; from: number; to: number }[] = [];
    const quoteEnds: number[] = [];
    const take = (o: Occurrence, from: number, to: number) => {
      if (o.p.kind === 'quote') quoteEnds.push(to);
      else if (o.p.kind === 'exception') exceptions.push({ entry: o.p.entry, from, to });
      else if (this.wanted(entries[o.p.entry], categories, speaker)) {
        cands.push({ entry: o.p.entry, from, to, fuzzy: false, confidence: 1, phrase: o.p.phrase, matched: surface(from, to) });
      }
    };
    for (const o of occurrences(text, this.exact[language])) take(o, o.from, o.to);
    for (const o of occurrences(numeric.syms, this.numeric[language])) take(o, numeric.span[o.from][0], numeric.span[o.to - 1][1]);
    const exactCands = [...cands];
    for (const o of occurrences(sounds, this.fuzzy[language])) {
      const e = entries[o.p.entry];
      if (!this.wanted(e, categories, speaker)) continue;
      if (exactCands.some((c) => c.entry === o.p.entry && c.from < o.to && o.from < c.to)) continue;
      const matched = surface(o.from, o.to);
      if (matched === o.p.target) continue;
      if (language === 'zh') {
        // a slip of at most a third of the characters (at least one), the rest as written
        const m = Array.from(matched);
        const t = Array.from(o.p.target!);
        if (m.length === t.length && m.filter((c, i) => c !== t[i]).length > Math.max(1, Math.floor(t.length / 3))) continue;
      }
      const confidence = round3(e.fuzzyConfidence * JaroWinklerDistance(matched, o.p.target!, {}));
      cands.push({ entry: o.p.entry, from: o.from, to: o.to, fuzzy: true, confidence, phrase: o.p.phrase, matched });
    }
    const repeated = (c: Cand) => {
      const n = c.to - c.from;
      const same = (a: number) => a >= 0 && a + n <= length && text.slice(a, a + n).every((s, k) => s === text[c.from + k]);
      return same(c.to) || same(c.from - n);
    };
    const kept = cands.filter((c) => {
      if (exceptions.some((x) => x.entry === c.entry && x.from <= c.from && x.to >= c.to)) return false;
      const b = entries[c.entry].boundary;
      if (b === 'pause' && !pause[c.to - 1] && !repeated(c)) return false;
      if (b === 'word' && pause[c.to - 1]) return false;
      return true;
    });
    // overlaps within a category and kind: longest, then exact, then more confident, then earliest, then first found
    const byPriority = [...kept].sort(
      (a, b) => b.to - b.from - (a.to - a.from) || Number(a.fuzzy) - Number(b.fuzzy) || b.confidence - a.confidence || a.from - b.from,
    );
    const resolved: Cand[] = [];
    for (const c of byPriority) {
      const e = entries[c.entry];
      const clash = resolved.some((k) => entries[k.entry].category === e.category && entries[k.entry].kind === e.kind && k.from < c.to && c.from < k.to);
      if (!clash) resolved.push(c);
    }
    resolved.sort((a, b) => a.from - b.from || a.to - b.to);
    const reach = language === 'zh' ? 10 : 6;
    return resolved.map((c) => ({
      entry: entries[c.entry],
      language,
      phrase: c.phrase,
      matched: c.matched,
      from: c.from,
      to: c.to,
      length,
      fuzzy: c.fuzzy,
      confidence: c.confidence,
      quoted: quoteEnds.some((q) => q <= c.from && c.from - q <= reach),
    }));
  }

  matchTranscript(segments: readonly TranscriptSegment[], options: Partial<MatchTranscriptOptions> = {}): TranscriptHit[] {
    const o = { ...DEFAULT_MATCH_OPTIONS, ...options };
    const out: TranscriptHit[] = [];
    const customerSaid: { entryId: string; start: number }[] = [];
    segments.forEach((seg, segmentIndex) => {
      const han = HAN_SCRIPT.test(seg.text);
      const latinWords = (seg.text.match(/[A-Za-z][A-Za-z'’-]*/g) ?? []).length;
      const languages: LexiconLanguage[] =
        o.language !== 'auto' ? [o.language] : !han ? ['en'] : latinWords >= o.mixedMinLatinWords ? ['zh', 'en'] : ['zh'];
      const dur = Math.max(0, seg.end - seg.start);
      for (const language of languages) {
        for (const h of this.matchText(seg.text, language, o.categories, seg.speaker)) {
          const start = seg.start + (h.length ? (h.from / h.length) * dur : 0);
          const end = seg.start + (h.length ? (h.to / h.length) * dur : dur);
          if (seg.speaker === 'customer') customerSaid.push({ entryId: h.entry.id, start });
          const role = h.entry.role;
          const assumed = seg.speaker === 'unknown' && role !== 'any';
          if (seg.speaker !== 'unknown' && role !== 'any' && role !== seg.speaker) continue;
          const echo = customerSaid.some((c) => c.entryId === h.entry.id && c.start <= start && start - c.start <= o.echoWindowSec);
          if (h.entry.category === 'banned' && h.quoted && echo) continue;
          out.push({
            ...h,
            confidence: assumed ? round3(h.confidence * o.unknownSpeakerConfidence) : h.confidence,
            segmentIndex,
            speaker: seg.speaker,
            start: round3(start),
            end: round3(end),
            text: seg.text,
            speakerAssumed: assumed,
          });
        }
      }
    });
    return out;
  }
}
