/** Draft scorecards: added, never rewritten (a rescore adds a new draft beside the old ones). */
import { asc, eq } from 'drizzle-orm';
import type { ScorecardDraft } from '../score/types.js';
import { type ScorecardRow, scorecards } from './schema.js';
import type { Db } from './store-types.js';

export class ScorecardsRepo {
  constructor(readonly db: Db) {}

  /** Adds a draft scorecard (re-scoring); earlier drafts are kept untouched. */
  async addScorecard(runId: string, pipelineId: string, pipelineVersion: string, card: ScorecardDraft): Promise<ScorecardRow> {
    const [row] = await this.db.insert(scorecards).values({ runId, pipelineId, pipelineVersion, card }).returning();
    if (!row) throw new Error(`addScorecard: no row returned for run ${runId}`);
    return row;
  }

  /** All drafts of a run, oldest first. */
  async listScorecards(runId: string): Promise<ScorecardRow[]> {
    return this.db.select().from(scorecards).where(eq(scorecards.runId, runId)).orderBy(asc(scorecards.createdAt), asc(scorecards.id));
  }

}
