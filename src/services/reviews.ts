/**
 * Reviewing a call: decisions item by item, then completion, which fixes the final score with the draft's
 * arithmetic (src/review/decisions.ts over src/score). The review pins the draft it judges: a rescore adds a
 * new draft but never changes an open or completed review. Each step is audited in the same transaction.
 */
import { findItem, reviewedCard, validateDecision, type DecisionInput, type FinalCard, type FinalItem } from '../review/decisions.js';
import type { StoreDb } from '../store/db.js';
import type { ReviewsRepo } from '../store/reviews-repo.js';
import type { AuditService } from './audit.js';
import type { CallAccess } from './call-access.js';
import { latestDecisions } from './calls.js';
import { maskPii, maskSpoken } from './privacy.js';
import { ServiceError, rule } from './errors.js';
import type { AuthUser } from './types.js';
import type { SegmentText } from '../privacy/transcript.js';

export interface DecisionResult {
  reviewId: string;
  item: FinalItem;
  /** the review so far: provisional total and what is still to decide */
  total: number;
  maxTotal: number;
  pendingItems: string[];
  /** decisions in the review after this one: the `expectedRevision` of the client's next step */
  revision: number;
}

/**
 * Two people on one open review: each step may name the review's revision (its number of decisions) the
 * client has seen. When someone else decided meanwhile the step is refused, so nobody overwrites a decision
 * they never saw, or completes a score that holds one. The user's own newer decisions (quick steps from one
 * page, a second tab of theirs) are no conflict.
 */
function checkRevision(expected: number | undefined, current: number, decisions: { decidedBy: string; decidedByName: string }[], userId: string): void {
  if (expected === undefined || expected === current) return;
  const others = [...new Set(decisions.slice(Math.min(expected, decisions.length)).filter((d) => d.decidedBy !== userId).map((d) => d.decidedByName))];
  if (expected < current && others.length === 0) return;
  throw new ServiceError(
    409,
    'conflict',
    `the review changed since you loaded it (${current} decision(s) now, you saw ${expected}${others.length ? `; by ${others.join(', ')}` : ''}): reload the call`,
    { revision: current },
  );
}

/**
 * The comment to store when a decision on an item is made again: answers show comments masked, so a client that
 * starts from the comment as shown (the web UI's override form) sends back the previous comment's masked text; that
 * is the previous comment, not a new one with its personal data replaced by labels. Anything else is kept as typed.
 */
function unmaskedEcho(comment: string | null, previous: string | null, companyNumbers: readonly string[]): string | null {
  if (comment === null || previous === null || comment === previous) return comment;
  return maskPii(previous, { companyNumbers }) === comment ? previous : comment;
}

export interface CompletedReview {
  reviewId: string;
  total: number;
  maxTotal: number;
  fatal: boolean;
  completedAt: string;
  version: number;
}

export class ReviewService {
  constructor(
    private readonly access: CallAccess,
    private readonly reviews: ReviewsRepo,
    private readonly audit: AuditService,
    private readonly now: () => Date,
    /** a program's own numbers, kept readable where an answer is masked */
    private readonly companyNumbers: (pipelineId: string) => readonly string[] = () => [],
    /** the transcript segments of a run, as stored: the item's quotes are masked as getCall masks them */
    private readonly segmentsOf: (runId: string) => Promise<readonly SegmentText[]> = async () => [],
    /** the calls the user scores blind in an open calibration session (CalibrationService.blindCalls) */
    private readonly blindCalls: (user: AuthUser) => Promise<ReadonlySet<string>> = async () => new Set(),
  ) {}

  /**
   * A scorer of an open calibration session does not review its calls until their calibration scores are in: a
   * decision answers the machine's item and the total, which the session keeps from them (409).
   */
  private async notBlind(user: AuthUser, callId: string): Promise<void> {
    if ((await this.blindCalls(user)).has(callId))
      throw new ServiceError(409, 'conflict', `you score call ${callId} blind in an open calibration session: review it once your scores there are in (a review shows the machine's draft)`);
  }

  async decideItem(user: AuthUser, callId: string, input: DecisionInput & { expectedRevision?: number }): Promise<DecisionResult> {
    const call = await this.access.authorizeCall(user, callId);
    await this.notBlind(user, callId);
    if (!call.scorecardId) throw new ServiceError(409, 'conflict', `call ${callId} has no draft scorecard (its QA program has no scorecard)`);
    const now = this.now();
    // read before the transaction (PGlite has one connection, which the transaction holds)
    const segments = await this.segmentsOf(call.runId);
    return this.reviews.transaction(async (tx) => {
      const { review, started } = await tx.getOrStartReview(callId, call.scorecardId!, user.id, now);
      if (review.status === 'completed') {
        throw new ServiceError(409, 'conflict', `the review of this call was completed at ${review.completedAt?.toISOString()}; changes now go through a dispute`);
      }
      const before = await tx.listDecisions(review.id);
      checkRevision(input.expectedRevision, before.length, before, user.id);
      const draft = (await tx.mustGetScorecard(review.scorecardId)).card;
      const d = rule(() => validateDecision(draft, input));
      d.comment = unmaskedEcho(d.comment, before.filter((x) => x.itemId === input.itemId).at(-1)?.comment ?? null, this.companyNumbers(call.pipelineId));
      await tx.addDecision({
        reviewId: review.id,
        itemId: input.itemId,
        action: d.action,
        points: d.points,
        fatal: d.fatal,
        reasonCode: d.reasonCode,
        comment: d.comment,
        decidedBy: user.id,
        decidedAt: now,
      });
      const db = tx.db as StoreDb;
      if (started) await this.audit.audit(user, 'review.start', { type: 'review', id: review.id, callId }, { draftId: review.scorecardId }, db);
      const machine = findItem(draft.sections, input.itemId)!.item;
      // before and after in one entry: the decision this one replaces (null when the item had none, the machine's answer stood)
      const prior = before.filter((x) => x.itemId === input.itemId).at(-1);
      const previous = prior ? { action: prior.action, points: prior.points, fatal: prior.fatal, reasonCode: prior.reasonCode, comment: prior.comment, decidedBy: prior.decidedByName, decidedAt: prior.decidedAt.toISOString() } : null;
      await this.audit.audit(
        user,
        'review.decide',
        { type: 'review', id: review.id, callId },
        { itemId: input.itemId, action: d.action, points: d.points, fatal: d.fatal, reasonCode: d.reasonCode, comment: d.comment, machine: { status: machine.status, points: machine.points }, previous },
        db,
      );
      const all = await tx.listDecisions(review.id);
      const card = reviewedCard(draft, latestDecisions(all));
      // the item as every answer shows it: personal data in its evidence and in the comment masked (getCall unmasks)
      const item = maskSpoken(findItem(card.sections, input.itemId)!.item as FinalItem, {
        companyNumbers: this.companyNumbers(call.pipelineId),
        segments,
      });
      return { reviewId: review.id, item, total: card.total, maxTotal: card.maxTotal, pendingItems: card.pendingItems, revision: all.length };
    });
  }

  async completeReview(user: AuthUser, callId: string, opts: { expectedRevision?: number } = {}): Promise<CompletedReview> {
    const call = await this.access.authorizeCall(user, callId);
    await this.notBlind(user, callId);
    if (!call.scorecardId) throw new ServiceError(409, 'conflict', `call ${callId} has no draft scorecard to review`);
    const now = this.now();
    return this.reviews.transaction(async (tx) => {
      // a call whose draft needs no human decision can be completed without any decision
      const { review, started } = await tx.getOrStartReview(callId, call.scorecardId!, user.id, now);
      if (review.status === 'completed') {
        throw new ServiceError(409, 'conflict', `the review of this call was already completed at ${review.completedAt?.toISOString()}`);
      }
      const draft = (await tx.mustGetScorecard(review.scorecardId)).card;
      const all = await tx.listDecisions(review.id);
      checkRevision(opts.expectedRevision, all.length, all, user.id);
      const decisions = latestDecisions(all);
      const resolved: FinalCard = rule(() => reviewedCard(draft, decisions, { requireComplete: true }));
      await tx.addResult({
        reviewId: review.id,
        version: 1,
        total: resolved.total,
        maxTotal: resolved.maxTotal,
        fatal: resolved.fatal,
        card: resolved,
        cause: 'completed',
        disputeId: null,
        createdBy: user.id,
        createdAt: now,
      });
      await tx.markCompleted(review.id, user.id, now);
      const db = tx.db as StoreDb;
      if (started) await this.audit.audit(user, 'review.start', { type: 'review', id: review.id, callId }, { draftId: review.scorecardId }, db);
      await this.audit.audit(user, 'review.complete', { type: 'review', id: review.id, callId }, { total: resolved.total, maxTotal: resolved.maxTotal, fatal: resolved.fatal, draftTotal: draft.total }, db);
      return { reviewId: review.id, total: resolved.total, maxTotal: resolved.maxTotal, fatal: resolved.fatal, completedAt: now.toISOString(), version: 1 };
    });
  }
}
