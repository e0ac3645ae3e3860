import type { ScorecardDraft } from './types.js';

/**
 * A draft's score as people should read it: never final while items wait for an inspector. Pure; the CLI
 * table, the JSON report and the API show the same figures ("90/100 · 10 to review").
 */
export interface ScoreSummary {
  total: number;
  maxTotal: number;
  /** items the machine could not judge or that a person must judge (status needs_review) */
  toReview: number;
  /** points still depending on those items (the total counts them at full marks) */
  pendingPoints: number;
  /** true only when nothing is left to review: the draft's total is what the card says */
  final: boolean;
  fatal: boolean;
}

export function scoreSummary(card: ScorecardDraft): ScoreSummary {
  const toReview = card.counts.needs_review ?? 0;
  return {
    total: card.total,
    maxTotal: card.maxTotal,
    toReview,
    pendingPoints: card.pendingReviewPoints,
    final: toReview === 0,
    fatal: card.fatal,
  };
}

/** "90/100", "90/100 · 10 to review", "0/100 FATAL · 2 to review". */
export function formatScore(s: ScoreSummary): string {
  return `${s.total}/${s.maxTotal}${s.fatal ? ' FATAL' : ''}${s.toReview > 0 ? ` · ${s.toReview} to review` : ''}`;
}
