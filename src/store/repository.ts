/**
 * The store, one repository per aggregate: recordings (recordings-repo.ts), runs and their stage outputs
 * (runs-repo.ts), results (results-repo.ts: events, transcript, the completing transaction, the report),
 * scorecards (scorecards-repo.ts), queue claims (queue-repo.ts); the review workflow's own repositories
 * (calls, reviews, users, audit, media) sit beside them. Written once over the drizzle PgDatabase type, so
 * they run unchanged on PGlite and on node-postgres.
 *
 * `Repository` bundles the pipeline's four for the runners and the CLI, and keeps the method names callers
 * had before the split (each delegates to its aggregate's repository).
 */
import type { AudioInfo, SpeechTimeline } from '../core/types.js';
import type { ScorecardDraft } from '../score/types.js';
import { RecordingsRepo } from './recordings-repo.js';
import { ResultsRepo } from './results-repo.js';
import { RunsRepo } from './runs-repo.js';
import type { RecordingRow, RunRow, RunVersions, ScorecardRow } from './schema.js';
import { ScorecardsRepo } from './scorecards-repo.js';
import type {
  CompleteRunInput,
  Db,
  ListRunsOptions,
  RunCounts,
  RunReport,
  RunSummary,
  StageOutputRecord,
  UpsertRecordingInput,
} from './store-types.js';

export * from './store-types.js';
export { checkEvent, checkSegment, completeRunWrites, lockRunRowQuery, ResultsRepo } from './results-repo.js';
export { RecordingsRepo, setRecordingInfoQuery } from './recordings-repo.js';
export { markRunStartedQuery, markStageQuery, RunsRepo, saveStageOutputQuery } from './runs-repo.js';
export { ScorecardsRepo } from './scorecards-repo.js';

export class Repository {
  readonly recordings: RecordingsRepo;
  readonly runs: RunsRepo;
  readonly results: ResultsRepo;
  readonly scorecards: ScorecardsRepo;

  constructor(readonly db: Db) {
    this.recordings = new RecordingsRepo(db);
    this.runs = new RunsRepo(db);
    this.results = new ResultsRepo(db, this.runs);
    this.scorecards = new ScorecardsRepo(db);
  }

  upsertRecording(input: UpsertRecordingInput): Promise<{ id: string; created: boolean }> {
    return this.recordings.upsertRecording(input);
  }

  setRecordingInfo(id: string, info: AudioInfo): Promise<void> {
    return this.recordings.setRecordingInfo(id, info);
  }

  getRecording(id: string): Promise<RecordingRow | null> {
    return this.recordings.getRecording(id);
  }

  getRecordingByHash(contentHash: string): Promise<RecordingRow | null> {
    return this.recordings.getRecordingByHash(contentHash);
  }

  erasure(contentHash: string): Promise<{ erasedAt: Date; reason: string } | null> {
    return this.recordings.erasure(contentHash);
  }

  getOrCreateRun(recordingId: string, pipelineId: string, pipelineVersion: string, versions: RunVersions = {}): Promise<{ run: RunRow; existing: boolean }> {
    return this.runs.getOrCreateRun(recordingId, pipelineId, pipelineVersion, versions);
  }

  getRun(runId: string): Promise<RunRow | null> {
    return this.runs.getRun(runId);
  }

  markRunStarted(runId: string, stage: string): Promise<RunRow> {
    return this.runs.markRunStarted(runId, stage);
  }

  markStage(runId: string, stage: string): Promise<void> {
    return this.runs.markStage(runId, stage);
  }

  resetRun(runId: string, versions?: RunVersions, opts?: { clearOutputs?: boolean }): Promise<void> {
    return this.runs.resetRun(runId, versions, opts);
  }

  saveStageOutput(runId: string, stage: string, output: unknown, startedAt: Date, finishedAt: Date): Promise<void> {
    return this.runs.saveStageOutput(runId, stage, output, startedAt, finishedAt);
  }

  loadStageOutputs(runId: string): Promise<StageOutputRecord[]> {
    return this.runs.loadStageOutputs(runId);
  }

  loadTimeline(runId: string): Promise<SpeechTimeline | null> {
    return this.runs.loadTimeline(runId);
  }

  failRun(runId: string, error: string, stage?: string): Promise<void> {
    return this.runs.failRun(runId, error, stage);
  }

  countRunsByStatus(): Promise<RunCounts> {
    return this.runs.countRunsByStatus();
  }

  listRuns(opts: ListRunsOptions = {}): Promise<RunSummary[]> {
    return this.runs.listRuns(opts);
  }

  completeRun(runId: string, result: CompleteRunInput): Promise<void> {
    return this.results.completeRun(runId, result);
  }

  getRunReport(runId: string): Promise<RunReport | null> {
    return this.results.getRunReport(runId);
  }

  findRunByHash(contentHash: string, pipelineId: string, pipelineVersion: string): Promise<RunReport | null> {
    return this.results.findRunByHash(contentHash, pipelineId, pipelineVersion);
  }

  addScorecard(runId: string, pipelineId: string, pipelineVersion: string, card: ScorecardDraft): Promise<ScorecardRow> {
    return this.scorecards.addScorecard(runId, pipelineId, pipelineVersion, card);
  }

  listScorecards(runId: string): Promise<ScorecardRow[]> {
    return this.scorecards.listScorecards(runId);
  }
}
