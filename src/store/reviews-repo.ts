/**
 * Reviews, decisions, results and disputes. Decisions and results are append-only (a new row per change);
 * reviews and disputes change state only forward (in_progress -> completed, open -> upheld | amended).
 */
import { and, asc, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { scopeSql } from './calls-repo.js';
import type { StoreDb } from './db.js';
import {
  callAssignments,
  disputes,
  recordings,
  reviewDecisions,
  reviewResults,
  reviews,
  scorecards,
  users,
  type DisputeRow,
  type DisputeStatus,
  type ReviewDecisionRow,
  type ReviewResultRow,
  type ReviewRow,
  type ScorecardRow,
} from './schema.js';

export type NewDecision = Omit<ReviewDecisionRow, 'id'>;
export type NewResult = ReviewResultRow;

export interface DisputeListRow extends DisputeRow {
  openedByName: string;
  ruledByName: string | null;
  fileName: string;
  agentId: string | null;
  /** the disputed item's title in the draft the review judged (null if the item is not in it) */
  itemTitle: string | null;
  /** the QA program of the draft the review judged */
  pipelineId: string | null;
}

export class ReviewsRepo {
  constructor(readonly db: StoreDb) {}

  /** Runs `fn` in one transaction with a repository bound to it. */
  async transaction<T>(fn: (repo: ReviewsRepo) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => fn(new ReviewsRepo(tx as unknown as StoreDb)));
  }

  async getScorecard(id: string): Promise<ScorecardRow | null> {
    const [row] = await this.db.select().from(scorecards).where(eq(scorecards.id, id));
    return row ?? null;
  }

  /** A scorecard a review or call points at (a foreign key guarantees it): its absence is a broken database, said plainly. */
  async mustGetScorecard(id: string): Promise<ScorecardRow> {
    const row = await this.getScorecard(id);
    if (!row) throw new Error(`scorecard ${id} is referenced but missing from the database`);
    return row;
  }

  async getReviewForCall(recordingId: string, opts: { forUpdate?: boolean } = {}): Promise<ReviewRow | null> {
    const q = this.db.select().from(reviews).where(eq(reviews.recordingId, recordingId));
    const [row] = opts.forUpdate ? await q.for('update') : await q;
    return row ?? null;
  }

  async getReview(id: string, opts: { forUpdate?: boolean } = {}): Promise<ReviewRow | null> {
    const q = this.db.select().from(reviews).where(eq(reviews.id, id));
    const [row] = opts.forUpdate ? await q.for('update') : await q;
    return row ?? null;
  }

  /** The call's review, started on `scorecardId` if there is none yet (race-safe: one review per call). */
  async getOrStartReview(recordingId: string, scorecardId: string, userId: string, now: Date): Promise<{ review: ReviewRow; started: boolean }> {
    const [inserted] = await this.db
      .insert(reviews)
      .values({ recordingId, scorecardId, startedBy: userId, startedAt: now })
      .onConflictDoNothing({ target: reviews.recordingId })
      .returning();
    if (inserted) return { review: inserted, started: true };
    const existing = await this.getReviewForCall(recordingId, { forUpdate: true });
    if (!existing) throw new Error(`review of call ${recordingId} vanished`);
    return { review: existing, started: false };
  }

  async addDecision(d: NewDecision): Promise<ReviewDecisionRow> {
    const [row] = await this.db.insert(reviewDecisions).values(d).returning();
    return row!;
  }

  /** Every decision of a review, oldest first (the newest per item counts). */
  async listDecisions(reviewId: string): Promise<(ReviewDecisionRow & { decidedByName: string })[]> {
    const rows = await this.db
      .select({ d: reviewDecisions, name: users.username })
      .from(reviewDecisions)
      .innerJoin(users, eq(users.id, reviewDecisions.decidedBy))
      .where(eq(reviewDecisions.reviewId, reviewId))
      .orderBy(asc(reviewDecisions.id));
    return rows.map((r) => ({ ...r.d, decidedByName: r.name }));
  }

  async markCompleted(reviewId: string, userId: string, now: Date): Promise<void> {
    await this.db
      .update(reviews)
      .set({ status: 'completed', completedBy: userId, completedAt: now, publishedAt: now })
      .where(and(eq(reviews.id, reviewId), eq(reviews.status, 'in_progress')));
  }

  async addResult(r: NewResult): Promise<void> {
    await this.db.insert(reviewResults).values(r);
  }

  async latestResult(reviewId: string): Promise<ReviewResultRow | null> {
    const [row] = await this.db.select().from(reviewResults).where(eq(reviewResults.reviewId, reviewId)).orderBy(desc(reviewResults.version)).limit(1);
    return row ?? null;
  }

  async listResults(reviewId: string): Promise<ReviewResultRow[]> {
    return this.db.select().from(reviewResults).where(eq(reviewResults.reviewId, reviewId)).orderBy(asc(reviewResults.version));
  }

  // ------------------------------------------------------------------------------------------ disputes

  async addDispute(d: { reviewId: string; recordingId: string; itemId: string; reason: string; openedBy: string; openedAt: Date }): Promise<DisputeRow> {
    const [row] = await this.db.insert(disputes).values(d).returning();
    return row!;
  }

  async getDispute(id: string, opts: { forUpdate?: boolean } = {}): Promise<DisputeRow | null> {
    const q = this.db.select().from(disputes).where(eq(disputes.id, id));
    const [row] = opts.forUpdate ? await q.for('update') : await q;
    return row ?? null;
  }

  async disputesOfReview(reviewId: string): Promise<DisputeRow[]> {
    return this.db.select().from(disputes).where(eq(disputes.reviewId, reviewId)).orderBy(asc(disputes.openedAt), asc(disputes.id));
  }

  async countDisputes(reviewId: string): Promise<number> {
    const [r] = await this.db.select({ n: count() }).from(disputes).where(eq(disputes.reviewId, reviewId));
    return Number(r?.n ?? 0);
  }

  async ruleDispute(id: string, r: { status: Exclude<DisputeStatus, 'open'>; ruledBy: string; ruledAt: Date; reason: string; points: number | null; fatal: boolean | null }): Promise<void> {
    await this.db
      .update(disputes)
      .set({ status: r.status, ruledBy: r.ruledBy, ruledAt: r.ruledAt, rulingReason: r.reason, amendedPoints: r.points, amendedFatal: r.fatal })
      .where(and(eq(disputes.id, id), eq(disputes.status, 'open')));
  }

  /**
   * Disputes filtered by a condition the service builds from the user's role: `where` is one of
   * disputesOpenedBy / disputesInTeam / disputesOnReviewsBy; plus an optional status.
   */
  async listDisputes(where: SQL, status?: DisputeStatus, limit = 200): Promise<DisputeListRow[]> {
    const opener = users;
    const rows = await this.db
      .select({
        d: disputes,
        openedByName: opener.username,
        ruledByName: sql<string | null>`(select u2.username from users u2 where u2.id = ${disputes.ruledBy})`,
        fileName: recordings.fileName,
        agentId: sql<string | null>`${recordings.metadata}->>'agentId'`,
        pipelineId: sql<string | null>`(select s.pipeline_id from reviews r join scorecards s on s.id = r.scorecard_id where r.id = ${disputes.reviewId})`,
        itemTitle: sql<string | null>`(select i->>'title' from reviews r join scorecards s on s.id = r.scorecard_id, jsonb_array_elements(s.card->'sections') sec, jsonb_array_elements(sec->'items') i where r.id = ${disputes.reviewId} and i->>'id' = ${disputes.itemId} limit 1)`,
      })
      .from(disputes)
      .innerJoin(opener, eq(opener.id, disputes.openedBy))
      .innerJoin(recordings, eq(recordings.id, disputes.recordingId))
      .where(status ? and(where, eq(disputes.status, status)) : where)
      .orderBy(desc(disputes.openedAt), desc(disputes.id))
      .limit(limit);
    return rows.map((r) => ({ ...r.d, openedByName: r.openedByName, ruledByName: r.ruledByName, fileName: r.fileName, agentId: r.agentId, itemTitle: r.itemTitle, pipelineId: r.pipelineId }));
  }

  disputesOpenedBy(userId: string): SQL {
    return eq(disputes.openedBy, userId);
  }

  allDisputes(): SQL {
    return sql`true`;
  }

  disputesOfReviewSql(reviewId: string): SQL {
    return eq(disputes.reviewId, reviewId);
  }

  /** disputes on calls of a team (the same team rule as call access) */
  disputesInTeam(team: string): SQL {
    return sql`${disputes.recordingId} in (select r.id from recordings r where ${scopeSql({ kind: 'team', team })})`;
  }

  /** disputes on reviews the inspector made */
  disputesOnReviewsBy(userId: string): SQL {
    return sql`${disputes.reviewId} in (select rv.id from reviews rv where rv.started_by = ${userId} or rv.completed_by = ${userId})`;
  }

  // --------------------------------------------------------------------------------------- assignments

  async getAssignment(recordingId: string) {
    const [row] = await this.db.select().from(callAssignments).where(eq(callAssignments.recordingId, recordingId));
    return row ?? null;
  }
}
