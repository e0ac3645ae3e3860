/**
 * All reads and writes the pipeline runners, queue workers, CLI and API make. Written once over the drizzle
 * PgDatabase type, so it runs unchanged on PGlite and on node-postgres.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { AudioInfo, CallEvent, CallMetadata, Speaker, SpeechTimeline, Transcript, TranscriptEngine } from '../core/types.js';
import type { ScorecardDraft } from '../score/types.js';
import {
  analysisRuns,
  events,
  type RecordingRow,
  recordings,
  RUN_STATUSES,
  type RunRow,
  type RunStatus,
  type RunVersions,
  type ScorecardRow,
  scorecards,
  stageOutputs,
  transcriptSegments,
  transcripts,
} from './schema.js';
import type * as schema from './schema.js';

type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Rows per INSERT: stays far below PostgreSQL's 65535 bind parameters whatever the column count. */
const INSERT_CHUNK_ROWS = 1000;

export interface UpsertRecordingInput {
  /** lowercase hex sha256 of the file's bytes */
  contentHash: string;
  /** where the audio can be read (absolute path or storage key) */
  path: string;
  /** the name as the user gave it */
  fileName: string;
  /** probe results; omit when recording a file before probing (enqueue), then call `setRecordingInfo` */
  info?: AudioInfo;
  sizeBytes: number;
  metadata?: CallMetadata;
}

export interface CompleteRunInput {
  events: CallEvent[];
  transcript: Transcript | null;
  metrics: Record<string, unknown>;
  notes: string[];
  /** the draft scorecard; stored under the run's own pipeline id and version */
  scorecard?: ScorecardDraft | null;
}

export interface StageOutputRecord {
  stage: string;
  output: unknown;
  startedAt: Date;
  finishedAt: Date;
}

export interface StageTiming {
  stage: string;
  startedAt: Date;
  finishedAt: Date;
  durationSec: number;
}

/** Everything the JSON report and the inspector need about one run. */
export interface RunReport {
  recording: RecordingRow;
  run: RunRow;
  /** sorted by start, then insertion order; `details` as stored */
  events: CallEvent[];
  transcript: Transcript | null;
  /** the newest draft scorecard of the run, if any */
  scorecard: ScorecardRow | null;
  /** per-stage timing from the saved stage outputs, in the order the stages started */
  stages: StageTiming[];
  /** who spoke when per side, and the hold spans (the audio stage's output); null when the audio stage did not run */
  timeline: SpeechTimeline | null;
}

export type RunCounts = Record<RunStatus, number>;

export interface RunSummary extends RunRow {
  fileName: string;
  contentHash: string;
  path: string;
}

export interface ListRunsOptions {
  status?: RunStatus | RunStatus[];
  /** default 100 */
  limit?: number;
  offset?: number;
  /** newest first by default; 'oldest' suits a reconcile pass */
  order?: 'newest' | 'oldest';
}

export class Repository {
  constructor(readonly db: Db) {}

  // ------------------------------------------------------------------------------------------ recordings

  /**
   * Same content hash -> same row. A second upsert updates where the file is, its given name and probe info,
   * and merges the metadata (new keys win; keys absent from the new metadata are kept).
   */
  async upsertRecording(input: UpsertRecordingInput): Promise<{ id: string; created: boolean }> {
    const { info } = input;
    const values = {
      contentHash: input.contentHash,
      path: input.path,
      fileName: input.fileName,
      format: info?.format ?? null,
      codec: info?.codec ?? null,
      durationSec: info?.durationSec ?? null,
      channels: info?.channels ?? null,
      sampleRate: info?.sampleRate ?? null,
      sizeBytes: input.sizeBytes,
      metadata: input.metadata ?? {},
    };
    const [row] = await this.db
      .insert(recordings)
      .values(values)
      .onConflictDoUpdate({
        target: recordings.contentHash,
        set: {
          path: sql`excluded.path`,
          fileName: sql`excluded.file_name`,
          // an upsert without probe info keeps what an earlier probe found
          format: sql`coalesce(excluded.format, ${recordings.format})`,
          codec: sql`coalesce(excluded.codec, ${recordings.codec})`,
          durationSec: sql`coalesce(excluded.duration_sec, ${recordings.durationSec})`,
          channels: sql`coalesce(excluded.channels, ${recordings.channels})`,
          sampleRate: sql`coalesce(excluded.sample_rate, ${recordings.sampleRate})`,
          sizeBytes: sql`excluded.size_bytes`,
          metadata: sql`${recordings.metadata} || excluded.metadata`,
          updatedAt: sql`now()`,
        },
      })
      // xmax is 0 on a freshly inserted row version and non-zero on one written by ON CONFLICT DO UPDATE.
      .returning({ id: recordings.id, created: sql<boolean>`(xmax = 0)` });
    if (!row) throw new Error(`upsertRecording ${input.contentHash}: no row returned`);
    return { id: row.id, created: Boolean(row.created) };
  }

  /** Stores the probe stage's findings on a recording created without them. */
  async setRecordingInfo(id: string, info: AudioInfo): Promise<void> {
    await this.db
      .update(recordings)
      .set({
        format: info.format,
        codec: info.codec,
        durationSec: info.durationSec,
        channels: info.channels,
        sampleRate: info.sampleRate,
        updatedAt: sql`now()`,
      })
      .where(eq(recordings.id, id));
  }

  async getRecording(id: string): Promise<RecordingRow | null> {
    const [row] = await this.db.select().from(recordings).where(eq(recordings.id, id));
    return row ?? null;
  }

  async getRecordingByHash(contentHash: string): Promise<RecordingRow | null> {
    const [row] = await this.db.select().from(recordings).where(eq(recordings.contentHash, contentHash));
    return row ?? null;
  }

  // ---------------------------------------------------------------------------------------------- runs

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

  async getRun(runId: string): Promise<RunRow | null> {
    const [row] = await this.db.select().from(analysisRuns).where(eq(analysisRuns.id, runId));
    return row ?? null;
  }

  /**
   * Begins an attempt: status running, `stage` the first stage of this attempt, attempts + 1, started_at now,
   * error and finished_at cleared. Call once per attempt; use `markStage` as later stages begin.
   */
  async markRunStarted(runId: string, stage: string): Promise<RunRow> {
    const [row] = await this.db
      .update(analysisRuns)
      .set({
        status: 'running',
        stage,
        error: null,
        attempts: sql`${analysisRuns.attempts} + 1`,
        startedAt: sql`now()`,
        finishedAt: null,
      })
      .where(eq(analysisRuns.id, runId))
      .returning();
    if (!row) throw new Error(`markRunStarted: no run ${runId}`);
    return row;
  }

  /** Records the stage now running, without starting a new attempt. */
  async markStage(runId: string, stage: string): Promise<void> {
    await this.db.update(analysisRuns).set({ status: 'running', stage }).where(eq(analysisRuns.id, runId));
  }

  /**
   * Sends a run back to `pending` (for `callqa retry`, the queue's reconcile, a re-analysis); keeps its
   * attempts count. `versions`: what the new attempt is made from (a re-analysis of changed inputs).
   */
  async resetRun(runId: string, versions?: RunVersions): Promise<void> {
    await this.db
      .update(analysisRuns)
      .set({ status: 'pending', error: null, finishedAt: null, ...(versions ? { versions } : {}) })
      .where(eq(analysisRuns.id, runId));
  }

  /** Stores (or replaces) one stage's JSON output and its timing. */
  async saveStageOutput(runId: string, stage: string, output: unknown, startedAt: Date, finishedAt: Date): Promise<void> {
    await this.db
      .insert(stageOutputs)
      .values({ runId, stage, output: output ?? null, startedAt, finishedAt })
      .onConflictDoUpdate({
        target: [stageOutputs.runId, stageOutputs.stage],
        set: { output: sql`excluded.output`, startedAt: sql`excluded.started_at`, finishedAt: sql`excluded.finished_at` },
      });
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

  /**
   * Stores the run's results in ONE transaction: earlier events and transcript of the run are replaced,
   * the scorecard (if any) is added, and the run becomes `done`. On any failure nothing changes.
   */
  async completeRun(runId: string, result: CompleteRunInput): Promise<void> {
    result.events.forEach(checkEvent);
    result.transcript?.segments.forEach(checkSegment);
    await this.db.transaction(async (tx) => {
      const [run] = await tx
        .select({ pipelineId: analysisRuns.pipelineId, pipelineVersion: analysisRuns.pipelineVersion })
        .from(analysisRuns)
        .where(eq(analysisRuns.id, runId))
        .for('update');
      if (!run) throw new Error(`completeRun: no run ${runId}`);

      await tx.delete(events).where(eq(events.runId, runId));
      await tx.delete(transcripts).where(eq(transcripts.runId, runId)); // segments cascade
      await insertChunked(
        tx,
        events,
        result.events.map((e) => ({
          runId,
          type: e.type,
          speaker: e.speaker,
          startSec: e.start,
          endSec: e.end,
          details: e.details as unknown as Record<string, unknown>,
        })),
      );
      if (result.transcript) await insertTranscript(tx, runId, result.transcript);
      if (result.scorecard) {
        await tx.insert(scorecards).values({
          runId,
          pipelineId: run.pipelineId,
          pipelineVersion: run.pipelineVersion,
          card: result.scorecard,
        });
      }
      await tx
        .update(analysisRuns)
        .set({
          status: 'done',
          error: null,
          metrics: result.metrics,
          notes: result.notes,
          finishedAt: sql`now()`,
        })
        .where(eq(analysisRuns.id, runId));
    });
  }

  /** Marks the run failed with its error; results of an earlier successful attempt stay as they were. */
  async failRun(runId: string, error: string): Promise<void> {
    await this.db
      .update(analysisRuns)
      .set({ status: 'failed', error, finishedAt: sql`now()` })
      .where(eq(analysisRuns.id, runId));
  }

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

  // ------------------------------------------------------------------------------------------- reports

  async getRunReport(runId: string): Promise<RunReport | null> {
    const [row] = await this.db
      .select({ run: analysisRuns, recording: recordings })
      .from(analysisRuns)
      .innerJoin(recordings, eq(recordings.id, analysisRuns.recordingId))
      .where(eq(analysisRuns.id, runId));
    if (!row) return null;
    return this.assembleReport(row.run, row.recording);
  }

  async findRunByHash(contentHash: string, pipelineId: string, pipelineVersion: string): Promise<RunReport | null> {
    const [row] = await this.db
      .select({ run: analysisRuns, recording: recordings })
      .from(analysisRuns)
      .innerJoin(recordings, eq(recordings.id, analysisRuns.recordingId))
      .where(
        and(
          eq(recordings.contentHash, contentHash),
          eq(analysisRuns.pipelineId, pipelineId),
          eq(analysisRuns.pipelineVersion, pipelineVersion),
        ),
      );
    if (!row) return null;
    return this.assembleReport(row.run, row.recording);
  }

  private async assembleReport(run: RunRow, recording: RecordingRow): Promise<RunReport> {
    const [eventRows, transcriptRows, segmentRows, scorecardRows, stageRows, timeline] = await Promise.all([
      this.db.select().from(events).where(eq(events.runId, run.id)).orderBy(asc(events.startSec), asc(events.id)),
      this.db.select().from(transcripts).where(eq(transcripts.runId, run.id)),
      this.db.select().from(transcriptSegments).where(eq(transcriptSegments.runId, run.id)).orderBy(asc(transcriptSegments.idx)),
      this.db
        .select()
        .from(scorecards)
        .where(eq(scorecards.runId, run.id))
        .orderBy(desc(scorecards.createdAt), desc(scorecards.id))
        .limit(1),
      this.db
        .select({ stage: stageOutputs.stage, startedAt: stageOutputs.startedAt, finishedAt: stageOutputs.finishedAt })
        .from(stageOutputs)
        .where(eq(stageOutputs.runId, run.id))
        .orderBy(asc(stageOutputs.startedAt), asc(stageOutputs.stage)),
      this.loadTimeline(run.id),
    ]);

    // Rows are written only by completeRun from typed events (the union in core/events.ts): trusted here.
    const callEvents = eventRows.map((e) => ({ type: e.type, speaker: e.speaker, start: e.startSec, end: e.endSec, details: e.details ?? {} }) as unknown as CallEvent);

    const t = transcriptRows[0];
    const transcript: Transcript | null = t
      ? {
          engine: t.engine as TranscriptEngine,
          ...(t.model != null ? { model: t.model } : {}),
          language: t.language,
          segments: segmentRows.map((s) => ({
            speaker: s.speaker,
            start: s.startSec,
            end: s.endSec,
            text: s.text,
            normText: s.normText,
            ...(s.words != null ? { words: s.words } : {}),
            ...(s.confidence != null ? { confidence: s.confidence } : {}),
          })),
        }
      : null;

    return {
      recording,
      run,
      events: callEvents,
      transcript,
      scorecard: scorecardRows[0] ?? null,
      stages: stageRows.map((s) => ({
        ...s,
        durationSec: (s.finishedAt.getTime() - s.startedAt.getTime()) / 1000,
      })),
      timeline,
    };
  }

  // --------------------------------------------------------------------------------------- queue status

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
      .where(statuses ? inArray(analysisRuns.status, statuses) : undefined)
      .orderBy(...order)
      .limit(opts.limit ?? 100)
      .offset(opts.offset ?? 0);
    return rows.map((r) => ({ ...r.run, fileName: r.fileName, contentHash: r.contentHash, path: r.path }));
  }
}

// ------------------------------------------------------------------------------------------------ helpers

async function insertChunked<T extends typeof events | typeof transcriptSegments>(
  tx: Tx,
  table: T,
  rows: Array<T['$inferInsert']>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) {
    await tx.insert(table).values(rows.slice(i, i + INSERT_CHUNK_ROWS) as never);
  }
}

async function insertTranscript(tx: Tx, runId: string, t: Transcript): Promise<void> {
  await tx.insert(transcripts).values({ runId, engine: t.engine, model: t.model ?? null, language: t.language });
  await insertChunked(
    tx,
    transcriptSegments,
    t.segments.map((s, idx) => ({
      runId,
      idx,
      speaker: s.speaker as Speaker,
      startSec: s.start,
      endSec: s.end,
      text: s.text,
      normText: s.normText,
      words: s.words ?? null,
      confidence: s.confidence ?? null,
    })),
  );
}

/**
 * PostgreSQL would store NaN and Infinity in double precision and compare them without complaint; the
 * JSON report cannot carry them. A detector that produces one has a bug: say which event.
 */
export function checkEvent(e: CallEvent, i: number): void {
  if (!Number.isFinite(e.start) || !Number.isFinite(e.end)) {
    throw new Error(`event ${i} (${e.type}): start and end must be finite seconds, got ${e.start}..${e.end}`);
  }
}

export function checkSegment(s: { start: number; end: number }, i: number): void {
  if (!Number.isFinite(s.start) || !Number.isFinite(s.end)) {
    throw new Error(`transcript segment ${i}: start and end must be finite seconds, got ${s.start}..${s.end}`);
  }
}
