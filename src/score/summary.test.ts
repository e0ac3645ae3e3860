import { describe, expect, it } from 'vitest';
import { formatScore, scoreSummary } from './summary.js';
import type { ScorecardDraft } from './types.js';

const card = (over: Partial<ScorecardDraft>): ScorecardDraft =>
  ({
    schemaVersion: 1, pipeline: { id: 'p', version: '1' }, title: 't', maxTotal: 100, total: 90, totalIfPendingLost: 80,
    pendingReviewPoints: 10, fatal: false, fatalItems: [], needsReview: true, reviewReasons: [],
    counts: { pass: 5, deducted: 1, fatal: 0, needs_review: 3, not_applicable: 0 }, sections: [],
    inputs: { transcript: false, audio: true, talkOver: true, metadataFields: [] }, ...over,
  }) as ScorecardDraft;

describe('score summary', () => {
  it.each([
    [card({}), '90/100 · 3 to review', false],
    [card({ counts: { pass: 9, deducted: 1, fatal: 0, needs_review: 0, not_applicable: 0 }, pendingReviewPoints: 0 }), '90/100', true],
    [card({ total: 0, fatal: true, counts: { pass: 1, deducted: 0, fatal: 1, needs_review: 2, not_applicable: 0 } }), '0/100 FATAL · 2 to review', false],
  ])('%#: %s', (c, text, final) => {
    const s = scoreSummary(c);
    expect(formatScore(s)).toBe(text);
    expect(s.final).toBe(final);
  });
});
