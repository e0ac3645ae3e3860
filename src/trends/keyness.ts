/**
 * Emerging phrases: which n-grams customers say markedly more now than before, scored by Dunning's
 * log-likelihood G² (keyness) with the log ratio as effect size. Pure over texts and counts.
 *
 * Candidates are Chinese character n-grams (2-4 characters, within a run of Chinese) and English word n-grams
 * (1-3 words) of the customer's utterances, after the search normalisation (Traditional -> Simplified, case,
 * punctuation). Stop phrases and the company's own scripts (lexicon phrases, what agents say routinely) are
 * filtered out, and an n-gram is dropped when a longer one containing it explains it (same calls, similar count).
 */
import { segmentRuns, searchNormalise } from '../search/tokenize.js';

export interface Document {
  /** the call it came from (examples) */
  callId: string;
  text: string;
}

/** Distinct n-grams of one text (a phrase said twice in one utterance counts once: documents, not tokens). */
export function ngrams(text: string): Set<string> {
  const out = new Set<string>();
  const runs = segmentRuns(searchNormalise(text));
  let words: string[] = [];
  const flushWords = () => {
    for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= words.length; i++) out.add(words.slice(i, i + n).join(' '));
    words = [];
  };
  for (const r of runs) {
    if (r.kind === 'word') {
      words.push(r.text);
      continue;
    }
    flushWords();
    const chars = [...r.text];
    for (let n = 2; n <= 4; n++) for (let i = 0; i + n <= chars.length; i++) out.add(chars.slice(i, i + n).join(''));
  }
  flushWords();
  return out;
}

/** Dunning's G² for a 2x2 table: a of n1 in the target corpus against b of n2 in the reference. */
export function logLikelihood(a: number, n1: number, b: number, n2: number): number {
  const e1 = (n1 * (a + b)) / (n1 + n2);
  const e2 = (n2 * (a + b)) / (n1 + n2);
  const term = (o: number, e: number) => (o > 0 && e > 0 ? o * Math.log(o / e) : 0);
  return 2 * (term(a, e1) + term(b, e2));
}

/** Effect size: log2 of the ratio of relative frequencies, with 0.5 added to both counts (never infinite). */
export function logRatio(a: number, n1: number, b: number, n2: number): number {
  return Math.log2(((a + 0.5) / n1) / ((b + 0.5) / n2));
}

export type { EmergingPhrase } from './result.js';
import type { EmergingPhrase } from './result.js';

export interface EmergingOptions {
  /** at least this many utterances now */
  minCount: number;
  /** at least this G² */
  minScore: number;
  /** at least this log2 ratio (1 = twice as frequent) */
  minLogRatio: number;
  limit: number;
  /** phrases never reported (stop phrases, lexicon phrases, company scripts), already normalised */
  exclude: ReadonlySet<string>;
}

export const DEFAULT_EMERGING: Omit<EmergingOptions, 'exclude'> = { minCount: 5, minScore: 10.83, minLogRatio: 1, limit: 20 };

/** Common words and function phrases that are never news (normalised). */
export const STOP_PHRASES: ReadonlySet<string> = new Set([
  ...'the a an and or but to of in on at for with is are was were be been it this that i you we they he she my your our me us them not no yes do does did have has had can could will would should so if then just like um uh ok okay please thank thanks hello hi what how why when where which who there here about from as by up out get got go going know'.split(' '),
  '我们', '你们', '他们', '这个', '那个', '什么', '一下', '就是', '可以', '没有', '现在', '然后', '因为', '所以', '但是', '不是', '还是', '已经', '怎么', '为什么', '知道', '谢谢', '你好', '您好', '好的', '是的', '对的', '一个', '这样', '那么', '我想', '我要', '请问', '麻烦', '的话', '时候', '问题',
]);

function isStop(p: string): boolean {
  if (STOP_PHRASES.has(p)) return true;
  const words = p.split(' ');
  // English n-grams made only of stop words, or starting/ending with one, carry nothing
  if (words.length > 1 && (STOP_PHRASES.has(words[0]!) || STOP_PHRASES.has(words[words.length - 1]!))) return true;
  if (/^\d+$/.test(p)) return true;
  return false;
}

export function emergingPhrases(now: readonly Document[], before: readonly Document[], opts: EmergingOptions): EmergingPhrase[] {
  const n1 = Math.max(1, now.length);
  const n2 = Math.max(1, before.length);
  const nowCount = new Map<string, number>();
  const examples = new Map<string, string[]>();
  for (const d of now) {
    for (const g of ngrams(d.text)) {
      nowCount.set(g, (nowCount.get(g) ?? 0) + 1);
      const ex = examples.get(g) ?? [];
      if (ex.length < 3 && !ex.includes(d.callId)) ex.push(d.callId);
      examples.set(g, ex);
    }
  }
  const candidates = new Set([...nowCount].filter(([g, c]) => c >= opts.minCount && !opts.exclude.has(g) && !isStop(g)).map(([g]) => g));
  const beforeCount = new Map<string, number>();
  for (const d of before) for (const g of ngrams(d.text)) if (candidates.has(g)) beforeCount.set(g, (beforeCount.get(g) ?? 0) + 1);
  const scored: EmergingPhrase[] = [];
  for (const g of candidates) {
    const a = nowCount.get(g)!;
    const b = beforeCount.get(g) ?? 0;
    const lr = logRatio(a, n1, b, n2);
    if (lr < opts.minLogRatio) continue; // only what rose
    const score = logLikelihood(a, n1, b, n2);
    if (score < opts.minScore) continue;
    scored.push({
      phrase: g, countNow: a, countBefore: b,
      ratePerThousandNow: Math.round((1000 * a) / n1 * 10) / 10, ratePerThousandBefore: Math.round((1000 * b) / n2 * 10) / 10,
      score: Math.round(score * 100) / 100, logRatio: Math.round(lr * 100) / 100, exampleCallIds: examples.get(g) ?? [],
    });
  }
  // a phrase inside a longer emerging phrase with nearly the same count is the same news: keep the longer one
  scored.sort((x, y) => y.phrase.length - x.phrase.length);
  const kept: EmergingPhrase[] = [];
  for (const p of scored) {
    const covered = kept.some((k) => contains(k.phrase, p.phrase) && k.countNow >= 0.8 * p.countNow);
    if (!covered) kept.push(p);
  }
  return kept.sort((x, y) => y.score - x.score).slice(0, opts.limit);
}

function contains(longer: string, shorter: string): boolean {
  if (longer === shorter) return false;
  if (/ /.test(longer) || /^[a-z0-9]+$/.test(shorter)) return ` ${longer} `.includes(` ${shorter} `);
  return longer.includes(shorter);
}
