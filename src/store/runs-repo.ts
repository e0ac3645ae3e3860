/**
 * Analysis runs and their stage outputs: one run per (recording, pipeline, version), its status and the
 * stage it is at, and each stage's JSON output (so a worker elsewhere resumes after the last one saved).
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { SpeechTimeline } from '../core/types.js';
import { analysisRuns, recordings, RUN_STATUSES, type RunRow, type RunVersions, stageOutputs } from './schema.js';
import type { Db, ListRunsOptions, RunCounts, RunSummary, StageOutputRecord } from './store-types.js';

/** A new attempt begins at `stage` (shared with the queue's fast path). */
export function markRunStartedQuery(db: Db, runId: string, stage: string) {
  return db
    .update(analysisRuns)
    .set({
      status: 'running',
      stage,
      error: null,
      attempts: sql`${analysisRuns.attempts} + 1`,
      startedAt: sql`now()`,
      finishedAt: null,
    })
    .where(eq(analysisRuns.id, runId));
}

/**
 * The stage now running, without a new attempt. `unfinishedOnly`: leave a run that is done or failed as it
 * is (the queue records the next stage as part of a save, and a run may have been failed meanwhile).
 */
export function markStageQuery(db: Db, runId: string, stage: string, opts: { unfinishedOnly?: boolean } = {}) {
  const where = opts.unfinishedOnly
    ? and(eq(analysisRuns.id, runId), inArray(analysisRuns.status, ['pending', 'running']))
    : eq(analysisRuns.id, runId);
  return db.update(analysisRuns).set({ status: 'running', stage }).where(where);
}

/** One stage's JSON output and timing, stored or replaced (shared with the queue's fast path). */
export function saveStageOutputQuery(db: Db, runId: string, stage: string, output: unknown, startedAt: Date, finishedAt: Date) {
  return saveStageOutputsQuery(db, runId, [{ stage, output, startedAt, finishedAt }]);
}

/** Several stages' outputs in one statement (the in-process runner saves a call's stages with its results). */
export function saveStageOutputsQuery(db: Db, runId: string, outputs: readonly StageOutputRecord[]) {
  return db
    .insert(stageOutputs)
    .values(outputs.map((o) => ({ runId, stage: o.stage, output: o.output ?? null, startedAt: o.startedAt, finishedAt: o.finishedAt })))
    .onConflictDoUpdate({
      target: [stageOutputs.runId, stageOutputs.stage],
      set: { output: sql`excluded.output`, startedAt: sql`excluded.started_at`, finishedAt: sql`excluded.finished_at` },
    });
}

export class RunsRepo {
  constructor(readonly db: Db) {}

  /**
   * The run for (recording, pipeline, version), created `pending` if absent. Race-safe: concurrent callers
   * get the same row, and exactly one of them sees `existing: false`.
   */
  async getOrCreateRun(
    recordingId: string,
    pipelineId: string,
    pipelineVersion: string,
    versions: RunVersions = {},
  ): Promise<{ run: RunRow; existing: boolean }> {
    const [inserted] = await this.db
      .insert(analysisRuns)
      .values({ recordingId, pipelineId, pipelineVersion, versions })
      .onConflictDoNothing({ target: [analysisRuns.recordingId, analysisRuns.pipelineId, analysisRuns.pipelineVersion] })
      .returning();
    if (inserted) return { run: inserted, existing: false };
    const [run] = await this.db
      .select()
      .from(analysisRuns)
      .where(
        and(
          eq(analysisRuns.recordingId, recordingId),
          eq(analysisRuns.pipelineId, pipelineId),
          eq(analysisRuns.pipelineVersion, pipelineVersion),
        ),
      );
    if (!run) throw new Error(`getOrCreateRun: run for recording ${recordingId} ${pipelineId}@${pipelineVersion} vanished`);
    return { run, existing: true };
  }

  /** The run for (recording, pipeline, version), or null: getOrCreateRun without the creating. */
  async findRun(recordingId: string, pipelineId: string, pipelineVersion: string): Promise<RunRow | null> {
    const [run] = await this.db
      .select()
      .from(analysisRuns)
      .where(and(eq(analysisRuns.recordingId, recordingId), eq(analysisRuns.pipelineId, pipelineId), eq(analysisRuns.pipelineVersion, pipelineVersion)));
    return run ?? null;
  }

  async getRun(runId: string): Promise<RunRow | null> {
    const [row] = await this.db.select().from(analysisRuns).where(eq(analysisRuns.id, runId));
    return row ?? null;
  }

  /**
   * Begins an attempt: status running, `stage` the first stage of this attempt, attempts + 1, started_at now,
   * error and finished_at cleared. Call once per attempt; use `markStage` as later stages begin.
   */
  async markRunStarted(runId: string, stage: string): Promise<RunRow> {
    const [row] = await markRunStartedQuery(this.db, runId, stage).returning();
    if (!row) throw new Error(`markRunStarted: no run ${runId}`);
    return row;
  }

  /** Records the stage now running, without starting a new attempt. */
  async markStage(runId: string, stage: string): Promise<void> {
    await markStageQuery(this.db, runId, stage);
  }

  /**
   * Sends a run back to `pending` (for `callqa retry`, the queue's reconcile, a re-analysis); keeps its
   * attempts count. `versions`: what the new attempt is made from (a re-analysis of changed inputs).
   * `clearOutputs`: the stage outputs of the earlier attempt go too (a re-analysis from the start: none of
   * them may be resumed from once the inputs changed); a retry keeps them and resumes after the last one.
   */
  async resetRun(runId: string, versions?: RunVersions, opts: { clearOutputs?: boolean } = {}): Promise<void> {
    const reset = (db: Db) =>
      db
        .update(analysisRuns)
        .set({ status: 'pending', error: null, finishedAt: null, ...(versions ? { versions } : {}) })
        .where(eq(analysisRuns.id, runId));
    if (!opts.clearOutputs) {
      await reset(this.db);
      return;
    }
    await this.db.transaction(async (tx) => {
      await tx.delete(stageOutputs).where(eq(stageOutputs.runId, runId));
      await reset(tx);
    });
  }

  /** Marks the run failed with its error; results of an earlier successful attempt stay as they were. */
  /** `stage`: where it failed, when the run's row does not say so already (the in-process runner). */
  async failRun(runId: string, error: string, stage?: string): Promise<void> {
    await this.db
      .update(analysisRuns)
      .set({ status: 'failed', error, finishedAt: sql`now()`, ...(stage ? { stage } : {}) })
      .where(eq(analysisRuns.id, runId));
  }

  /** Stores (or replaces) one stage's JSON output and its timing. */
  async saveStageOutput(runId: string, stage: string, output: unknown, startedAt: Date, finishedAt: Date): Promise<void> {
    await saveStageOutputQuery(this.db, runId, stage, output, startedAt, finishedAt);
  }

  /** The saved stage outputs of a run, in the order the stages started. */
  async loadStageOutputs(runId: string): Promise<StageOutputRecord[]> {
    return this.db
      .select({
        stage: stageOutputs.stage,
        output: stageOutputs.output,
        startedAt: stageOutputs.startedAt,
        finishedAt: stageOutputs.finishedAt,
      })
      .from(stageOutputs)
      .where(eq(stageOutputs.runId, runId))
      .orderBy(asc(stageOutputs.startedAt), asc(stageOutputs.stage));
  }

  /**
   * The run's speech timeline (who spoke when per side, hold spans), as the audio stage saved it; null when
   * the audio stage has not run. Reads only that field of the stage output, so the player can ask for it alone.
   */
  async loadTimeline(runId: string): Promise<SpeechTimeline | null> {
    const [row] = await this.db
      .select({ timeline: sql<SpeechTimeline | null>`${stageOutputs.output} -> 'timeline'` })
      .from(stageOutputs)
      .where(and(eq(stageOutputs.runId, runId), eq(stageOutputs.stage, 'audio')));
    return row?.timeline ?? null;
  }

  async countRunsByStatus(): Promise<RunCounts> {
    const rows = await this.db
      .select({ status: analysisRuns.status, n: sql<number>`count(*)::int` })
      .from(analysisRuns)
      .groupBy(analysisRuns.status);
    const counts = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as RunCounts;
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  async listRuns(opts: ListRunsOptions = {}): Promise<RunSummary[]> {
    const statuses = opts.status === undefined ? undefined : Array.isArray(opts.status) ? opts.status : [opts.status];
    const order = opts.order === 'oldest' ? [asc(analysisRuns.createdAt), asc(analysisRuns.id)] : [desc(analysisRuns.createdAt), desc(analysisRuns.id)];
    const rows = await this.db
      .select({
        run: analysisRuns,
        fileName: recordings.fileName,
        contentHash: recordings.contentHash,
        path: recordings.path,
      })
      .from(analysisRuns)
      .innerJoin(recordings, eq(recordings.id, analysisRuns.recordingId))
      .where(
        and(
          statuses ? inArray(analysisRuns.status, statuses) : undefined,
          opts.recordingId ? eq(analysisRuns.recordingId, opts.recordingId) : undefined,
        ),
      )
      .orderBy(...order)
      .limit(opts.limit ?? 100)
      .offset(opts.offset ?? 0);
    return rows.map((r) => ({ ...r.run, fileName: r.fileName, contentHash: r.contentHash, path: r.path }));
  }
}
