import { describe, expect, it } from 'vitest';
import type { ItemResult, ScorecardDraft, SectionResult } from '../score/scorecard.js';
import { cardTotals, scoreSection } from '../score/scorecard.js';
import { amendCard, applyDecision, reviewedCard, validateDecision, type DecisionInput, type HumanDecision } from './decisions.js';
import { WorkflowError } from './errors.js';

/**
 * A hand-built draft whose totals are computed by hand in the comments; the reviewed card must come out of
 * the same arithmetic as the draft (scoreSection + cardTotals).
 */
const item = (p: Partial<ItemResult> & Pick<ItemResult, 'id' | 'kind' | 'status' | 'maxPoints' | 'points'>): ItemResult => ({
  title: p.id,
  source: 'test',
  deduction: 0,
  occurrences: 0,
  reason: 'machine reason',
  evidence: [],
  ...p,
});

function makeDraft(): ScorecardDraft {
  const defs = [
    {
      def: { id: 'service', title: 'Service', max: 20, bonus: false },
      items: [
        item({ id: 'greet', kind: 'standard', status: 'deducted', maxPoints: 10, points: 0, deduction: 10, occurrences: 1, evidence: [{ kind: 'sentence', start: 1, end: 2 } as never] }),
        item({ id: 'info', kind: 'manual', status: 'needs_review', maxPoints: 10, points: null }),
        item({ id: 'banned', kind: 'penalty', status: 'deducted', maxPoints: 2, points: -4, deduction: 4, occurrences: 2 }),
      ],
    },
    { def: { id: 'closing', title: 'Closing', max: 10, bonus: false }, items: [item({ id: 'close', kind: 'standard', status: 'pass', maxPoints: 10, points: 10 })] },
    { def: { id: 'extra', title: 'Extra', max: 5, bonus: true }, items: [item({ id: 'warm', kind: 'manual', status: 'needs_review', maxPoints: 5, points: null })] },
    {
      def: { id: 'fatal', title: 'Fatal', max: 0, bonus: false },
      items: [item({ id: 'abuse', kind: 'fatal', status: 'needs_review', maxPoints: 0, points: null, suggested: { status: 'fatal', points: 0, deduction: 0 } })],
    },
  ];
  const sections: SectionResult[] = defs.map((d) => scoreSection(d.def, d.items));
  const t = cardTotals(sections, 30);
  return {
    schemaVersion: 1,
    pipeline: { id: 'test', version: '1' },
    title: 'Test card',
    maxTotal: 30,
    total: t.total,
    totalIfPendingLost: t.totalIfPendingLost,
    pendingReviewPoints: t.pendingReviewPoints,
    fatal: t.fatal,
    fatalItems: t.fatalItems,
    needsReview: t.needsReview,
    reviewReasons: t.reviewReasons,
    counts: t.counts,
    sections,
    inputs: { transcript: true, audio: true, talkOver: true, metadataFields: [] },
  };
}

const human = (input: DecisionInput, draft = makeDraft()): HumanDecision => ({
  ...validateDecision(draft, input),
  decidedBy: 'insp',
  decidedAt: '2026-11-30T10:00:00.000Z',
});

const fails = (fn: () => unknown, kind: WorkflowError['kind'], message: RegExp) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowError);
    expect((err as WorkflowError).kind).toBe(kind);
    expect((err as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected a WorkflowError');
};

describe('the hand-built draft', () => {
  it('scores as computed by hand: service 0+10(pending)-4 = 6, closing 10, bonus 0, total 16', () => {
    const d = makeDraft();
    expect(d.sections.map((s) => s.score)).toEqual([6, 10, 0, 0]);
    expect(d.total).toBe(16);
  });
});

describe('validateDecision', () => {
  const draft = makeDraft();
  it('an override needs a reason with a comment and points in range', () => {
    fails(() => validateDecision(draft, { itemId: 'greet', action: 'override', points: 5 }), 'invalid', /needs a reason/);
    fails(() => validateDecision(draft, { itemId: 'greet', action: 'override', points: 5, reason: { code: 'wrong_score' } }), 'invalid', /comment/);
    fails(() => validateDecision(draft, { itemId: 'greet', action: 'override', points: 5, reason: { code: 'wrong_score', comment: '   ' } }), 'invalid', /comment/);
    fails(() => validateDecision(draft, { itemId: 'greet', action: 'override', points: 11, reason: { code: 'wrong_score', comment: 'x' } }), 'invalid', /between 0 and 10/);
    fails(() => validateDecision(draft, { itemId: 'greet', action: 'override', reason: { code: 'wrong_score', comment: 'x' } }), 'invalid', /needs points/);
    fails(() => validateDecision(draft, { itemId: 'banned', action: 'override', points: 1, reason: { code: 'wrong_score', comment: 'x' } }), 'invalid', /between -20 and 0/);
    expect(validateDecision(draft, { itemId: 'greet', action: 'override', points: 5, reason: { code: 'wrong_score', comment: ' greeting at 0:02 ' } })).toEqual({
      action: 'override',
      points: 5,
      fatal: null,
      reasonCode: 'wrong_score',
      comment: 'greeting at 0:02',
    });
  });

  it('confirm takes the machine answer; items without one are scored by hand', () => {
    expect(validateDecision(draft, { itemId: 'greet', action: 'confirm' }).points).toBeNull();
    fails(() => validateDecision(draft, { itemId: 'greet', action: 'confirm', points: 5 }), 'invalid', /override with a reason/);
    fails(() => validateDecision(draft, { itemId: 'info', action: 'confirm' }), 'invalid', /judged by hand: give its points \(0\.\.10\)/);
    expect(validateDecision(draft, { itemId: 'info', action: 'confirm', points: 7 }).points).toBe(7);
    fails(() => validateDecision(draft, { itemId: 'info', action: 'confirm', points: 12 }), 'invalid', /between 0 and 10/);
  });

  it('fatal items take no points: override flips the verdict', () => {
    fails(() => validateDecision(draft, { itemId: 'abuse', action: 'override', points: 3, reason: { code: 'other', comment: 'x' } }), 'invalid', /fatal item/);
    expect(validateDecision(draft, { itemId: 'abuse', action: 'override', reason: { code: 'wrong_evidence', comment: 'it was the customer' } }).fatal).toBe(false);
    expect(validateDecision(draft, { itemId: 'abuse', action: 'confirm' }).fatal).toBeNull();
  });

  it('an unknown item is not found', () => {
    fails(() => validateDecision(draft, { itemId: 'nope', action: 'confirm' }), 'not_found', /no item "nope"/);
  });
});

describe('reviewedCard: the final score by the draft arithmetic', () => {
  it('cannot complete while items still need a decision, and names them', () => {
    fails(() => reviewedCard(makeDraft(), new Map(), { requireComplete: true }), 'conflict', /3 item\(s\) still need a decision: info, warm, abuse/);
  });

  it('hand-computed: greet 5 + info 7 - banned 4 = 8; closing 10; bonus warm 2; abuse overturned: 20 of 30', () => {
    const d = makeDraft();
    const decisions = new Map<string, HumanDecision>([
      ['greet', human({ itemId: 'greet', action: 'override', points: 5, reason: { code: 'wrong_score', comment: 'greeting at 0:02' } })],
      ['info', human({ itemId: 'info', action: 'confirm', points: 7 })],
      ['warm', human({ itemId: 'warm', action: 'confirm', points: 2 })],
      ['abuse', human({ itemId: 'abuse', action: 'override', reason: { code: 'wrong_evidence', comment: 'the customer said it' } })],
    ]);
    const card = reviewedCard(d, decisions, { requireComplete: true });
    expect(card.sections.map((s) => s.score)).toEqual([8, 10, 2, 0]);
    expect(card.total).toBe(20);
    expect(card.fatal).toBe(false);
    expect(card.complete).toBe(true);
    // machine and human side by side, the machine's answer untouched
    const greet = card.sections[0]!.items[0]!;
    expect(greet.points).toBe(5);
    expect(greet.status).toBe('deducted');
    expect(greet.machine.points).toBe(0);
    expect(greet.human?.reasonCode).toBe('wrong_score');
    expect(greet.evidence).toHaveLength(1);
    // an undecided item with a machine answer is accepted at completion
    const close = card.sections[1]!.items[0]!;
    expect(close.acceptedAtCompletion).toBe(true);
    expect(close.human).toBeNull();
    // the draft itself is unchanged
    expect(d.sections[0]!.items[0]!.points).toBe(0);
    expect(d.total).toBe(16);
  });

  it('confirming a possible fatal item zeroes the card; a penalty override changes the section', () => {
    const decisions = new Map<string, HumanDecision>([
      ['info', human({ itemId: 'info', action: 'confirm', points: 10 })],
      ['warm', human({ itemId: 'warm', action: 'confirm', points: 0 })],
      ['abuse', human({ itemId: 'abuse', action: 'confirm' })],
    ]);
    const fatal = reviewedCard(makeDraft(), decisions, { requireComplete: true });
    expect(fatal.fatal).toBe(true);
    expect(fatal.total).toBe(0);
    decisions.set('abuse', human({ itemId: 'abuse', action: 'override', reason: { code: 'other', comment: 'not abusive' } }));
    decisions.set('banned', human({ itemId: 'banned', action: 'override', points: -2, reason: { code: 'wrong_evidence', comment: 'one hit was the customer' } }));
    // service: greet 0 + info 10 - 2 = 8; closing 10; bonus 0 -> 18
    expect(reviewedCard(makeDraft(), decisions, { requireComplete: true }).total).toBe(18);
  });

  it('a not-applicable item overridden with points becomes scored', () => {
    const d = makeDraft();
    d.sections[1]!.items[0] = item({ id: 'close', kind: 'standard', status: 'not_applicable', maxPoints: 10, points: 10 });
    const it = applyDecision(d.sections[1]!.items[0]!, { action: 'override', points: 4, fatal: null, reasonCode: 'missing_evidence', comment: 'no closing at all' });
    expect(it).toMatchObject({ status: 'deducted', points: 4, deduction: 6 });
  });
});

describe('amendCard: a dispute ruling rescored with the same arithmetic', () => {
  it('greet 5 -> 10 raises the total by 5; an unknown item is refused', () => {
    const decisions = new Map<string, HumanDecision>([
      ['greet', human({ itemId: 'greet', action: 'override', points: 5, reason: { code: 'wrong_score', comment: 'x' } })],
      ['info', human({ itemId: 'info', action: 'confirm', points: 7 })],
      ['warm', human({ itemId: 'warm', action: 'confirm', points: 2 })],
      ['abuse', human({ itemId: 'abuse', action: 'override', reason: { code: 'other', comment: 'x' } })],
    ]);
    const card = reviewedCard(makeDraft(), decisions, { requireComplete: true });
    const amended = amendCard(card, 'greet', { points: 10, fatal: null, reason: 'full greeting', disputeId: 'd1' });
    expect(amended.total).toBe(25);
    const greet = amended.sections[0]!.items[0]!;
    expect(greet).toMatchObject({ points: 10, status: 'pass', amendedBy: 'd1' });
    expect(greet.machine.points).toBe(0);
    expect(greet.human?.points).toBe(5);
    expect(card.total).toBe(20); // the earlier result is not changed
    fails(() => amendCard(card, 'nope', { points: 1, fatal: null, reason: 'x', disputeId: 'd' }), 'not_found', /nope/);
  });
});
