import { compactText, normaliseText } from '../../src/core/normalise.js';

/**
 * Word error rate (English: normalised words) and character error rate (Chinese: normalised characters,
 * spaces ignored) by Levenshtein alignment. Both texts go through the same normalisation the matchers use.
 */
export function editDistance<T>(ref: readonly T[], hyp: readonly T[]): number {
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const cur = [i];
    for (let j = 1; j <= hyp.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[hyp.length];
}

export function wordErrorRate(ref: string, hyp: string): number {
  const r = normaliseText(ref).split(' ').filter(Boolean);
  const h = normaliseText(hyp).split(' ').filter(Boolean);
  return r.length === 0 ? (h.length === 0 ? 0 : 1) : editDistance(r, h) / r.length;
}

export function charErrorRate(ref: string, hyp: string): number {
  const r = [...compactText(ref)];
  const h = [...compactText(hyp)];
  return r.length === 0 ? (h.length === 0 ? 0 : 1) : editDistance(r, h) / r.length;
}

/** WER for English, CER for Chinese (and anything else written without spaces). */
export function errorRate(language: string, ref: string, hyp: string): { metric: 'WER' | 'CER'; value: number } {
  return language === 'zh' ? { metric: 'CER', value: charErrorRate(ref, hyp) } : { metric: 'WER', value: wordErrorRate(ref, hyp) };
}
