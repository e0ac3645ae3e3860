/**
 * A run's results: its events, transcript and draft scorecard, stored in ONE transaction when the run
 * completes (nothing partial), and read back as the report. `completeRunWrites` builds the writes once for
 * both the repository (a drizzle transaction) and the queue's fast path (queue-fast.ts, the same statements
 * sent in one round trip), so the two cannot store different rows.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { CallEvent, Speaker, Transcript, TranscriptEngine } from '../core/types.js';
import { saveStageOutputsQuery, type RunsRepo } from './runs-repo.js';
import {
  analysisRuns,
  events,
  type RecordingRow,
  recordings,
  type RunRow,
  scorecards,
  stageOutputs,
  transcriptSegments,
  transcripts,
} from './schema.js';
import { type CompleteRunInput, type Db, INSERT_CHUNK_ROWS, type RunReport } from './store-types.js';

/** Locks the run's row for the completing transaction and reads the pipeline it belongs to. */
export function lockRunRowQuery(db: Db, runId: string) {
  return db
    .select({ pipelineId: analysisRuns.pipelineId, pipelineVersion: analysisRuns.pipelineVersion })
    .from(analysisRuns)
    .where(eq(analysisRuns.id, runId))
    .for('update');
}

/**
 * The writes that complete a run, in order, to run inside one transaction after `lockRunRowQuery`: earlier
 * events and transcript replaced (segments go by cascade), the new ones inserted in chunks, the draft
 * scorecard added under the run's pipeline, the run `done`. Checks every time is finite first.
 */
export function completeRunWrites(db: Db, runId: string, pipeline: { id: string; version: string }, result: CompleteRunInput) {
  result.events.forEach(checkEvent);
  result.transcript?.segments.forEach(checkSegment);
  // the run's stage, as each stage's start would have recorded it had they been saved one by one
  const lastStage = result.stageOutputs?.at(-1)?.stage;
  const writes = [
    ...(result.stageOutputs?.length ? [saveStageOutputsQuery(db, runId, result.stageOutputs)] : []),
    db.delete(events).where(eq(events.runId, runId)),
    db.delete(transcripts).where(eq(transcripts.runId, runId)), // segments cascade
    ...chunks(
      result.events.map((e) => ({
        runId,
        type: e.type,
        speaker: e.speaker,
        startSec: e.start,
        endSec: e.end,
        details: e.details as unknown as Record<string, unknown>,
      })),
    ).map((rows) => db.insert(events).values(rows)),
    ...(result.transcript ? transcriptWrites(db, runId, result.transcript) : []),
    ...(result.scorecard
      ? [db.insert(scorecards).values({ runId, pipelineId: pipeline.id, pipelineVersion: pipeline.version, card: result.scorecard })]
      : []),
    db
      .update(analysisRuns)
      .set({ status: 'done', error: null, metrics: result.metrics, notes: result.notes, finishedAt: sql`now()`, ...(lastStage ? { stage: lastStage } : {}) })
      .where(eq(analysisRuns.id, runId)),
  ];
  return writes;
}

function transcriptWrites(db: Db, runId: string, t: Transcript) {
  return [
    db.insert(transcripts).values({ runId, engine: t.engine, model: t.model ?? null, language: t.language }),
    ...chunks(
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
    ).map((rows) => db.insert(transcriptSegments).values(rows)),
  ];
}

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) out.push(rows.slice(i, i + INSERT_CHUNK_ROWS));
  return out;
}

export class ResultsRepo {
  constructor(
    readonly db: Db,
    private readonly runs: RunsRepo,
  ) {}

  /**
   * Stores the run's results in ONE transaction: earlier events and transcript of the run are replaced,
   * the scorecard (if any) is added, and the run becomes `done`. On any failure nothing changes.
   */
  async completeRun(runId: string, result: CompleteRunInput): Promise<void> {
    result.events.forEach(checkEvent);
    result.transcript?.segments.forEach(checkSegment);
    await this.db.transaction(async (tx) => {
      const [run] = await lockRunRowQuery(tx, runId);
      if (!run) throw new Error(`completeRun: no run ${runId}`);
      for (const w of completeRunWrites(tx, runId, { id: run.pipelineId, version: run.pipelineVersion }, result)) await w;
    });
  }

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
      this.runs.loadTimeline(run.id),
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
