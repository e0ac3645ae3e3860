// natural's index pulls in storage back-ends that load dotenv (which prints to stdout): import submodules only.
import { JaroWinklerDistance } from 'natural/lib/natural/distance/index.js';
import type { Speaker, TranscriptSegment } from '../core/types.js';
import { AhoCorasick } from './aho-corasick.js';
import {
  NUM_CHAR,
  NUM_TOKEN,
  collapseNumbersEn,
  collapseNumbersZh,
  hasHan,
  latinWordCount,
  metaphoneKey,
  phraseCharsZh,
  phraseTokensEn,
  pinyinKey,
  prepareEn,
  newZhScratch,
  scanZh,
  stem,
  type ZhScratch,
} from './prepare.js';
import type { LexiconCategory, LexiconEntry, LexiconLanguage, LoadedLexicons } from './schema.js';

/**
 * One-pass lexicon matching. Every phrase, exception and quote marker of a language goes into one
 * Aho-Corasick automaton; a second small automaton holds `{n}` (number) patterns and a third the fuzzy
 * keys (pinyin for Chinese, Metaphone for English). Matching an utterance is one pass per automaton, then
 * exceptions, pause boundaries and overlaps are resolved on the (few) hits.
 */

export interface MatchHit {
  entry: LexiconEntry;
  language: LexiconLanguage;
  /** the lexicon phrase that matched (as written in the lexicon) */
  phrase: string;
  /** the matched text, normalised (compact Chinese, or space-joined English words) */
  matched: string;
  /** offsets in the prepared utterance: code points (zh) or tokens (en), [from, to) */
  from: number;
  to: number;
  /** length of the prepared utterance in the same unit, for time interpolation */
  length: number;
  fuzzy: boolean;
  /** 1 for an exact match; fuzzyConfidence × similarity for a fuzzy one */
  confidence: number;
  /** a quote marker (您说 / "you said") shortly before the hit */
  quoted: boolean;
}

export interface TranscriptHit extends MatchHit {
  segmentIndex: number;
  speaker: Speaker;
  /** seconds; interpolated inside the segment from the hit's position in the text */
  start: number;
  end: number;
  /** the segment's raw text: the quote an inspector reads */
  text: string;
  /** the segment had no speaker label and the entry's role was assumed */
  speakerAssumed: boolean;
}

export interface MatchTranscriptOptions {
  language: 'zh' | 'en' | 'auto';
  /** confidence multiplier for hits in segments whose speaker is unknown (mono recordings) */
  unknownSpeakerConfidence: number;
  /** a banned phrase the agent quotes back counts as an echo if the customer said it this recently */
  echoWindowSec: number;
  /** in auto mode, a Chinese utterance with at least this many Latin words is also matched as English */
  mixedMinLatinWords: number;
  /** only these categories (default: all) */
  categories?: readonly LexiconCategory[];
}

export const DEFAULT_MATCH_OPTIONS: MatchTranscriptOptions = {
  language: 'auto',
  unknownSpeakerConfidence: 0.5,
  echoWindowSec: 30,
  mixedMinLatinWords: 3,
};

type PatternValue =
  | { kind: 'phrase'; entry: number; phrase: string; /** fuzzy patterns: the phrase as matched text */ target?: string }
  | { kind: 'exception'; entry: number }
  | { kind: 'quote' };

interface LanguageMatcher {
  exact: AhoCorasick<PatternValue>;
  numeric: AhoCorasick<PatternValue>;
  fuzzy: AhoCorasick<PatternValue>;
  /** English: token -> id; Chinese uses code points */
  vocab: Map<string, number>;
  fuzzyVocab: Map<string, number>;
  fuzzyByCp: Map<number, number>;
  fuzzyBmp: Int32Array | null;
  wordIds: Map<string, readonly [number, number]>;
}

interface Scratch {
  zh: ZhScratch;
  en: Int32Array;
  fuzzy: Int32Array;
}
function grow(sc: Scratch, key: 'en' | 'fuzzy', n: number): Int32Array {
  if (sc[key].length < n) sc[key] = new Int32Array(n * 2);
  return sc[key];
}

/** Minimum phrase size for fuzzy matching: short phrases would match too much by sound alone. */
const FUZZY_MIN_ZH_CHARS = 3;
const FUZZY_MIN_EN_LETTERS = 6;
/** a quote marker must end at most this many chars (zh) / tokens (en) before the hit */
const QUOTE_REACH = { zh: 10, en: 6 } as const;

function idOf(vocab: Map<string, number>, key: string, create: boolean): number {
  let id = vocab.get(key);
  if (id === undefined) {
    if (!create) return -1;
    id = vocab.size;
    vocab.set(key, id);
  }
  return id;
}

export class LexiconMatcher {
  readonly entries: readonly LexiconEntry[];
  private readonly langs: Record<LexiconLanguage, LanguageMatcher>;
  private readonly entryIndex: Map<LexiconEntry, number>;
  /**
   * Steps spent resolving hits (overlaps, exceptions) since the last reset: a machine-independent measure of
   * work, so tests can show it grows linearly with the hits (issue 15) without timing anything.
   */
  readonly work = { steps: 0 };
  /** buffers reused by every matchText call (one utterance at a time; nothing keeps them after it returns) */
  private readonly scratch: Scratch = { zh: newZhScratch(), en: new Int32Array(64), fuzzy: new Int32Array(256) };

  constructor(lex: LoadedLexicons) {
    this.entries = lex.entries;
    this.entryIndex = new Map(lex.entries.map((e, i) => [e, i]));
    this.langs = { zh: this.emptyLang(), en: this.emptyLang() };
    lex.entries.forEach((e, i) => this.addEntry(e, i));
    for (const lang of ['zh', 'en'] as const) {
      for (const q of lex.quoteMarkers[lang]) this.addPattern(lang, q, { kind: 'quote' });
      const m = this.langs[lang];
      m.exact.build();
      m.numeric.build();
      m.fuzzy.build();
    }
  }

  private readonly roleFilters = new Map<Speaker, Uint8Array>();
  /** per entry: 1 when its hits can count in this speaker's speech (or feed the customer echo check) */
  private roleFilter(speaker: Speaker): Uint8Array {
    let f = this.roleFilters.get(speaker);
    if (!f) {
      f = Uint8Array.from(this.entries, (e) =>
        speaker === 'unknown' || e.role === 'any' || e.role === speaker || (speaker === 'customer' && e.category === 'banned') ? 1 : 0,
      );
      this.roleFilters.set(speaker, f);
    }
    return f;
  }

  /** pinyin-key symbol of a code point for the fuzzy automaton (-1: no phrase has that sound), cached */
  private fuzzyIdZh(m: LanguageMatcher, cp: number): number {
    if (cp <= 0xffff) {
      // BMP table, id + 2 (0 = not looked up yet)
      const t = m.fuzzyBmp ?? (m.fuzzyBmp = new Int32Array(0x10000));
      const v = t[cp];
      if (v !== 0) return v - 2;
      const id = idOf(m.fuzzyVocab, pinyinKey(cp), false);
      t[cp] = id + 2;
      return id;
    }
    let id = m.fuzzyByCp.get(cp);
    if (id === undefined) m.fuzzyByCp.set(cp, (id = idOf(m.fuzzyVocab, pinyinKey(cp), false)));
    return id;
  }

  /** English word -> [stem symbol, Metaphone symbol] for the exact and fuzzy automata (-1: in no phrase), cached */
  private wordIdsEn(m: LanguageMatcher, word: string): readonly [number, number] {
    let ids = m.wordIds.get(word);
    if (ids === undefined) {
      ids = [idOf(m.vocab, stem(word), false), idOf(m.fuzzyVocab, metaphoneKey(word), false)];
      if (m.wordIds.size > 200_000) m.wordIds.clear();
      m.wordIds.set(word, ids);
    }
    return ids;
  }

  private emptyLang(): LanguageMatcher {
    return {
      exact: new AhoCorasick(),
      numeric: new AhoCorasick(),
      fuzzy: new AhoCorasick(),
      vocab: new Map(),
      fuzzyVocab: new Map(),
      fuzzyByCp: new Map(),
      fuzzyBmp: null,
      wordIds: new Map(),
    };
  }

  private addPattern(lang: LexiconLanguage, phrase: string, value: PatternValue): void {
    const m = this.langs[lang];
    if (lang === 'zh') {
      const chars = phraseCharsZh(phrase);
      (chars.includes(NUM_CHAR) ? m.numeric : m.exact).add(chars, value);
    } else {
      const toks = phraseTokensEn(phrase);
      const ids = toks.map((t) => idOf(m.vocab, t, true));
      (toks.includes(NUM_TOKEN) ? m.numeric : m.exact).add(ids, value);
    }
  }

  private addEntry(e: LexiconEntry, index: number): void {
    const m = this.langs[e.language];
    for (const phrase of e.phrases) {
      this.addPattern(e.language, phrase, { kind: 'phrase', entry: index, phrase });
      if (!e.fuzzy || phrase.includes('{n}')) continue;
      if (e.language === 'zh') {
        const chars = phraseCharsZh(phrase);
        if (chars.length >= FUZZY_MIN_ZH_CHARS) {
          const target = String.fromCodePoint(...chars);
          m.fuzzy.add(chars.map((c) => idOf(m.fuzzyVocab, pinyinKey(c), true)), { kind: 'phrase', entry: index, phrase, target });
        }
      } else {
        const words = prepareEn(phrase).words;
        if (words.join('').length >= FUZZY_MIN_EN_LETTERS) {
          m.fuzzy.add(words.map((w) => idOf(m.fuzzyVocab, metaphoneKey(w), true)), { kind: 'phrase', entry: index, phrase, target: words.join(' ') });
        }
      }
    }
    for (const ex of e.exceptions) this.addPattern(e.language, ex, { kind: 'exception', entry: index });
  }

  /**
   * Match one utterance in one language. No role or position filtering (see matchTranscript). Hits are created
   * with the TranscriptHit fields matchTranscript fills in (segmentIndex, speaker, start, end, text,
   * speakerAssumed), so every hit object keeps one shape and filling them in allocates nothing.
   */
  matchText(raw: string, language: LexiconLanguage, categories?: readonly LexiconCategory[], speaker?: Speaker): MatchHit[] {
    const m = this.langs[language];
    const hits: TranscriptHit[] = []; // created whole (see above); returned as MatchHit
    const exceptions: { entry: number; from: number; to: number }[] = [];
    const quoteEnds: number[] = [];
    let symbols: Int32Array;
    let length: number;
    /** the matched text of [from, to): compact Chinese, or space-joined English words */
    let surfaceOf: (from: number, to: number) => string;
    let pauseAt: (i: number) => boolean;
    let fuzzySymbols: () => Int32Array;
    let numeric: { symbols: Int32Array; span: [number, number][] } | null;
    const sc = this.scratch;
    if (language === 'zh') {
      const p = scanZh(raw, sc.zh);
      const chars = sc.zh.chars;
      const pause = sc.zh.pause;
      symbols = chars;
      length = p.length;
      // one UTF-16 unit per code point (no astral characters): offsets are string indexes
      surfaceOf =
        p.text.length === length ? (from, to) => p.text.slice(from, to) : (from, to) => String.fromCodePoint(...chars.subarray(from, to));
      pauseAt = (i) => pause[i] === 1;
      fuzzySymbols = () => {
        const out = grow(sc, 'fuzzy', length);
        for (let i = 0; i < length; i++) out[i] = this.fuzzyIdZh(m, chars[i]);
        return out;
      };
      const n = m.numeric.size ? collapseNumbersZh(chars.subarray(0, length)) : null;
      numeric = n && { symbols: Int32Array.from(n.chars), span: n.span };
    } else {
      const p = prepareEn(raw, false);
      length = p.words.length;
      symbols = grow(sc, 'en', length);
      const fz = grow(sc, 'fuzzy', length);
      for (let i = 0; i < length; i++) {
        const ids = this.wordIdsEn(m, p.words[i]);
        symbols[i] = ids[0];
        fz[i] = ids[1];
      }
      surfaceOf = (from, to) => p.words.slice(from, to).join(' ');
      pauseAt = (i) => p.pauseAfter[i];
      fuzzySymbols = () => fz;
      const n = m.numeric.size && p.words.some((w) => isDigits(w)) ? collapseNumbersEn(p.words.map(stem)) : null;
      numeric = n && { symbols: Int32Array.from(n.tokens, (t) => idOf(m.vocab, t, false)), span: n.span };
    }
    // entries whose hits matchTranscript would drop for this speaker are not even collected (their role is
    // another side's; banned phrases are kept on customer speech for the echo check)
    const roleOk = speaker ? this.roleFilter(speaker) : null;
    const wanted = (entry: number) => (!roleOk || roleOk[entry] === 1) && (!categories || categories.includes(this.entries[entry].category));

    const onExact = (from: number, to: number, v: PatternValue) => {
      if (v.kind === 'quote') quoteEnds.push(to);
      else if (v.kind === 'exception') exceptions.push({ entry: v.entry, from, to });
      else if (wanted(v.entry)) {
        const entry = this.entries[v.entry];
        hits.push({
          entry,
          language,
          phrase: v.phrase,
          matched: surfaceOf(from, to),
          from,
          to,
          length,
          fuzzy: false,
          confidence: 1,
          quoted: false,
          segmentIndex: -1,
          speaker: 'unknown' as Speaker,
          start: 0,
          end: 0,
          text: '',
          speakerAssumed: false,
        });
      }
    };
    m.exact.search(symbols, length, onExact);
    if (numeric) {
      const span = numeric.span;
      m.numeric.search(numeric.symbols, numeric.symbols.length, (from, to, v) => onExact(span[from][0], span[to - 1][1], v));
    }
    if (m.fuzzy.size) {
      // positions each entry's exact hits cover: a fuzzy hit of the same entry overlapping one is redundant
      // (a set of entry*length+position keys: linear in the exact hits' total length, not pairwise)
      // built on the first fuzzy candidate only: most utterances have none
      let exactCover: Set<number> | null = null;
      const exactCount = hits.length;
      m.fuzzy.search(fuzzySymbols(), length, (from, to, v) => {
        if (v.kind !== 'phrase' || !wanted(v.entry)) return;
        if (!exactCover) {
          exactCover = new Set<number>();
          for (let k = 0; k < exactCount; k++) {
            const h = hits[k];
            const ei = this.entryIndex.get(h.entry)!;
            for (let i = h.from; i < h.to; i++) exactCover.add(ei * (length + 1) + i);
          }
        }
        for (let i = from; i < to; i++) if (exactCover.has(v.entry * (length + 1) + i)) return;
        const entry = this.entries[v.entry];
        const matched = surfaceOf(from, to);
        const target = v.target ?? v.phrase;
        if (matched === target) return; // same text, already an exact hit
        const similarity = JaroWinklerDistance(matched, target, {});
        hits.push({
          entry,
          language,
          phrase: v.phrase,
          matched,
          from,
          to,
          length,
          fuzzy: true,
          confidence: round3(entry.fuzzyConfidence * similarity),
          quoted: false,
          segmentIndex: -1,
          speaker: 'unknown' as Speaker,
          start: 0,
          end: 0,
          text: '',
          speakerAssumed: false,
        });
      });
    }

    const excepted = exceptedHits(hits, exceptions, this.entryIndex);
    this.work.steps += hits.length + exceptions.length;
    const kept = hits.filter((h, i) => {
      if (excepted[i]) return false;
      if (h.entry.boundary === 'pause' && !pauseOrRepeat(symbols, length, pauseAt, h.from, h.to)) return false;
      if (h.entry.boundary === 'word' && pauseAt(h.to - 1)) return false;
      return true;
    });
    const resolved = resolveOverlaps(kept, length, this.work);
    markQuoted(resolved, quoteEnds, QUOTE_REACH[language]);
    return resolved;
  }

  /**
   * Match every segment of a transcript in its language(s), keep hits whose entry role fits the speaker,
   * and drop banned phrases the agent quotes back from the customer.
   */
  matchTranscript(segments: readonly TranscriptSegment[], options: Partial<MatchTranscriptOptions> = {}): TranscriptHit[] {
    const o = { ...DEFAULT_MATCH_OPTIONS, ...options };
    const out: TranscriptHit[] = [];
    /** all hits by customers, role-filtered or not, for the echo check */
    let customerSaid: { entryId: string; start: number }[] = [];
    segments.forEach((seg, segmentIndex) => {
      const dur = Math.max(0, seg.end - seg.start);
      // keep only what the echo window can still reach (segments arrive sorted by start)
      if (customerSaid.length > 64) customerSaid = customerSaid.filter((c) => seg.start - c.start <= o.echoWindowSec);
      for (const language of segmentLanguages(seg.text, o.language, o.mixedMinLatinWords)) {
        for (const h of this.matchText(seg.text, language, o.categories, seg.speaker)) {
          const start = seg.start + (h.length ? (h.from / h.length) * dur : 0);
          const end = seg.start + (h.length ? (h.to / h.length) * dur : dur);
          if (seg.speaker === 'customer') customerSaid.push({ entryId: h.entry.id, start });
          const role = h.entry.role;
          let speakerAssumed = false;
          let confidence = h.confidence;
          if (seg.speaker === 'unknown') {
            if (role !== 'any') {
              speakerAssumed = true;
              confidence = round3(confidence * o.unknownSpeakerConfidence);
            }
          } else if (role !== 'any' && role !== seg.speaker) continue;
          if (
            h.entry.category === 'banned' &&
            h.quoted &&
            customerSaid.some((c) => c.entryId === h.entry.id && c.start <= start && start - c.start <= o.echoWindowSec)
          ) {
            continue; // the agent is quoting the customer back
          }
          const th = h as TranscriptHit;
          th.confidence = confidence;
          th.segmentIndex = segmentIndex;
          th.speaker = seg.speaker;
          th.start = round3(start);
          th.end = round3(end);
          th.text = seg.text;
          th.speakerAssumed = speakerAssumed;
          out.push(th);
        }
      }
    });
    return out;
  }
}

/** Which lexicon languages an utterance is matched in. */
export function segmentLanguages(raw: string, mode: 'zh' | 'en' | 'auto', mixedMinLatinWords = 3): readonly LexiconLanguage[] {
  if (mode !== 'auto') return mode === 'zh' ? ONLY_ZH : ONLY_EN;
  if (!hasHan(raw)) return ONLY_EN;
  return latinWordCount(raw) >= mixedMinLatinWords ? BOTH : ONLY_ZH;
}
const ONLY_ZH: readonly LexiconLanguage[] = ['zh'];
const ONLY_EN: readonly LexiconLanguage[] = ['en'];
const BOTH: readonly LexiconLanguage[] = ['zh', 'en'];
const isDigits = (w: string) => /^\d+$/.test(w);

function pauseOrRepeat(symbols: Int32Array, length: number, pauseAt: (i: number) => boolean, from: number, to: number): boolean {
  if (pauseAt(to - 1)) return true;
  const n = to - from;
  const same = (a: number) => {
    if (a < 0 || a + n > length) return false;
    for (let i = 0; i < n; i++) if (symbols[a + i] !== symbols[from + i]) return false;
    return true;
  };
  return same(to) || same(from - n);
}

/**
 * Which hits sit inside an exception of their own entry (a longer phrase that makes them correct). One sort and
 * a sweep per entry: a hit [from, to) is excepted when some exception with start <= from reaches to or beyond,
 * i.e. when the furthest end among exceptions starting at or before `from` is >= `to`. O((h + x) log(h + x)).
 */
function exceptedHits(
  hits: readonly MatchHit[],
  exceptions: readonly { entry: number; from: number; to: number }[],
  entryIndex: ReadonlyMap<LexiconEntry, number>,
): boolean[] {
  const out = new Array<boolean>(hits.length).fill(false);
  if (exceptions.length === 0) return out;
  const xs = [...exceptions].sort((a, b) => a.entry - b.entry || a.from - b.from);
  const order = hits.map((_, i) => i).sort((a, b) => entryIndex.get(hits[a].entry)! - entryIndex.get(hits[b].entry)! || hits[a].from - hits[b].from);
  let xi = 0;
  let curEntry = -1;
  let reach = -1;
  for (const i of order) {
    const h = hits[i];
    const ei = entryIndex.get(h.entry)!;
    if (ei !== curEntry) {
      curEntry = ei;
      reach = -1;
      while (xi < xs.length && xs[xi].entry < ei) xi++;
    }
    while (xi < xs.length && xs[xi].entry === ei && xs[xi].from <= h.from) reach = Math.max(reach, xs[xi++].to);
    if (reach >= h.to) out[i] = true;
  }
  return out;
}

/**
 * `quoted`: a quote marker (您说 / "you said") ends at most `reach` symbols before the hit. Hits sorted by start,
 * marker ends ascending (the automaton reports them in end order): one merge-like sweep.
 */
function markQuoted(sortedHits: MatchHit[], quoteEnds: readonly number[], reach: number): void {
  if (quoteEnds.length === 0) return;
  let qi = 0;
  let last = -Infinity;
  for (const h of sortedHits) {
    while (qi < quoteEnds.length && quoteEnds[qi] <= h.from) last = quoteEnds[qi++];
    h.quoted = h.from - last <= reach;
  }
}

/**
 * Within a category and kind, overlapping hits keep the longest (then exact over fuzzy, then the more confident,
 * then the earliest): 啊呀 is one filler, not 啊 + 呀. Different kinds are different facts (工号 and 公司 in one
 * phrase). Linear in the hits (issue 15: pairwise comparison made a multi-MB transcript take minutes): one sort
 * by priority, then each hit checks only the positions it spans in an occupancy map of its category and kind.
 * Returns the kept hits sorted by position.
 */
export function resolveOverlaps(hits: readonly MatchHit[], length: number, work?: { steps: number }): MatchHit[] {
  if (hits.length <= 1) return [...hits];
  const sorted = [...hits].sort(
    (a, b) => b.to - b.from - (a.to - a.from) || Number(a.fuzzy) - Number(b.fuzzy) || b.confidence - a.confidence || a.from - b.from,
  );
  const kept: MatchHit[] = [];
  if (sorted.length <= SMALL_OVERLAP_SET) {
    // a handful of hits (the usual utterance): comparing with the few kept is cheaper than any map
    for (const h of sorted) {
      let clash = false;
      for (const k of kept) if (k.entry.category === h.entry.category && k.entry.kind === h.entry.kind && k.from < h.to && h.from < k.to) clash = true;
      if (work) work.steps += kept.length + 1;
      if (!clash) kept.push(h);
    }
  } else {
    const occupied = new Map<string, Uint8Array>();
    for (const h of sorted) {
      const key = `${h.entry.category}\u0000${h.entry.kind ?? ''}`;
      let occ = occupied.get(key);
      if (!occ) occupied.set(key, (occ = new Uint8Array(Math.max(length, h.to))));
      let free = true;
      for (let i = h.from; i < h.to && free; i++) free = occ[i] === 0;
      if (work) work.steps += h.to - h.from + 1;
      if (!free) continue;
      occ.fill(1, h.from, h.to);
      kept.push(h);
    }
  }
  return kept.sort((a, b) => a.from - b.from || a.to - b.to);
}

/** Up to this many hits in one utterance are resolved by direct comparison (bounded: still linear overall). */
const SMALL_OVERLAP_SET = 12;

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
