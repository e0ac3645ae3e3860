import type { ItemResult, ItemStatus, ScorecardDraft, SectionResult } from '../score/scorecard.js';
import { cardTotals, scoreSection } from '../score/scorecard.js';
import { WorkflowError } from './errors.js';
import type { DecisionInput, ReasonCode } from './reasons.js';

/**
 * An inspector's decisions over a machine draft, as pure functions: which decisions are valid for which item,
 * what an item becomes after a decision, and the final card, scored by the same arithmetic as the draft
 * (src/score/scorecard.ts: scoreSection + cardTotals). The machine's answer is never changed: every final item
 * carries `machine` (the draft's item) and `human` (the decision) side by side.
 *
 * Decision rules (docs/review.md):
 *  - confirm: accept the machine's answer. An item the machine could not judge (manual items, needs_review
 *    without a suggestion) has no answer to accept: confirm it with `points` (scored by hand). For fatal items,
 *    confirm without an answer means "the fatal fault did not happen".
 *  - override: replace the machine's answer; `points` (not for fatal items, where override flips the verdict)
 *    and a reason (code + comment) are required.
 */

export { REASON_CODES, type DecisionInput, type ReasonCode } from './reasons.js';

/** A validated decision, as stored. */
export interface Decision {
  action: 'confirm' | 'override';
  /** points given by hand (override, or a confirm of an item without a machine answer); null = the machine's */
  points: number | null;
  /** fatal items: whether the fatal fault holds (null = the machine's verdict) */
  fatal: boolean | null;
  reasonCode: ReasonCode | null;
  comment: string | null;
}

/** A decision with who made it and when. */
export interface HumanDecision extends Decision {
  decidedBy: string;
  decidedAt: string;
}

export interface MachineAnswer {
  status: ItemStatus;
  points: number | null;
  deduction: number;
}

/** One item of a reviewed card: the result that counts, plus the machine's and the human's answers. */
export interface FinalItem extends ItemResult {
  machine: ItemResult;
  human: HumanDecision | null;
  /** no explicit decision: the machine's answer was accepted when the review was completed */
  acceptedAtCompletion: boolean;
}

export interface FinalSection extends Omit<SectionResult, 'items'> {
  items: FinalItem[];
}

export interface FinalCard {
  pipeline: { id: string; version: string };
  title: string;
  maxTotal: number;
  /** the score; while items are pending, provisional (pending items at full marks, as in the draft) */
  total: number;
  fatal: boolean;
  fatalItems: { id: string; title: string; reason: string }[];
  counts: Record<ItemStatus, number>;
  /** item ids still waiting for a human decision */
  pendingItems: string[];
  /** every item has an answer: the total is final */
  complete: boolean;
  sections: FinalSection[];
}

const round = (n: number) => Math.round(n * 100) / 100;

export function findItem(sections: { id: string; max: number; items: ItemResult[] }[], itemId: string) {
  for (const section of sections) {
    const item = section.items.find((i) => i.id === itemId);
    if (item) return { section, item };
  }
  return null;
}

/** The machine's answer to an item, if it has one (a needs_review item may carry a suggested one). */
export function machineAnswer(item: ItemResult): MachineAnswer | null {
  if (item.status !== 'needs_review') return { status: item.status, points: item.points, deduction: item.deduction };
  return item.suggested ?? null;
}

/** The range of points an inspector may give an item, and what the points mean, for error messages. */
export function pointsRange(item: ItemResult, sectionMax: number): { min: number; max: number } {
  switch (item.kind) {
    case 'standard':
    case 'manual':
      return { min: 0, max: item.maxPoints };
    case 'penalty':
      // points are the (negative) amount the penalty takes off; never more than the section holds
      return { min: -sectionMax, max: 0 };
    case 'bonus':
      return { min: 0, max: sectionMax };
    case 'fatal':
      return { min: 0, max: 0 };
  }
}

function checkPoints(item: ItemResult, sectionMax: number, points: number): number {
  const { min, max } = pointsRange(item, sectionMax);
  if (!Number.isFinite(points) || points < min || points > max) {
    throw new WorkflowError('invalid', `points for item ${item.id} must be between ${min} and ${max} (${item.kind} item), got ${points}`, {
      field: 'points',
      min,
      max,
    });
  }
  return round(points);
}

/** Validates a decision on an item of a draft; throws WorkflowError('invalid' | 'not_found') saying what is wrong. */
export function validateDecision(draft: Pick<ScorecardDraft, 'sections'>, input: DecisionInput): Decision {
  const found = findItem(draft.sections, input.itemId);
  if (!found) throw new WorkflowError('not_found', `no item "${input.itemId}" in this call's scorecard`, { field: 'itemId' });
  const { item, section } = found;
  const answer = machineAnswer(item);
  const comment = input.reason?.comment?.trim() || null;
  const reasonCode = input.reason?.code ?? null;

  if (input.action === 'confirm') {
    if (item.kind === 'fatal') {
      if (input.points !== undefined && input.points !== 0) {
        throw new WorkflowError('invalid', `item ${item.id} is a fatal item: it has no points (confirm or override its verdict)`, { field: 'points' });
      }
      // without a machine verdict, confirming a fatal item means the fault did not happen
      return { action: 'confirm', points: null, fatal: answer ? null : false, reasonCode, comment };
    }
    if (answer) {
      if (input.points !== undefined && input.points !== answer.points) {
        throw new WorkflowError(
          'invalid',
          `confirm accepts the machine's ${answer.points ?? 'answer'} for item ${item.id}; to give ${input.points} points, override with a reason`,
          { field: 'points' },
        );
      }
      return { action: 'confirm', points: null, fatal: null, reasonCode, comment };
    }
    if (input.points === undefined) {
      const { min, max } = pointsRange(item, section.max);
      throw new WorkflowError('invalid', `item ${item.id} is judged by hand: give its points (${min}..${max})`, { field: 'points' });
    }
    return { action: 'confirm', points: checkPoints(item, section.max, input.points), fatal: null, reasonCode, comment };
  }

  // override
  if (!input.reason) {
    throw new WorkflowError('invalid', `an override of item ${item.id} needs a reason: {code, comment}`, { field: 'reason' });
  }
  if (!comment) {
    throw new WorkflowError('invalid', `an override of item ${item.id} needs a comment saying why (reason.comment)`, { field: 'reason.comment' });
  }
  if (item.kind === 'fatal') {
    if (input.points !== undefined && input.points !== 0) {
      throw new WorkflowError('invalid', `item ${item.id} is a fatal item: override flips its verdict and takes no points`, { field: 'points' });
    }
    const machineFatal = answer?.status === 'fatal';
    return { action: 'override', points: null, fatal: answer ? !machineFatal : true, reasonCode, comment };
  }
  if (input.points === undefined) {
    const { min, max } = pointsRange(item, section.max);
    throw new WorkflowError('invalid', `an override of item ${item.id} needs points (${min}..${max})`, { field: 'points' });
  }
  return { action: 'override', points: checkPoints(item, section.max, input.points), fatal: null, reasonCode, comment };
}

/** The item as a given number of points (or fatal verdict) makes it, machine evidence kept. */
export function itemWithPoints(item: ItemResult, points: number | null, fatal: boolean | null, why: string): ItemResult {
  const base: ItemResult = { ...item, evidence: item.evidence, suggested: undefined };
  delete base.suggested;
  if (item.kind === 'fatal') {
    const isFatal = fatal ?? false;
    return { ...base, status: isFatal ? 'fatal' : 'pass', points: 0, deduction: 0, reason: `${isFatal ? 'fatal' : 'no fatal fault'}: ${why}` };
  }
  const p = points ?? 0;
  switch (item.kind) {
    case 'standard':
    case 'manual': {
      const deduction = round(item.maxPoints - p);
      return { ...base, status: deduction > 0 ? 'deducted' : 'pass', points: p, deduction, reason: why };
    }
    case 'penalty':
      return { ...base, status: p < 0 ? 'deducted' : 'pass', points: p, deduction: round(-p), reason: why };
    case 'bonus':
      return { ...base, status: 'pass', points: p, deduction: 0, reason: why };
  }
}

/** What an item becomes under a decision. */
export function applyDecision(item: ItemResult, d: Decision): ItemResult {
  const answer = machineAnswer(item);
  const why = d.comment ? `${d.action === 'override' ? 'overridden' : 'confirmed'} (${d.reasonCode ?? 'no code'}): ${d.comment}` : d.action === 'override' ? 'overridden' : 'confirmed';
  if (d.action === 'confirm' && d.points === null && d.fatal === null) {
    if (!answer) throw new WorkflowError('invalid', `item ${item.id} has no machine answer to confirm`);
    if (item.status !== 'needs_review') return { ...item };
    // a needs_review item with a suggestion: the inspector accepts the suggestion
    const out: ItemResult = { ...item, status: answer.status, points: answer.points, deduction: answer.deduction, reason: `confirmed: ${item.reason}` };
    delete out.suggested;
    return out;
  }
  return itemWithPoints(item, d.points, d.fatal, why);
}

/**
 * The card after the human decisions: decided items take the decision, undecided items the machine's answer
 * when it has one (accepted at completion), and items without an answer stay pending. Scored with the draft's
 * arithmetic. `requireComplete` throws a conflict naming the items still to judge.
 */
export function reviewedCard(
  draft: Pick<ScorecardDraft, 'pipeline' | 'title' | 'maxTotal' | 'sections'>,
  decisions: ReadonlyMap<string, HumanDecision>,
  opts: { requireComplete?: boolean } = {},
): FinalCard {
  const pending: string[] = [];
  const sections = draft.sections.map((s) => {
    const items: FinalItem[] = s.items.map((machine) => {
      const human = decisions.get(machine.id) ?? null;
      if (human) return { ...applyDecision(machine, human), machine, human, acceptedAtCompletion: false };
      if (machine.status === 'needs_review') {
        pending.push(machine.id);
        return { ...machine, machine, human: null, acceptedAtCompletion: false };
      }
      return { ...machine, machine, human: null, acceptedAtCompletion: true };
    });
    return scoreSection(s, items) as FinalSection;
  });
  if (opts.requireComplete && pending.length > 0) {
    throw new WorkflowError('conflict', `the review cannot be completed: ${pending.length} item(s) still need a decision: ${pending.join(', ')}`, {
      pendingItems: pending,
    });
  }
  return cardFromSections(draft, sections, pending);
}

function cardFromSections(
  head: Pick<ScorecardDraft, 'pipeline' | 'title' | 'maxTotal'>,
  sections: FinalSection[],
  pending: string[],
): FinalCard {
  const totals = cardTotals(sections as SectionResult[], head.maxTotal);
  return {
    pipeline: head.pipeline,
    title: head.title,
    maxTotal: head.maxTotal,
    total: totals.total,
    fatal: totals.fatal,
    fatalItems: totals.fatalItems,
    counts: totals.counts,
    pendingItems: pending,
    complete: pending.length === 0,
    sections,
  };
}

/**
 * A completed card with one item changed by a dispute ruling (amended), rescored with the same arithmetic.
 * The item keeps its machine answer and decision; the ruling is recorded on it as `amendedBy`.
 */
export function amendCard(
  card: FinalCard,
  itemId: string,
  change: { points: number | null; fatal: boolean | null; reason: string; disputeId: string },
): FinalCard {
  let hit = false;
  const sections = card.sections.map((s) => {
    const items = s.items.map((it) => {
      if (it.id !== itemId) return it;
      hit = true;
      const changed = itemWithPoints(it.machine, change.points, change.fatal, `amended on dispute: ${change.reason}`);
      return { ...changed, machine: it.machine, human: it.human, acceptedAtCompletion: it.acceptedAtCompletion, amendedBy: change.disputeId } as FinalItem;
    });
    return scoreSection(s, items) as FinalSection;
  });
  if (!hit) throw new WorkflowError('not_found', `no item "${itemId}" in this review`);
  return cardFromSections(card, sections, card.pendingItems);
}
