/**
 * Disputes (质检申诉): an agent disputes an item of a completed review within the program's window and limit;
 * the agent's supervisor upholds the result or amends the item. An amendment adds a new result version scored
 * with the same arithmetic; the earlier version stays. Every step is audited in the same transaction.
 */
import { amendCard } from '../review/decisions.js';
import { checkOpenDispute, checkRuling, type RulingInput } from '../review/disputes.js';
import type { ReviewSettings } from '../review/settings.js';
import type { StoreDb } from '../store/db.js';
import type { ReviewsRepo } from '../store/reviews-repo.js';
import type { DisputeStatus } from '../store/schema.js';
import type { AuditService } from './audit.js';
import { isUuid, shownFileName, type CallAccess } from './call-access.js';
import { toDisputeView, type DisputeView } from './calls.js';
import { notFound, ServiceError, rule } from './errors.js';
import { maskSpoken } from './privacy.js';
import type { AuthUser } from './types.js';

export class DisputeService {
  constructor(
    private readonly access: CallAccess,
    private readonly reviews: ReviewsRepo,
    private readonly audit: AuditService,
    private readonly settingsFor: (pipelineId: string) => ReviewSettings,
    private readonly now: () => Date,
    /** a program's own numbers, kept readable where an answer is masked */
    private readonly companyNumbers: (pipelineId: string) => readonly string[] = () => [],
    /** the calls the user scores blind in an open calibration session (CalibrationService.blindCalls) */
    private readonly blindCalls: (user: AuthUser) => Promise<ReadonlySet<string>> = async () => new Set(),
  ) {}

  /** A dispute as every answer shows it: personal data in the reasons people typed masked (getCall unmasks). */
  private masked<T>(view: T, pipelineId: string | null): T {
    return maskSpoken(view, { companyNumbers: pipelineId ? this.companyNumbers(pipelineId) : [] });
  }

  async openDispute(user: AuthUser, callId: string, input: { itemId: string; reason: string }): Promise<DisputeView> {
    const call = await this.access.authorizeCall(user, callId);
    if (user.role !== 'agent' || call.metadata.agentId !== user.agentId) {
      throw new ServiceError(403, 'forbidden', 'only the agent whose call it is can dispute its result');
    }
    const reason = input.reason.trim();
    if (!reason) throw new ServiceError(422, 'invalid', 'a dispute needs a reason', { field: 'reason' });
    const now = this.now();
    return this.reviews.transaction(async (tx) => {
      const review = await tx.getReviewForCall(callId, { forUpdate: true });
      if (!review || review.status !== 'completed') {
        throw new ServiceError(409, 'conflict', 'only a completed review can be disputed; this call has no published result yet');
      }
      const result = (await tx.latestResult(review.id))!;
      const card = result.card;
      const existing = await tx.disputesOfReview(review.id);
      rule(() =>
        checkOpenDispute({
          reviewStatus: review.status,
          publishedAt: review.publishedAt,
          now,
          settings: this.settingsFor(card.pipeline.id),
          card,
          itemId: input.itemId,
          existing: existing.map((d) => ({ itemId: d.itemId, status: d.status })),
        }),
      );
      const d = await tx.addDispute({ reviewId: review.id, recordingId: callId, itemId: input.itemId, reason, openedBy: user.id, openedAt: now });
      await this.audit.audit(user, 'dispute.open', { type: 'dispute', id: d.id, callId }, { itemId: input.itemId, reason }, tx.db as StoreDb);
      return this.masked(toDisputeView(d, { openedBy: user.username, ruledBy: null }), call.pipelineId);
    });
  }

  async ruleDispute(user: AuthUser, disputeId: string, input: RulingInput): Promise<DisputeView & { total: number; version: number }> {
    const found = isUuid(disputeId) ? await this.reviews.getDispute(disputeId) : null;
    if (!found) throw notFound(`dispute ${disputeId}`);
    // the supervisor must be able to see the call (their team); otherwise the dispute does not exist for them
    let pipelineId: string;
    try {
      pipelineId = (await this.access.authorizeCall(user, found.recordingId)).pipelineId;
    } catch {
      throw notFound(`dispute ${disputeId}`);
    }
    // a ruling answers the item (and the total) that a blind calibration scorer of the call may not see yet
    if ((await this.blindCalls(user)).has(found.recordingId))
      throw new ServiceError(409, 'conflict', `you score call ${found.recordingId} blind in an open calibration session: rule its disputes once your scores there are in`);
    const now = this.now();
    return this.reviews.transaction(async (tx) => {
      const d = (await tx.getDispute(disputeId, { forUpdate: true }))!;
      // rulings on two disputes of one review add result versions one after the other
      await tx.getReview(d.reviewId, { forUpdate: true });
      const result = (await tx.latestResult(d.reviewId))!;
      const card = result.card;
      const ruling = rule(() => checkRuling(d.status, card, d.itemId, input));
      let total = result.total;
      let version = result.version;
      if (ruling.outcome === 'amended') {
        const amended = rule(() => amendCard(card, d.itemId, { points: ruling.points, fatal: ruling.fatal, reason: ruling.reason, disputeId }));
        version = result.version + 1;
        total = amended.total;
        await tx.addResult({
          reviewId: d.reviewId,
          version,
          total: amended.total,
          maxTotal: amended.maxTotal,
          fatal: amended.fatal,
          card: amended,
          cause: 'dispute',
          disputeId,
          createdBy: user.id,
          createdAt: now,
        });
      }
      await tx.ruleDispute(disputeId, { status: ruling.outcome, ruledBy: user.id, ruledAt: now, reason: ruling.reason, points: ruling.points, fatal: ruling.fatal });
      await this.audit.audit(
        user,
        'dispute.rule',
        { type: 'dispute', id: disputeId, callId: d.recordingId },
        { itemId: d.itemId, outcome: ruling.outcome, points: ruling.points, fatal: ruling.fatal, reason: ruling.reason, totalBefore: result.total, totalAfter: total },
        tx.db as StoreDb,
      );
      const after = (await tx.getDispute(disputeId))!;
      const [rows] = [await tx.listDisputes(tx.disputesOfReviewSql(d.reviewId))];
      const names = rows.find((r) => r.id === disputeId)!;
      return { ...this.masked(toDisputeView(after, { openedBy: names.openedByName, ruledBy: user.username }), pipelineId), total, version };
    });
  }

  async listDisputes(user: AuthUser, status?: DisputeStatus): Promise<DisputeView[]> {
    const where =
      user.role === 'agent' ? this.reviews.disputesOpenedBy(user.id)
      : user.role === 'supervisor' ? (user.team ? this.reviews.disputesInTeam(user.team) : undefined)
      : user.role === 'inspector' ? this.reviews.disputesOnReviewsBy(user.id)
      : this.reviews.allDisputes();
    if (!where) return [];
    // a dispute tells the item the agent contests, and a ruling its points: not to a blind calibration scorer of the call
    const blind = await this.blindCalls(user);
    const rows = (await this.reviews.listDisputes(where, status)).filter((d) => !blind.has(d.recordingId));
    return rows.map((d) => this.masked(toDisputeView(d, { openedBy: d.openedByName, ruledBy: d.ruledByName, fileName: shownFileName(user, d.fileName), itemTitle: d.itemTitle }), d.pipelineId));
  }
}
