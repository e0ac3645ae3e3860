import { normaliseText } from '../../core/normalise.js';
import { prepareZh } from '../../lexicon/prepare.js';
import type { LexiconHitDetails } from '../../core/events.js';
import { round2 } from './context.js';

/**
 * A logistic-regression classifier over the n-grams of one utterance (Chinese characters 1-3, English words 1-3),
 * trained on the labelled dialogue sets in test/fixtures by test/tools/train-utterance-model.ts. Two are shipped:
 * banned agent utterances (banned-model.ts) and customer escalations (escalation-model.ts), each a second opinion
 * beside its phrase lists. Pure: featurise and score; the weights are generated modules (so the analysis-code
 * version, part of every result's cache key, changes with them).
 */
export interface UtteranceModel {
  bias: number;
  weights: ReadonlyMap<string, number>;
  /** what the weights were trained on (sets, utterances) — shown in reports as the finding's source */
  trainedOn: string;
}

const HAN = /\p{Script=Han}/u;
const NOT_HAN = /[^\p{Script=Han}]/gu;

/**
 * The features of one utterance: Chinese character n-grams (n = 1..3, Traditional folded to Simplified, punctuation
 * and spaces dropped) prefixed `z`, English word n-grams (n = 1..3, lower case, apostrophes dropped) prefixed `w`,
 * `b`, `t`. Each feature once.
 */
export function utteranceFeatures(text: string): string[] {
  const out = new Set<string>();
  const zh = prepareZh(text).text.replace(NOT_HAN, '');
  for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= zh.length; i++) out.add('z' + zh.slice(i, i + n));
  const words = normaliseText(text)
    .split(/[^a-z0-9']+/)
    .filter((w) => w && !HAN.test(w))
    .map((w) => w.replace(/'/g, ''));
  for (let i = 0; i < words.length; i++) {
    out.add('w' + words[i]);
    if (i + 1 < words.length) out.add('b' + words[i] + ' ' + words[i + 1]);
    if (i + 2 < words.length) out.add('t' + words[i] + ' ' + words[i + 1] + ' ' + words[i + 2]);
  }
  return [...out];
}

/** The logistic model's probability for a set of features (scoring here, evaluation in the training script). */
export function probabilityOf(model: Pick<UtteranceModel, 'bias' | 'weights'>, feats: readonly string[]): number {
  let z = model.bias;
  for (const f of feats) z += model.weights.get(f) ?? 0;
  return 1 / (1 + Math.exp(-z));
}

/** The model's probability for the utterance, and the features that pushed it most (evidence). */
export function scoreUtterance(model: UtteranceModel, text: string): { p: number; top: string[] } {
  const feats = utteranceFeatures(text);
  const contrib: [string, number][] = [];
  for (const f of feats) {
    const w = model.weights.get(f);
    if (w !== undefined && w > 0) contrib.push([f, w]);
  }
  // evidence: the phrases (two or more characters or words) that weighed most, single units only when none did
  const phrases = contrib.filter(([f]) => f[0] === 'b' || f[0] === 't' || (f[0] === 'z' && f.length > 2));
  const top = (phrases.length ? phrases : contrib)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([f]) => f.slice(1));
  return { p: probabilityOf(model, feats), top };
}

/** Parse the generated weights ("feature<TAB>weight" lines). */
export function parseUtteranceModel(data: { bias: number; trainedOn: string; weights: string }): UtteranceModel {
  const weights = new Map<string, number>();
  for (const line of data.weights.split('\n')) {
    const tab = line.lastIndexOf('\t');
    if (tab > 0) weights.set(line.slice(0, tab), Number(line.slice(tab + 1)));
  }
  return { bias: data.bias, weights, trainedOn: data.trainedOn };
}

/**
 * The details of a finding the classifier made on its own (no phrase matched): the utterance, the n-grams that weighed
 * most as `matched`, `kind: model`, `entryId` `<category>.model`, severity major, the probability as confidence.
 */
export function classifierDetails(model: UtteranceModel, category: 'banned' | 'escalation', seg: { text: string }, segmentIndex: number, scored: { p: number; top: string[] }): LexiconHitDetails {
  return {
    text: seg.text,
    matched: scored.top.join(' / '),
    phrase: '(classifier)',
    entryId: `${category}.model`,
    category,
    kind: 'model',
    severity: 'major',
    confidence: round2(scored.p),
    fuzzy: false,
    language: HAN.test(seg.text) ? 'zh' : 'en',
    segmentIndex,
    source: `classifier over the utterance's n-grams, trained on ${model.trainedOn} (docs/lexicons.md)`,
  };
}
