// natural's index pulls in storage back-ends that load dotenv (which prints to stdout): import submodules only.
import { JaroWinklerDistance } from 'natural/lib/natural/distance/index.js';
import type { Speaker, TranscriptSegment } from '../core/types.js';
import { AhoCorasick, type CompiledAutomaton, type MatchSink } from './aho-corasick.js';
import {
  KEEP_WORD_CLASS,
  EN_NUMBER_WORDS,
  NUM_CHAR,
  NUM_TOKEN,
  ZH_NUMERALS,
  PAUSE_CLASS,
  SEP_CLASS,
  charClass,
  codePointsToString,
  hasHanFast,
  isHanCodePoint,
  latinWordCount,
  metaphoneKey,
  newZhScratch,
  normaliseFast,
  phraseCharsZh,
  phraseTokensEn,
  pinyinKey,
  prepareEn,
  scanZhInto,
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
  /** the segment's raw text: the quote an inspector reads (around the hit, when the segment is long: quoteAround) */
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

/**
 * A hit as matchText makes it, with the TranscriptHit fields matchTranscript fills in (one shape from creation,
 * so filling them in adds no property). A class, not an object literal: V8 allocates its instances faster, which
 * counts at tens of thousands of hits per MB of transcript. Plain data: own enumerable fields only.
 */
class Hit implements TranscriptHit {
  segmentIndex = -1;
  speaker: Speaker = 'unknown';
  start = 0;
  end = 0;
  text = '';
  speakerAssumed = false;
  constructor(
    public entry: LexiconEntry,
    public language: LexiconLanguage,
    public phrase: string,
    public matched: string,
    public from: number,
    public to: number,
    public length: number,
    public fuzzy: boolean,
    public confidence: number,
    public quoted: boolean,
  ) {}
}

/** One shape for every pattern value (the automata read them on every match). */
interface PatternValue {
  kind: typeof PHRASE | typeof EXCEPTION | typeof QUOTE;
  /** entry index (-1 for a quote marker) */
  entry: number;
  phrase: string;
  /** fuzzy patterns: the phrase as matched text */
  target: string | undefined;
  /**
   * Chinese exact patterns: the text any match of the pattern has (its code points are the matched symbols), made
   * once here rather than once per hit. undefined elsewhere (English words match by stem, numbers vary).
   */
  surface: string | undefined;
}
const PHRASE = 0;
const EXCEPTION = 1;
const QUOTE = 2;

/** One automaton of a compiled matcher: its arrays and its patterns' values as columns (pattern id order). */
interface CompiledPatterns {
  automaton: CompiledAutomaton;
  kind: Uint8Array;
  entry: Int32Array;
  phrase: string[];
  target: (string | undefined)[];
  surface: (string | undefined)[];
}

interface CompiledLanguage {
  exact: CompiledPatterns;
  numeric: CompiledPatterns;
  fuzzy: CompiledPatterns;
  /** symbol id -> token (English stems) */
  vocab: string[];
  /** symbol id -> sound key (pinyin keys, Metaphone keys) */
  fuzzyVocab: string[];
}

/**
 * A built matcher without its lexicon entries: the automata and vocabularies, plain typed arrays and strings.
 * Building one takes ~1 s of CPU for the shipped lexicons (60 000 phrases and exceptions: Chinese normalised and
 * put into pinyin, English stemmed and put into Metaphone); loading this takes a few milliseconds. It is only
 * valid with the very entries it was built from (src/lexicon/compiled.ts keys it by them and by this code).
 */
export interface CompiledMatcher {
  entries: number;
  langs: Record<LexiconLanguage, CompiledLanguage>;
}

function compilePatterns(a: AhoCorasick<PatternValue>): CompiledPatterns {
  const automaton = a.compiled();
  const n = automaton.patternLength.length;
  const out: CompiledPatterns = { automaton, kind: new Uint8Array(n), entry: new Int32Array(n), phrase: [], target: [], surface: [] };
  for (let i = 0; i < n; i++) {
    const v = a.valueOf(i);
    out.kind[i] = v.kind;
    out.entry[i] = v.entry;
    out.phrase.push(v.phrase);
    out.target.push(v.target);
    out.surface.push(v.surface);
  }
  return out;
}

function loadPatterns(c: CompiledPatterns, nEntries: number): AhoCorasick<PatternValue> {
  const n = c.kind.length;
  if (c.entry.length !== n || c.phrase.length !== n || c.target.length !== n || c.surface.length !== n) throw new Error('compiled matcher: pattern columns of different lengths');
  const values: PatternValue[] = [];
  for (let i = 0; i < n; i++) {
    const kind = c.kind[i] as PatternValue['kind'];
    const entry = c.entry[i];
    if ((kind !== PHRASE && kind !== EXCEPTION && kind !== QUOTE) || entry < -1 || entry >= nEntries || typeof c.phrase[i] !== 'string') {
      throw new Error(`compiled matcher: pattern ${i} does not fit these lexicons`);
    }
    values.push({ kind, entry, phrase: c.phrase[i], target: c.target[i] ?? undefined, surface: c.surface[i] ?? undefined });
  }
  return AhoCorasick.load(c.automaton, values);
}

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

/**
 * Buffers reused by every utterance (one at a time; nothing keeps them after matchText returns): the prepared
 * symbols, the automata's matches, and the candidate hits as parallel typed arrays, so that only the hits that
 * survive exceptions, boundaries and overlaps become objects.
 */
class Scratch {
  zh: ZhScratch = newZhScratch();
  /** English: stem symbols, Metaphone symbols, word [start, end) in the normalised text, pause after, digits-only */
  en = new Int32Array(64);
  fuzzy = new Int32Array(256);
  wordStart = new Int32Array(64);
  wordEnd = new Int32Array(64);
  enPause = new Uint8Array(64);
  enDigits = new Uint8Array(64);
  enNorm = '';
  /** numeric automaton input: collapsed symbols and each one's [from, to) in the prepared utterance */
  num = new Int32Array(64);
  numFrom = new Int32Array(64);
  numTo = new Int32Array(64);
  sink: MatchSink = { buf: new Int32Array(3 * 64) };
  /** candidate hits */
  cap = 0;
  cEntry = new Int32Array(0);
  cFrom = new Int32Array(0);
  cTo = new Int32Array(0);
  cFuzzy = new Uint8Array(0);
  cConf = new Float64Array(0);
  cPhrase: string[] = [];
  cMatched: (string | undefined)[] = [];
  order = new Int32Array(0);
  rank = new Int32Array(0);
  /** exceptions: entry, from, to */
  xs = new Int32Array(3 * 16);
  quoteEnds = new Int32Array(16);

  growCandidates(n: number): void {
    if (n <= this.cap) return;
    const cap = Math.max(n, this.cap * 2, 32);
    const g = <A extends Int32Array | Uint8Array | Float64Array>(a: A, make: (k: number) => A): A => {
      const b = make(cap);
      b.set(a as never);
      return b;
    };
    this.cEntry = g(this.cEntry, (k) => new Int32Array(k));
    this.cFrom = g(this.cFrom, (k) => new Int32Array(k));
    this.cTo = g(this.cTo, (k) => new Int32Array(k));
    this.cFuzzy = g(this.cFuzzy, (k) => new Uint8Array(k));
    this.cConf = g(this.cConf, (k) => new Float64Array(k));
    this.order = new Int32Array(cap);
    this.rank = new Int32Array(cap);
    this.cap = cap;
  }
  growEn(n: number): void {
    if (this.en.length >= n) return;
    this.en = new Int32Array(n * 2);
    this.wordStart = new Int32Array(n * 2);
    this.wordEnd = new Int32Array(n * 2);
    this.enPause = new Uint8Array(n * 2);
    this.enDigits = new Uint8Array(n * 2);
  }
  growNum(n: number): void {
    if (this.num.length >= n) return;
    this.num = new Int32Array(n * 2);
    this.numFrom = new Int32Array(n * 2);
    this.numTo = new Int32Array(n * 2);
  }
}

/** Minimum phrase size for fuzzy matching: short phrases would match too much by sound alone. */
const FUZZY_MIN_ZH_CHARS = 3;
const FUZZY_MIN_EN_LETTERS = 6;
/**
 * A Chinese fuzzy hit is a recogniser's slip: a character or two of the phrase written as a homophone (宁好 for
 * 您好, 攻号 for 工号), the rest as written. Most of a short phrase sounding alike is a different word (区医院 is
 * not 区议员), so at most a third of the characters (at least one) may differ.
 */
function soundsLikeSlip(matched: string, target: string): boolean {
  const a = [...matched];
  const b = [...target];
  if (a.length !== b.length) return true;
  let differ = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++;
  return differ <= Math.max(1, Math.floor(a.length / 3));
}
/** a quote marker must end at most this many chars (zh) / tokens (en) before the hit */
const QUOTE_REACH = { zh: 10, en: 6 } as const;
/** entry boundary codes */
const B_NONE = 0;
const B_PAUSE = 1;
const B_WORD = 2;

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
  /** made from a compiled matcher (the cache folder's) rather than built */
  readonly loaded: boolean;
  private readonly langs: Record<LexiconLanguage, LanguageMatcher>;
  /**
   * Steps spent resolving hits (overlaps, exceptions) since the last reset: a machine-independent measure of
   * work, so tests can show it grows linearly with the hits (issue 15) without timing anything.
   */
  readonly work = { steps: 0 };
  private readonly scratch = new Scratch();
  /** per entry: boundary code, overlap group (category and kind), fuzzy confidence */
  private readonly entryBoundary: Uint8Array;
  private readonly entryGroup: Int32Array;
  private readonly entryFuzzyConf: Float64Array;

  /**
   * `compiled`: what compiled() gave for these very lexicons (then nothing is built; parts that do not fit
   * throw).
   */
  constructor(lex: LoadedLexicons, compiled?: CompiledMatcher) {
    this.entries = lex.entries;
    this.loaded = compiled !== undefined;
    this.langs = compiled ? this.loadLangs(compiled) : { zh: this.emptyLang(), en: this.emptyLang() };
    const groups = new Map<string, number>();
    this.entryBoundary = Uint8Array.from(lex.entries, (e) => (e.boundary === 'pause' ? B_PAUSE : e.boundary === 'word' ? B_WORD : B_NONE));
    this.entryGroup = Int32Array.from(lex.entries, (e) => {
      const key = `${e.category}\u0000${e.kind ?? ''}`;
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = groups.size));
      return g;
    });
    this.entryFuzzyConf = Float64Array.from(lex.entries, (e) => e.fuzzyConfidence);
    if (compiled) return;
    lex.entries.forEach((e, i) => this.addEntry(e, i));
    for (const lang of ['zh', 'en'] as const) {
      for (const q of lex.quoteMarkers[lang]) this.addPattern(lang, q, { kind: QUOTE, entry: -1, phrase: q, target: undefined, surface: undefined });
      const m = this.langs[lang];
      m.exact.build();
      m.numeric.build();
      m.fuzzy.build();
    }
  }

  /** The automata and vocabularies, for a later `new LexiconMatcher(lex, compiled)` with the same lexicons. */
  compiled(): CompiledMatcher {
    const lang = (m: LanguageMatcher): CompiledLanguage => ({
      exact: compilePatterns(m.exact),
      numeric: compilePatterns(m.numeric),
      fuzzy: compilePatterns(m.fuzzy),
      vocab: [...m.vocab.keys()],
      fuzzyVocab: [...m.fuzzyVocab.keys()],
    });
    return { entries: this.entries.length, langs: { zh: lang(this.langs.zh), en: lang(this.langs.en) } };
  }

  private loadLangs(c: CompiledMatcher): Record<LexiconLanguage, LanguageMatcher> {
    if (c.entries !== this.entries.length) throw new Error(`compiled matcher: built for ${c.entries} entries, not ${this.entries.length}`);
    const lang = (l: CompiledLanguage): LanguageMatcher => ({
      ...this.emptyLang(),
      exact: loadPatterns(l.exact, c.entries),
      numeric: loadPatterns(l.numeric, c.entries),
      fuzzy: loadPatterns(l.fuzzy, c.entries),
      // ids were given in insertion order (idOf), so an id is its key's index
      vocab: new Map(l.vocab.map((k, i) => [k, i])),
      fuzzyVocab: new Map(l.fuzzyVocab.map((k, i) => [k, i])),
    });
    return { zh: lang(c.langs.zh), en: lang(c.langs.en) };
  }

  private readonly masks = new Map<string, Uint8Array>();
  /**
   * Per entry: 1 when its hits are wanted. Entries whose hits matchTranscript would drop for this speaker are not
   * even collected (their role is another side's; banned phrases are kept on customer speech for the echo check),
   * nor entries of categories not asked for. null: every entry.
   */
  private wantedMask(categories: readonly LexiconCategory[] | undefined, speaker: Speaker | undefined): Uint8Array | null {
    if (!categories && !speaker) return null;
    const key = `${speaker ?? ''}|${categories ? categories.join(',') : '*'}`;
    let f = this.masks.get(key);
    if (!f) {
      f = Uint8Array.from(this.entries, (e) =>
        (!speaker || speaker === 'unknown' || e.role === 'any' || e.role === speaker || (speaker === 'customer' && e.category === 'banned')) &&
        (!categories || categories.includes(e.category))
          ? 1
          : 0,
      );
      if (this.masks.size > 1000) this.masks.clear();
      this.masks.set(key, f);
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
      if (chars.includes(NUM_CHAR)) m.numeric.add(chars, value);
      else m.exact.add(chars, { ...value, surface: String.fromCodePoint(...chars) });
    } else {
      const toks = phraseTokensEn(phrase);
      const ids = toks.map((t) => idOf(m.vocab, t, true));
      (toks.includes(NUM_TOKEN) ? m.numeric : m.exact).add(ids, value);
    }
  }

  private addEntry(e: LexiconEntry, index: number): void {
    const m = this.langs[e.language];
    for (const phrase of e.phrases) {
      this.addPattern(e.language, phrase, { kind: PHRASE, entry: index, phrase, target: undefined, surface: undefined });
      if (!e.fuzzy || phrase.includes('{n}')) continue;
      if (e.language === 'zh') {
        const chars = phraseCharsZh(phrase);
        if (chars.length >= FUZZY_MIN_ZH_CHARS) {
          const target = String.fromCodePoint(...chars);
          m.fuzzy.add(
            chars.map((c) => idOf(m.fuzzyVocab, pinyinKey(c), true)),
            { kind: PHRASE, entry: index, phrase, target, surface: undefined },
          );
        }
      } else {
        const words = prepareEn(phrase).words;
        if (words.join('').length >= FUZZY_MIN_EN_LETTERS) {
          m.fuzzy.add(
            words.map((w) => idOf(m.fuzzyVocab, metaphoneKey(w), true)),
            { kind: PHRASE, entry: index, phrase, target: words.join(' '), surface: undefined },
          );
        }
      }
    }
    for (const ex of e.exceptions) this.addPattern(e.language, ex, { kind: EXCEPTION, entry: index, phrase: ex, target: undefined, surface: undefined });
  }

  /**
   * English words of an utterance into the scratch buffers: runs of letters and digits of the normalised text
   * (prepareEn's tokens), each word's stem and Metaphone symbols, where it sits, a pause after it. Returns the count
   * and whether a word is all ASCII digits (a number for `{n}` patterns).
   */
  private scanEn(raw: string, m: LanguageMatcher): { length: number; digits: boolean } {
    const sc = this.scratch;
    const norm = normaliseFast(raw);
    sc.enNorm = norm;
    // at most one word per two units (a word and a separator), plus one
    sc.growEn((norm.length >> 1) + 2);
    if (sc.fuzzy.length < sc.en.length) sc.fuzzy = new Int32Array(sc.en.length);
    const sym = sc.en;
    const fz = sc.fuzzy;
    const ws = sc.wordStart;
    const we = sc.wordEnd;
    const pause = sc.enPause;
    const isNum = sc.enDigits;
    let n = 0;
    let start = -1;
    let han = false;
    let allDigits = true;
    let digits = false;
    for (let i = 0; i <= norm.length; i++) {
      let cls = SEP_CLASS;
      let cp = 0;
      if (i < norm.length) {
        cp = norm.codePointAt(i)!;
        cls = charClass(cp);
      }
      if (cls === KEEP_WORD_CLASS) {
        if (start < 0) {
          start = i;
          allDigits = true;
        }
        if (isHanCodePoint(cp)) han = true;
        if (cp < 0x30 || cp > 0x39) allDigits = false;
      } else {
        if (start >= 0) {
          if (han) {
            if (n) pause[n - 1] = 1;
          } else {
            const ids = this.wordIdsEn(m, norm.slice(start, i));
            sym[n] = ids[0];
            fz[n] = ids[1];
            ws[n] = start;
            we[n] = i;
            pause[n] = 0;
            // digits-only words and number words: `{n}` patterns read runs of them as a number (collapseEn)
            const word = allDigits ? '' : norm.slice(start, i);
            isNum[n] = allDigits ? 1 : EN_NUMBER_WORDS.has(word) ? 2 : 0;
            if (isNum[n]) digits = true;
            n++;
          }
          start = -1;
          han = false;
        }
        if (cls === PAUSE_CLASS && n) pause[n - 1] = 1;
      }
      if (cp > 0xffff) i++;
    }
    if (n) pause[n - 1] = 1;
    return { length: n, digits };
  }

  /**
   * Match one utterance in one language. No role or position filtering (see matchTranscript). Hits are created
   * with the TranscriptHit fields matchTranscript fills in (segmentIndex, speaker, start, end, text,
   * speakerAssumed), so every hit object keeps one shape and filling them in allocates nothing.
   */
  matchText(raw: string, language: LexiconLanguage, categories?: readonly LexiconCategory[], speaker?: Speaker): MatchHit[] {
    return this.matchWith(raw, language, this.wantedMask(categories, speaker));
  }

  /** matchText with the wanted-entry mask already made (matchTranscript makes it once per speaker). */
  private matchWith(raw: string, language: LexiconLanguage, wanted: Uint8Array | null): TranscriptHit[] {
    const m = this.langs[language];
    const sc = this.scratch;
    let symbols: Int32Array;
    let pause: Uint8Array;
    let length: number;
    let digits = false;
    if (language === 'zh') {
      length = scanZhInto(raw, sc.zh);
      symbols = sc.zh.chars;
      pause = sc.zh.pause;
    } else {
      const r = this.scanEn(raw, m);
      length = r.length;
      digits = r.digits;
      symbols = sc.en;
      pause = sc.enPause;
    }
    let nc = 0; // candidates
    let nx = 0; // exceptions
    let nq = 0; // quote marker ends
    let quotesSorted = true;

    // exact phrases, exceptions and quote markers
    const nExact = m.exact.collect(symbols, length, sc.sink);
    sc.growCandidates(nExact);
    let buf = sc.sink.buf;
    for (let k = 0; k < nExact; k++) {
      const v = m.exact.valueOf(buf[3 * k + 2]);
      const from = buf[3 * k];
      const to = buf[3 * k + 1];
      if (v.kind === PHRASE) {
        if (wanted !== null && wanted[v.entry] === 0) continue;
        this.addCandidate(nc++, v.entry, from, to, 0, 1, v.phrase, v.surface);
      } else if (v.kind === EXCEPTION) nx = this.addException(nx, v.entry, from, to);
      else nq = this.addQuoteEnd(nq, to);
    }

    // `{n}` patterns over the utterance with number runs collapsed to one symbol
    if (m.numeric.size) {
      const nl = language === 'zh' ? this.collapseZh(length) : digits ? this.collapseEn(length, m) : -1;
      if (nl >= 0) {
        const nNum = m.numeric.collect(sc.num, nl, sc.sink);
        buf = sc.sink.buf;
        sc.growCandidates(nc + nNum);
        for (let k = 0; k < nNum; k++) {
          const v = m.numeric.valueOf(buf[3 * k + 2]);
          const from = sc.numFrom[buf[3 * k]];
          const to = sc.numTo[buf[3 * k + 1] - 1];
          if (v.kind === PHRASE) {
            if (wanted !== null && wanted[v.entry] === 0) continue;
            this.addCandidate(nc++, v.entry, from, to, 0, 1, v.phrase, undefined);
          } else if (v.kind === EXCEPTION) nx = this.addException(nx, v.entry, from, to);
          else {
            if (nq > 0 && sc.quoteEnds[nq - 1] > to) quotesSorted = false;
            nq = this.addQuoteEnd(nq, to);
          }
        }
      }
    }

    // fuzzy (pinyin / Metaphone) phrases
    if (m.fuzzy.size) {
      let fuzzySyms: Int32Array;
      if (language === 'zh') {
        if (sc.fuzzy.length < length) sc.fuzzy = new Int32Array(length * 2);
        fuzzySyms = sc.fuzzy;
        for (let i = 0; i < length; i++) fuzzySyms[i] = this.fuzzyIdZh(m, symbols[i]);
      } else fuzzySyms = sc.fuzzy;
      const nFz = m.fuzzy.collect(fuzzySyms, length, sc.sink);
      buf = sc.sink.buf;
      if (nFz > 0) {
        sc.growCandidates(nc + nFz);
        // a fuzzy hit overlapping an exact hit of the same entry is redundant. A few exact hits are compared
        // directly; many go into a set of entry*length+position keys (linear in their total length, not pairwise),
        // built on the first fuzzy candidate only
        let exactCover: Set<number> | null = null;
        const exactCount = nc;
        for (let k = 0; k < nFz; k++) {
          const v = m.fuzzy.valueOf(buf[3 * k + 2]);
          if (v.kind !== PHRASE || (wanted !== null && wanted[v.entry] === 0)) continue;
          const from = buf[3 * k];
          const to = buf[3 * k + 1];
          let covered = false;
          if (exactCount <= SMALL_OVERLAP_SET) {
            for (let c = 0; c < exactCount && !covered; c++) covered = sc.cEntry[c] === v.entry && sc.cFrom[c] < to && from < sc.cTo[c];
          } else {
            if (!exactCover) {
              exactCover = new Set<number>();
              for (let c = 0; c < exactCount; c++) {
                const base = sc.cEntry[c] * (length + 1);
                for (let i = sc.cFrom[c]; i < sc.cTo[c]; i++) exactCover.add(base + i);
              }
            }
            for (let i = from; i < to && !covered; i++) covered = exactCover.has(v.entry * (length + 1) + i);
          }
          if (covered) continue;
          const matched = this.surface(language, symbols, from, to);
          const target = v.target ?? v.phrase;
          if (matched === target) continue; // same text, already an exact hit
          if (language === 'zh' && !soundsLikeSlip(matched, target)) continue;
          const similarity = JaroWinklerDistance(matched, target, {});
          this.addCandidate(nc++, v.entry, from, to, 1, round3(this.entryFuzzyConf[v.entry] * similarity), v.phrase, matched);
        }
      }
    }
    this.work.steps += nc + nx;
    if (nc === 0) return [];

    // exceptions, boundaries: the candidates kept, in candidate order
    const order = sc.order;
    let nk = 0;
    const excepted = nx > 0 ? this.exceptedCandidates(nc, nx) : null;
    for (let c = 0; c < nc; c++) {
      if (excepted !== null && excepted[c] === 1) continue;
      const b = this.entryBoundary[sc.cEntry[c]];
      if (b === B_PAUSE && !pauseOrRepeat(symbols, length, pause, sc.cFrom[c], sc.cTo[c])) continue;
      if (b === B_WORD && pause[sc.cTo[c] - 1] === 1) continue;
      order[nk++] = c;
    }
    nk = this.resolveOverlaps(nk, length);
    if (!quotesSorted) sc.quoteEnds.subarray(0, nq).sort();

    // the surviving hits as objects, by position; `quoted`: a quote marker ends at most `reach` symbols before
    const reach = QUOTE_REACH[language];
    const hits: TranscriptHit[] = new Array(nk);
    let qi = 0;
    let lastQuote = -Infinity;
    for (let k = 0; k < nk; k++) {
      const c = order[k];
      const from = sc.cFrom[c];
      const to = sc.cTo[c];
      while (qi < nq && sc.quoteEnds[qi] <= from) lastQuote = sc.quoteEnds[qi++];
      const fuzzy = sc.cFuzzy[c] === 1;
      hits[k] = new Hit(
        this.entries[sc.cEntry[c]],
        language,
        sc.cPhrase[c],
        sc.cMatched[c] ?? this.surface(language, symbols, from, to),
        from,
        to,
        length,
        fuzzy,
        sc.cConf[c],
        nq > 0 && from - lastQuote <= reach,
      );
    }
    return hits;
  }

  private addCandidate(c: number, entry: number, from: number, to: number, fuzzy: number, conf: number, phrase: string, matched: string | undefined): void {
    const sc = this.scratch;
    sc.cEntry[c] = entry;
    sc.cFrom[c] = from;
    sc.cTo[c] = to;
    sc.cFuzzy[c] = fuzzy;
    sc.cConf[c] = conf;
    sc.cPhrase[c] = phrase;
    sc.cMatched[c] = matched;
  }

  private addException(nx: number, entry: number, from: number, to: number): number {
    const sc = this.scratch;
    if (3 * nx + 3 > sc.xs.length) {
      const g = new Int32Array(sc.xs.length * 2);
      g.set(sc.xs);
      sc.xs = g;
    }
    sc.xs[3 * nx] = entry;
    sc.xs[3 * nx + 1] = from;
    sc.xs[3 * nx + 2] = to;
    return nx + 1;
  }

  private addQuoteEnd(nq: number, to: number): number {
    const sc = this.scratch;
    if (nq >= sc.quoteEnds.length) {
      const g = new Int32Array(sc.quoteEnds.length * 2);
      g.set(sc.quoteEnds);
      sc.quoteEnds = g;
    }
    sc.quoteEnds[nq] = to;
    return nq + 1;
  }

  /** The matched text of [from, to): compact Chinese, or the English words joined by a space. */
  private surface(language: LexiconLanguage, symbols: Int32Array, from: number, to: number): string {
    if (language === 'zh') return codePointsToString(symbols, from, to);
    const sc = this.scratch;
    let s = '';
    for (let i = from; i < to; i++) {
      const w = sc.enNorm.slice(sc.wordStart[i], sc.wordEnd[i]);
      s = i === from ? w : `${s} ${w}`;
    }
    return s;
  }

  /**
   * Chinese number runs collapsed for `{n}` patterns (collapseNumbersZh: ASCII digit runs, and runs of three or
   * more Chinese numerals) into the numeric scratch; returns the collapsed length, or -1 when there is no number.
   */
  private collapseZh(length: number): number {
    const sc = this.scratch;
    const chars = sc.zh.chars;
    let any = false;
    for (let i = 0; i < length && !any; i++) if (numeralKind(chars[i]) !== 0) any = true;
    if (!any) return -1;
    sc.growNum(length);
    let n = 0;
    let found = false;
    for (let i = 0; i < length; ) {
      const kind = numeralKind(chars[i]);
      if (kind !== 0) {
        let j = i;
        while (j < length && numeralKind(chars[j]) === kind) j++;
        if (kind === DIGIT || j - i >= 3) {
          sc.num[n] = NUM_CHAR;
          sc.numFrom[n] = i;
          sc.numTo[n] = j;
          n++;
          found = true;
          i = j;
          continue;
        }
      }
      sc.num[n] = chars[i];
      sc.numFrom[n] = i;
      sc.numTo[n] = i + 1;
      n++;
      i++;
    }
    return found ? n : -1;
  }

  /**
   * English: a run of number words holding a digits-only word, or of two or more number words, becomes the
   * number token (collapseNumbersEn); returns the collapsed length, or -1 when there is no number.
   */
  private collapseEn(length: number, m: LanguageMatcher): number {
    const sc = this.scratch;
    sc.growNum(length);
    const numId = idOf(m.vocab, NUM_TOKEN, false);
    const kind = sc.enDigits;
    let n = 0;
    let found = false;
    for (let i = 0; i < length; ) {
      if (kind[i] !== 0) {
        let j = i;
        let digits = false;
        // (a run ends at a pause: "agent one. two three" holds no staff number)
        for (; j < length && kind[j] !== 0 && (j === i || sc.enPause[j - 1] === 0); j++) if (kind[j] === 1) digits = true;
        if (digits || j - i >= 2) {
          sc.num[n] = numId;
          sc.numFrom[n] = i;
          sc.numTo[n] = j;
          n++;
          found = true;
          i = j;
          continue;
        }
      }
      sc.num[n] = sc.en[i];
      sc.numFrom[n] = i;
      sc.numTo[n] = i + 1;
      n++;
      i++;
    }
    return found ? n : -1;
  }

  /**
   * Which candidates sit inside an exception of their own entry (a longer phrase that makes them correct): some
   * exception of the entry starts at or before the candidate and ends at or after it. Few of either: compared
   * directly; otherwise one sort and a sweep per entry, O((h + x) log(h + x)).
   */
  private exceptedCandidates(nc: number, nx: number): Uint8Array {
    const sc = this.scratch;
    const out = new Uint8Array(nc);
    const xs = sc.xs;
    if (nc * nx <= 256) {
      for (let c = 0; c < nc; c++) {
        const e = sc.cEntry[c];
        for (let x = 0; x < nx; x++) {
          if (xs[3 * x] === e && xs[3 * x + 1] <= sc.cFrom[c] && xs[3 * x + 2] >= sc.cTo[c]) {
            out[c] = 1;
            break;
          }
        }
      }
      return out;
    }
    const xi = Array.from({ length: nx }, (_, i) => i).sort((a, b) => xs[3 * a] - xs[3 * b] || xs[3 * a + 1] - xs[3 * b + 1]);
    const ci = Array.from({ length: nc }, (_, i) => i).sort((a, b) => sc.cEntry[a] - sc.cEntry[b] || sc.cFrom[a] - sc.cFrom[b]);
    let p = 0;
    let curEntry = -1;
    let reach = -1;
    for (const c of ci) {
      const e = sc.cEntry[c];
      if (e !== curEntry) {
        curEntry = e;
        reach = -1;
        while (p < nx && xs[3 * xi[p]] < e) p++;
      }
      while (p < nx && xs[3 * xi[p]] === e && xs[3 * xi[p] + 1] <= sc.cFrom[c]) reach = Math.max(reach, xs[3 * xi[p++] + 2]);
      if (reach >= sc.cTo[c]) out[c] = 1;
    }
    return out;
  }

  /**
   * Within a category and kind, overlapping hits keep the longest (then exact over fuzzy, then the more confident,
   * then the earliest, then the first found): 啊呀 is one filler, not 啊 + 呀. Different kinds are different facts
   * (工号 and 公司 in one phrase). Linear in the hits (issue 15): one sort by priority, then a handful of hits are
   * compared with those kept, more check only the positions they span in an occupancy map of their category and
   * kind. Reads the first `n` candidate indexes of scratch.order and leaves the kept ones there, by position;
   * returns how many.
   */
  private resolveOverlaps(n: number, length: number): number {
    const sc = this.scratch;
    const order = sc.order;
    if (n <= 1) return n;
    const { cFrom, cTo, cEntry } = sc;
    sortIndexes(order, n, sc, BY_PRIORITY);
    const group = this.entryGroup;
    let nk = 0;
    if (n <= SMALL_OVERLAP_SET) {
      // a handful of hits (the usual utterance): comparing with the few kept is cheaper than any map
      for (let k = 0; k < n; k++) {
        const h = order[k];
        let clash = false;
        for (let j = 0; j < nk; j++) {
          const o = order[j];
          if (group[cEntry[o]] === group[cEntry[h]] && cFrom[o] < cTo[h] && cFrom[h] < cTo[o]) clash = true;
        }
        this.work.steps += nk + 1;
        if (!clash) order[nk++] = h;
      }
    } else {
      const occupied = new Map<number, Uint8Array>();
      for (let k = 0; k < n; k++) {
        const h = order[k];
        const g = group[cEntry[h]];
        let occ = occupied.get(g);
        if (!occ) occupied.set(g, (occ = new Uint8Array(Math.max(length, cTo[h]))));
        let free = true;
        for (let i = cFrom[h]; i < cTo[h] && free; i++) free = occ[i] === 0;
        this.work.steps += cTo[h] - cFrom[h] + 1;
        if (!free) continue;
        occ.fill(1, cFrom[h], cTo[h]);
        order[nk++] = h;
      }
    }
    // by position; among equal spans, in priority order (the order kept)
    const rank = sc.rank;
    for (let k = 0; k < nk; k++) rank[order[k]] = k;
    sortIndexes(order, nk, sc, BY_POSITION);
    return nk;
  }

  /**
   * Match every segment of a transcript in its language(s), keep hits whose entry role fits the speaker,
   * and drop banned phrases the agent quotes back from the customer.
   */
  matchTranscript(segments: readonly TranscriptSegment[], options: Partial<MatchTranscriptOptions> = {}): TranscriptHit[] {
    const o = { ...DEFAULT_MATCH_OPTIONS, ...options };
    const out: TranscriptHit[] = [];
    const maskBySpeaker = new Map<Speaker, Uint8Array | null>();
    /** all hits by customers, role-filtered or not, for the echo check */
    let customerSaid: { entryId: string; start: number }[] = [];
    for (let segmentIndex = 0; segmentIndex < segments.length; segmentIndex++) {
      const seg = segments[segmentIndex];
      const dur = Math.max(0, seg.end - seg.start);
      // keep only what the echo window can still reach (segments arrive sorted by start)
      if (customerSaid.length > 64) customerSaid = withinWindow(customerSaid, seg.start, o.echoWindowSec);
      let mask = maskBySpeaker.get(seg.speaker);
      if (mask === undefined) maskBySpeaker.set(seg.speaker, (mask = this.wantedMask(o.categories, seg.speaker)));
      const languages = segmentLanguages(seg.text, o.language, o.mixedMinLatinWords);
      /** a long segment's code points, split once for all its hits' quotes */
      let longCps: string[] | undefined;
      for (let li = 0; li < languages.length; li++) {
        const hits = this.matchWith(seg.text, languages[li], mask);
        for (let k = 0; k < hits.length; k++) {
          const th = hits[k];
          const start = seg.start + (th.length ? (th.from / th.length) * dur : 0);
          const end = seg.start + (th.length ? (th.to / th.length) * dur : dur);
          if (seg.speaker === 'customer') customerSaid.push({ entryId: th.entry.id, start });
          const role = th.entry.role;
          let speakerAssumed = false;
          let confidence = th.confidence;
          if (seg.speaker === 'unknown') {
            if (role !== 'any') {
              speakerAssumed = true;
              confidence = round3(confidence * o.unknownSpeakerConfidence);
            }
          } else if (role !== 'any' && role !== seg.speaker) continue;
          if (th.entry.category === 'banned' && th.quoted && echoes(customerSaid, th.entry.id, start, o.echoWindowSec)) {
            continue; // the agent is quoting the customer back
          }
          th.confidence = confidence;
          th.segmentIndex = segmentIndex;
          th.speaker = seg.speaker;
          th.start = round3(start);
          th.end = round3(end);
          if (seg.text.length > QUOTE_MAX_CHARS && th.length) {
            longCps ??= Array.from(seg.text);
            th.text = quoteAround(longCps, th.from / th.length, th.to / th.length, th.matched);
          } else th.text = seg.text;
          th.speakerAssumed = speakerAssumed;
          out.push(th);
        }
      }
    }
    return out;
  }
}

/** A segment longer than this is quoted in part: the words around each hit (quoteAround). */
export const QUOTE_MAX_CHARS = 240;
const QUOTE_BOUNDARY = /[\s,.;:!?，。；：！？、…]/u;
/** Code points kept on each side of a hit's estimated place in a long segment. */
const QUOTE_CONTEXT = 80;

/**
 * The part of a long segment an inspector needs to read one hit: the text around it, cut at word or clause
 * boundaries, with an ellipsis where it was cut. `from` and `to` are the hit's place in the segment as
 * fractions (0..1) of its prepared text, which the raw text follows closely. Without this, a platform's
 * transcript that puts a whole side of the call in one segment made every hit carry the whole side: 1 200
 * filler events on 22 kB of text were a 70 MB report and 1.1 GB of memory.
 */
export function quoteAround(text: string | readonly string[], from: number, to: number, matched?: string): string {
  const cps = typeof text === 'string' ? Array.from(text) : text;
  const n = cps.length;
  if (n <= QUOTE_MAX_CHARS) return typeof text === 'string' ? text : text.join('');
  let a = Math.max(0, Math.min(n, Math.floor(Math.min(from, to) * n)));
  let b = Math.max(a, Math.min(n, Math.ceil(Math.max(from, to) * n)));
  // the estimate is proportional to the prepared text (words, for English), which uneven text can throw far off:
  // where the matched text can be found near it, quote around that
  const found = matched ? locateHit(cps, matched, a) : undefined;
  if (found) [a, b] = found;
  // the hit itself is never cut, however long; around it, QUOTE_CONTEXT code points each side
  let lo = Math.max(0, a - QUOTE_CONTEXT);
  let hi = Math.min(n, b + QUOTE_CONTEXT);
  // move the cuts outwards to the nearest boundary (a space or punctuation) within a few characters
  const boundary = (c: string) => QUOTE_BOUNDARY.test(c);
  for (let k = 0; k < 12 && lo > 0 && !boundary(cps[lo - 1]!); k++) lo--;
  for (let k = 0; k < 12 && hi < n && !boundary(cps[hi]!); k++) hi++;
  const body = cps.slice(lo, hi).join('').trim();
  return `${lo > 0 ? '…' : ''}${body}${hi < n ? '…' : ''}`;
}

/**
 * How far (code points each side of the estimate) locateHit looks for the matched text: close first (the estimate
 * is usually within a few words), then wider.
 */
const LOCATE_WINDOWS = [64, 1_000, 8_000] as const;
/** What may stand between two characters of the matched text in the raw text: spaces, punctuation, symbols. */
const LOCATE_GAP = String.raw`[\s\p{P}\p{S}]*`;
/** Patterns by matched text: one segment's thousands of hits are mostly the same few fillers. */
const locatePatterns = new Map<string, RegExp | null>();

function locatePattern(matched: string): RegExp | null {
  let re = locatePatterns.get(matched);
  if (re !== undefined) return re;
  const chars = Array.from(matched).filter((c) => !/\s/u.test(c));
  re = chars.length ? new RegExp(chars.map((c) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join(LOCATE_GAP), 'giu') : null;
  if (locatePatterns.size >= 512) locatePatterns.clear();
  locatePatterns.set(matched, re);
  return re;
}

/**
 * Where the matched text of a hit is in a long segment's code points: the occurrence nearest the estimate `at`,
 * as [from, to) code-point offsets, or undefined when it is not found near it (normalisation, such as Traditional
 * to Simplified, can make the matched text differ from the raw). The search reads only a bounded window around
 * the estimate, so a segment of megabytes with thousands of hits costs a few hundred characters per hit.
 */
export function locateHit(cps: readonly string[], matched: string, at: number): [number, number] | undefined {
  const re = locatePattern(matched);
  if (!re) return undefined;
  const span = matched.length;
  for (const w of LOCATE_WINDOWS) {
    const lo = Math.max(0, at - w);
    const hi = Math.min(cps.length, at + w + span * 4);
    const s = cps.slice(lo, hi).join('');
    // code-point offset of a UTF-16 offset in the window: the same unless it holds characters beyond the BMP
    let cpAt: (u: number) => number = (u) => lo + u;
    if (s.length !== hi - lo) {
      const map = new Int32Array(s.length + 1);
      let u = 0;
      for (let i = lo; i < hi; i++) for (let k = 0; k < cps[i]!.length; k++) map[u++] = i;
      map[u] = hi;
      cpAt = (x) => map[x]!;
    }
    let best: [number, number] | undefined;
    re.lastIndex = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      const f = cpAt(m.index);
      if (!best || Math.abs(f - at) < Math.abs(best[0] - at)) best = [f, cpAt(m.index + m[0].length)];
      if (f > at) break; // later ones are only further
      if (m[0].length === 0) re.lastIndex++;
    }
    if (best) return best;
    if (lo === 0 && hi === cps.length) break;
  }
  return undefined;
}

/** What the customer said no more than `windowSec` before `at`. */
function withinWindow(said: readonly { entryId: string; start: number }[], at: number, windowSec: number): { entryId: string; start: number }[] {
  const out: { entryId: string; start: number }[] = [];
  for (const c of said) if (at - c.start <= windowSec) out.push(c);
  return out;
}

/** The customer said this entry's phrase within the echo window before `start`. */
function echoes(customerSaid: readonly { entryId: string; start: number }[], entryId: string, start: number, windowSec: number): boolean {
  for (const c of customerSaid) if (c.entryId === entryId && c.start <= start && start - c.start <= windowSec) return true;
  return false;
}

const BY_PRIORITY = 0;
const BY_POSITION = 1;
/**
 * Candidate a before b. BY_PRIORITY: longer, then exact, then more confident, then earlier, then found first.
 * BY_POSITION: by start, then end, then priority rank. Both end with a tie-break, so any sort is stable in effect.
 */
function compareCandidates(sc: Scratch, how: number, a: number, b: number): number {
  if (how === BY_PRIORITY) {
    return (
      sc.cTo[b] - sc.cFrom[b] - (sc.cTo[a] - sc.cFrom[a]) || sc.cFuzzy[a] - sc.cFuzzy[b] || sc.cConf[b] - sc.cConf[a] || sc.cFrom[a] - sc.cFrom[b] || a - b
    );
  }
  return sc.cFrom[a] - sc.cFrom[b] || sc.cTo[a] - sc.cTo[b] || sc.rank[a] - sc.rank[b];
}

/** Insertion sort for the usual few, the built-in sort beyond. */
function sortIndexes(idx: Int32Array, n: number, sc: Scratch, how: number): void {
  if (n <= 16) {
    for (let i = 1; i < n; i++) {
      const v = idx[i];
      let j = i - 1;
      while (j >= 0 && compareCandidates(sc, how, idx[j], v) > 0) {
        idx[j + 1] = idx[j];
        j--;
      }
      idx[j + 1] = v;
    }
    return;
  }
  const sorted = Array.from(idx.subarray(0, n)).sort((a, b) => compareCandidates(sc, how, a, b));
  idx.set(sorted);
}

/** Which lexicon languages an utterance is matched in. */
export function segmentLanguages(raw: string, mode: 'zh' | 'en' | 'auto', mixedMinLatinWords = 3): readonly LexiconLanguage[] {
  if (mode !== 'auto') return mode === 'zh' ? ONLY_ZH : ONLY_EN;
  if (!hasHanFast(raw)) return ONLY_EN;
  return latinWordCount(raw) >= mixedMinLatinWords ? BOTH : ONLY_ZH;
}
const ONLY_ZH: readonly LexiconLanguage[] = ['zh'];
const ONLY_EN: readonly LexiconLanguage[] = ['en'];
const BOTH: readonly LexiconLanguage[] = ['zh', 'en'];
const isDigits = (w: string) => /^\d+$/.test(w);

function pauseOrRepeat(symbols: Int32Array, length: number, pause: Uint8Array, from: number, to: number): boolean {
  if (pause[to - 1] === 1) return true;
  const n = to - from;
  return sameRun(symbols, length, from, n, to) || sameRun(symbols, length, from, n, from - n);
}
/** symbols[a, a + n) equal symbols[from, from + n) */
function sameRun(symbols: Int32Array, length: number, from: number, n: number, a: number): boolean {
  if (a < 0 || a + n > length) return false;
  for (let i = 0; i < n; i++) if (symbols[a + i] !== symbols[from + i]) return false;
  return true;
}

/** Up to this many hits in one utterance are resolved by direct comparison (bounded: still linear overall). */
const SMALL_OVERLAP_SET = 12;

/** Chinese numerals for `{n}`: 0 none, DIGIT an ASCII digit, ZH_NUMERAL one of ZH_NUMERALS (BMP table) */
const DIGIT = 1;
const ZH_NUMERAL = 2;
const NUMERAL_KIND = new Uint8Array(0x10000);
for (let c = 0x30; c <= 0x39; c++) NUMERAL_KIND[c] = DIGIT;
for (const ch of ZH_NUMERALS) NUMERAL_KIND[ch.codePointAt(0)!] = ZH_NUMERAL;
function numeralKind(cp: number): number {
  return cp <= 0xffff ? NUMERAL_KIND[cp] : 0;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
