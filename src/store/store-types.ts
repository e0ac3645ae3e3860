/**
 * Types the per-aggregate repositories share: the drizzle database handle (PGlite or node-postgres, or a
 * transaction of either) and the inputs and outputs of the store's use.
 */
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { AudioInfo, CallEvent, CallMetadata, SpeechTimeline, Transcript } from '../core/types.js';
import type { ScorecardDraft } from '../score/types.js';
import type { RecordingRow, RunRow, RunStatus, ScorecardRow } from './schema.js';
import type * as schema from './schema.js';

/** A drizzle database over the callqa schema, or a transaction on one (both build and run the same queries). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Rows per INSERT: stays far below PostgreSQL's 65535 bind parameters whatever the column count. */
export const INSERT_CHUNK_ROWS = 1000;

export interface UpsertRecordingInput {
  /** lowercase hex sha256 of the file's bytes */
  contentHash: string;
  /** where the audio can be read (absolute path or storage key) */
  path: string;
  /** the name as the user gave it */
  fileName: string;
  /** the file it is analysed or enqueued from, when `path` is not that file (a copy in a storage folder); default `path` */
  sourcePath?: string;
  /** the machine `sourcePath` is only on (a storage-folder enqueue's inbox); default null: every machine's path */
  sourceHost?: string | null;
  /** probe results; omit when recording a file before probing (enqueue), then call `setRecordingInfo` */
  info?: AudioInfo;
  sizeBytes: number;
  metadata?: CallMetadata;
  /**
   * true: `metadata` is the call's whole metadata (an analysis given its manifest row, sidecar and flags), and
   * replaces what is stored, so a field taken out of the manifest is gone. Otherwise it is merged in.
   */
  replaceMetadata?: boolean;
}

export interface CompleteRunInput {
  events: CallEvent[];
  transcript: Transcript | null;
  metrics: Record<string, unknown>;
  notes: string[];
  /** the draft scorecard; stored under the run's own pipeline id and version */
  scorecard?: ScorecardDraft | null;
  /**
   * Stage outputs saved in the same transaction (the in-process runner saves a call's stages with its
   * results, in one round trip; the queue saves each stage as its job ends and passes none here)
   */
  stageOutputs?: readonly StageOutputRecord[];
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
  /** only this recording's runs */
  recordingId?: string;
  /** default 100 */
  limit?: number;
  offset?: number;
  /** newest first by default; 'oldest' suits a reconcile pass */
  order?: 'newest' | 'oldest';
}

