import type { Condition, Scorecard, ScoreItem, ScoreSection } from './schema.js';
import type { ItemResult, ItemStatus, ScorecardDraft, SectionResult } from './types.js';
import { buildContext, describeCondition, evaluateCondition, type EvalContext, type Evidence, type ScoreInput, type Unknown } from './rules.js';

/**
 * Drafting a scorecard: pure functions from a scorecard definition and one call's data to a draft an
 * inspector confirms or overrides item by item. Arithmetic (see docs/scorecard.md):
 *  - standard items start at full marks; a fault deducts `deduct` per occurrence (default: all points at
 *    once), never below 0 (扣完为止, no carry-over to other items);
 *  - penalty items subtract points x occurrences (up to `cap`) from their section; the section never goes
 *    below 0;
 *  - bonus items add points x occurrences (up to `cap`); a section never exceeds its max and the total never
 *    exceeds maxTotal, so a bonus offsets deductions;
 *  - a fatal item that fires zeroes the whole card; with onHit: review it only flags the card;
 *  - manual and needs_review items keep their full marks provisionally and are listed as pending, so the
 *    draft total is "what the call scores if the inspector finds nothing more".
 */

export const SCORECARD_SCHEMA_VERSION = 1;

export type { ItemResult, ItemStatus, ScorecardDraft, SectionResult } from './types.js';

const round = (n: number) => Math.round(n * 100) / 100;

function unknownStatus(unknown: Unknown[]): { status: ItemStatus; reason: string } {
  const why = [...new Set(unknown.map((u) => u.why))].join('; ');
  if (unknown.some((u) => u.kind === 'signal')) return { status: 'needs_review', reason: `cannot judge automatically: ${why}` };
  return { status: 'not_applicable', reason: `not applicable: ${why}` };
}

function occurrencesOf(hits: Evidence[]): number {
  const n = hits.filter((h) => h.kind !== 'metadata').length;
  return Math.max(1, n);
}

interface Verdict {
  status: ItemStatus;
  points: number | null;
  deduction: number;
  occurrences: number;
  reason: string;
  evidence: Evidence[];
}

function ruleOf(item: ScoreItem): { cond: Condition; mode: 'fail' | 'pass' } | null {
  if (item.fail) return { cond: item.fail, mode: 'fail' };
  if (item.pass) return { cond: item.pass, mode: 'pass' };
  return null;
}

function judge(item: ScoreItem, ctx: EvalContext): Verdict {
  const full = item.kind === 'standard' || item.kind === 'manual' ? item.points : 0;
  const base = { deduction: 0, occurrences: 0, evidence: [] as Evidence[] };
  const neutral = (status: ItemStatus, reason: string, evidence: Evidence[] = []): Verdict => ({
    ...base,
    status,
    reason,
    evidence,
    points: status === 'needs_review' ? null : full,
  });

  const rule = ruleOf(item);
  if (item.kind === 'manual' || !rule) {
    const what = item.kind === 'fatal' ? 'fatal item: the inspector must confirm it did not happen' : 'manual item: judged by the inspector';
    if (!item.evidence) return neutral('needs_review', what);
    const hints = evaluateCondition(ctx, item.evidence);
    const found = hints.value ? `; ${hints.hits.length} hint(s): ${describeCondition(item.evidence)}` : '';
    return neutral('needs_review', `${what}${found}`, hints.value ? hints.hits : []);
  }

  if (item.applicableWhen) {
    const a = evaluateCondition(ctx, item.applicableWhen);
    if (a.value === null) {
      const u = unknownStatus(a.unknown);
      return neutral(u.status, u.reason);
    }
    if (!a.value) return neutral('not_applicable', `not applicable: the situation did not arise (${describeCondition(item.applicableWhen)})`);
  }

  const r = evaluateCondition(ctx, rule.cond);
  if (r.value === null) {
    const u = unknownStatus(r.unknown);
    return neutral(u.status, u.reason);
  }
  const faulted = rule.mode === 'fail' ? r.value : !r.value;
  const desc = describeCondition(rule.cond);

  if (item.kind === 'bonus') {
    // for bonus items the rule describes the merit: fail-hits or a pass that holds earn the bonus
    const earned = rule.mode === 'fail' ? (r.value ? occurrencesOf(r.hits) : 0) : r.value ? 1 : 0;
    const points = Math.min(item.cap ?? item.points, item.points * earned);
    return {
      status: 'pass',
      points,
      deduction: 0,
      occurrences: earned,
      reason: earned ? `bonus +${points}: ${desc}` : `no bonus: ${desc} did not hold`,
      evidence: r.hits,
    };
  }

  if (!faulted) {
    return { ...base, status: 'pass', points: full, reason: rule.mode === 'fail' ? `no fault: ${desc}` : `met: ${desc}`, evidence: r.hits };
  }
  const occurrences = rule.mode === 'fail' ? occurrencesOf(r.hits) : 1;
  const evidence = rule.mode === 'fail' ? r.hits : [];
  const what = rule.mode === 'fail' ? `${desc}${occurrences > 1 ? ` (${occurrences} times)` : ''}` : `not met: ${desc}`;

  switch (item.kind) {
    case 'standard': {
      const per = item.deduct ?? item.points;
      const deduction = Math.min(item.points, per * occurrences);
      return { status: 'deducted', points: round(item.points - deduction), deduction: round(deduction), occurrences, reason: `-${round(deduction)}: ${what}`, evidence };
    }
    case 'penalty': {
      const deduction = Math.min(item.cap ?? Infinity, item.points * occurrences);
      return { status: 'deducted', points: -round(deduction), deduction: round(deduction), occurrences, reason: `penalty -${round(deduction)}: ${what}`, evidence };
    }
    case 'fatal':
      return { status: 'fatal', points: 0, deduction: 0, occurrences, reason: `fatal: ${what}`, evidence };
    default:
      throw new Error(`unreachable item kind ${item.kind}`);
  }
}

export function draftItem(item: ScoreItem, ctx: EvalContext): ItemResult {
  let v = judge(item, ctx);
  let suggested: ItemResult['suggested'];
  if (item.kind === 'fatal' && v.status === 'fatal' && (item.onHit ?? 'fatal') === 'review') {
    suggested = { status: 'fatal', points: 0, deduction: 0 };
    v = { ...v, status: 'needs_review', points: null, reason: `possible fatal item, inspector to confirm: ${v.reason.replace(/^fatal: /, '')}` };
  } else if (item.reviewWhen && v.status !== 'needs_review' && v.status !== 'not_applicable') {
    const rv = evaluateCondition(ctx, item.reviewWhen);
    if (rv.value) {
      suggested = { status: v.status, points: v.points, deduction: v.deduction };
      v = {
        ...v,
        status: 'needs_review',
        points: null,
        reason: `review: ${describeCondition(item.reviewWhen)} (automatic verdict: ${v.reason})`,
        evidence: [...v.evidence, ...rv.hits],
      };
    }
  }
  const res: ItemResult = {
    id: item.id,
    title: item.title,
    kind: item.kind,
    source: item.source,
    status: v.status,
    maxPoints: item.kind === 'fatal' ? 0 : item.points,
    points: v.points,
    deduction: v.status === 'needs_review' ? 0 : v.deduction,
    occurrences: v.occurrences,
    reason: v.reason,
    evidence: v.evidence,
  };
  if (suggested) res.suggested = suggested;
  if (item.guidance) res.guidance = item.guidance;
  return res;
}

export function scoreSection(section: Pick<ScoreSection, 'id' | 'title' | 'max' | 'bonus'>, items: ItemResult[]): SectionResult {
  let base = 0;
  let itemDeductions = 0;
  let penalties = 0;
  let bonus = 0;
  let pending = 0;
  for (const it of items) {
    if (section.bonus && it.kind === 'manual') {
      // a bonus the inspector may award: not counted until awarded (a reviewed card carries the points given),
      // and losing it costs nothing
      if (it.status !== 'needs_review' && it.status !== 'not_applicable') bonus += it.points ?? 0;
      continue;
    } else if (it.kind === 'standard' || it.kind === 'manual') {
      if (it.status === 'needs_review') {
        pending += it.maxPoints;
        base += it.maxPoints;
      } else {
        base += it.points ?? it.maxPoints;
        itemDeductions += it.deduction;
      }
    } else if (it.kind === 'penalty' && it.status === 'deducted') penalties += it.deduction;
    else if (it.kind === 'bonus' && it.status === 'pass') bonus += it.points ?? 0;
  }
  const afterPenalty = Math.max(0, base - penalties); // 扣完为止: the section floors at 0
  const score = Math.min(section.max, afterPenalty + bonus);
  return {
    id: section.id,
    title: section.title,
    max: section.max,
    bonus: section.bonus,
    score: round(score),
    itemDeductions: round(itemDeductions),
    penaltyDeductions: round(base - afterPenalty),
    bonusPoints: round(score - afterPenalty),
    pendingReviewPoints: round(pending),
    items,
  };
}

export function maxTotalOf(card: Scorecard): number {
  return card.maxTotal ?? card.sections.filter((s) => !s.bonus).reduce((a, s) => a + s.max, 0);
}

/** The card-level figures of a scored card, from its sections. */
export interface CardTotals {
  total: number;
  totalIfPendingLost: number;
  pendingReviewPoints: number;
  fatal: boolean;
  fatalItems: { id: string; title: string; reason: string }[];
  needsReview: boolean;
  reviewReasons: string[];
  counts: Record<ItemStatus, number>;
}

/**
 * Totals of a card from its scored sections: the one arithmetic the draft and a reviewed (final) card share,
 * so an inspector's result is computed exactly as the machine's draft was.
 */
export function cardTotals(sections: SectionResult[], maxTotal: number): CardTotals {
  const all = sections.flatMap((s) => s.items);
  const fatalItems = all.filter((i) => i.status === 'fatal').map((i) => ({ id: i.id, title: i.title, reason: i.reason }));
  const fatal = fatalItems.length > 0;
  const pending = sections.reduce((a, s) => a + s.pendingReviewPoints, 0);
  const sum = sections.reduce((a, s) => a + s.score, 0);
  const total = fatal ? 0 : Math.min(maxTotal, sum);
  // Losing the pending points: items are independent, but penalties/bonus/caps interact, so bound simply.
  const totalIfPendingLost = fatal ? 0 : Math.max(0, Math.min(maxTotal, sum - pending));

  const reviewReasons: string[] = [];
  for (const i of fatalItems) reviewReasons.push(`fatal item ${i.title} (${i.id}): confirm before the score is published`);
  for (const i of all.filter((x) => x.status === 'needs_review')) {
    const pts = i.kind === 'fatal' ? 'fatal item' : `${i.maxPoints} pts`;
    reviewReasons.push(`${i.title} (${i.id}, ${pts}): ${i.reason}`);
  }
  const counts: Record<ItemStatus, number> = { pass: 0, deducted: 0, fatal: 0, needs_review: 0, not_applicable: 0 };
  for (const i of all) counts[i.status]++;
  return {
    total: round(total),
    totalIfPendingLost: round(totalIfPendingLost),
    pendingReviewPoints: round(pending),
    fatal,
    fatalItems,
    needsReview: reviewReasons.length > 0,
    reviewReasons,
    counts,
  };
}

/** Draft the scorecard of one call. Pure: same inputs, same draft. */
export function draftScorecard(card: Scorecard, input: ScoreInput, pipeline: { id: string; version: string }): ScorecardDraft {
  const ctx = buildContext(input);
  const sections = card.sections.map((s) => scoreSection(s, s.items.map((it) => draftItem(it, ctx))));
  const maxTotal = maxTotalOf(card);
  const totals = cardTotals(sections, maxTotal);
  return {
    schemaVersion: SCORECARD_SCHEMA_VERSION,
    pipeline: { id: pipeline.id, version: pipeline.version },
    title: card.title,
    maxTotal,
    total: totals.total,
    totalIfPendingLost: totals.totalIfPendingLost,
    pendingReviewPoints: totals.pendingReviewPoints,
    fatal: totals.fatal,
    fatalItems: totals.fatalItems,
    needsReview: totals.needsReview,
    reviewReasons: totals.reviewReasons,
    counts: totals.counts,
    sections,
    inputs: {
      transcript: ctx.hasTranscript,
      audio: ctx.hasAudio,
      talkOver: ctx.hasTalkOver,
      metadataFields: Object.keys(ctx.metadata)
        .filter((k) => ctx.metadata[k] !== undefined && ctx.metadata[k] !== null)
        .sort(),
    },
  };
}
