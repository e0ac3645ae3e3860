/**
 * The callqa database, as code. drizzle-kit turns this file into the SQL under ./migrations
 * (`npm run db:generate`); the store applies them on open. Times on the call timeline are seconds from the
 * start of the recording, stored as double precision; wall-clock times are timestamptz.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import type { CallMetadata, Speaker, WordTiming } from '../core/types.js';
import type { ScorecardDraft } from '../score/types.js';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** One audio file, identified by the sha256 of its bytes: the same call under another name is the same row. */
export const recordings = pgTable('recordings', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** lowercase hex sha256 of the file's bytes */
  contentHash: text('content_hash').notNull().unique(),
  /** where the audio can be read: absolute path or a storage key */
  path: text('path').notNull(),
  /** the name as the user gave it (messages and reports only; never passed to a tool) */
  fileName: text('file_name').notNull(),
  // Probe results. Null until the probe stage has run: the queue records a recording when it is enqueued,
  // before any worker has looked inside the file.
  format: text('format'),
  codec: text('codec'),
  durationSec: doublePrecision('duration_sec'),
  channels: integer('channels'),
  sampleRate: integer('sample_rate'),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  metadata: jsonb('metadata').$type<CallMetadata>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const RUN_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Versions of everything that shaped a run's output, for reproducibility. */
export type RunVersions = Record<string, string>;

/**
 * One analysis of one recording by one pipeline version. UNIQUE(recording, pipeline, version) is the
 * idempotency key: analysing the same bytes with the same pipeline version again finds this row.
 * The database, not Redis, is the record of what was asked for (status `pending` = enqueued).
 */
export const analysisRuns = pgTable(
  'analysis_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id, { onDelete: 'cascade' }),
    pipelineId: text('pipeline_id').notNull(),
    pipelineVersion: text('pipeline_version').notNull(),
    versions: jsonb('versions').$type<RunVersions>().notNull().default({}),
    status: text('status').$type<RunStatus>().notNull().default('pending'),
    /** the stage running now, or the last one that ran (where a failure happened) */
    stage: text('stage'),
    error: text('error'),
    metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull().default({}),
    /** non-fatal notes for the report's `errors` list */
    notes: jsonb('notes').$type<string[]>().notNull().default([]),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    unique('analysis_runs_key').on(t.recordingId, t.pipelineId, t.pipelineVersion),
    index('analysis_runs_status_idx').on(t.status),
    check('analysis_runs_status_check', sql`${t.status} in ('pending', 'running', 'done', 'failed')`),
  ],
);

/**
 * Each stage's JSON output, so a queue worker on another machine can resume a run after the last stage
 * that finished; also the per-stage timing for `callqa status`.
 */
export const stageOutputs = pgTable(
  'stage_outputs',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => analysisRuns.id, { onDelete: 'cascade' }),
    stage: text('stage').notNull(),
    output: jsonb('output').$type<unknown>().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.stage] })],
);

/** Findings on the call timeline (silence, talk_over, hold, ...); type-specific fields live in `details`. */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: uuid('run_id')
      .notNull()
      .references(() => analysisRuns.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    speaker: text('speaker').$type<Speaker>(),
    startSec: doublePrecision('start_sec').notNull(),
    endSec: doublePrecision('end_sec').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('events_run_id_idx').on(t.runId),
    index('events_type_idx').on(t.type),
    check('events_span_check', sql`${t.endSec} >= ${t.startSec}`),
    check('events_speaker_check', sql`${t.speaker} is null or ${t.speaker} in ('agent', 'customer', 'unknown')`),
  ],
);

export const transcripts = pgTable('transcripts', {
  runId: uuid('run_id')
    .primaryKey()
    .references(() => analysisRuns.id, { onDelete: 'cascade' }),
  engine: text('engine').notNull(),
  model: text('model'),
  language: text('language').notNull(),
  createdAt: createdAt(),
});

/** One row per segment; search (a later issue) adds full-text and trigram indexes on norm_text. */
export const transcriptSegments = pgTable(
  'transcript_segments',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => transcripts.runId, { onDelete: 'cascade' }),
    idx: integer('idx').notNull(),
    speaker: text('speaker').$type<Speaker>().notNull(),
    startSec: doublePrecision('start_sec').notNull(),
    endSec: doublePrecision('end_sec').notNull(),
    text: text('text').notNull(),
    normText: text('norm_text').notNull(),
    words: jsonb('words').$type<WordTiming[]>(),
    confidence: doublePrecision('confidence'),
  },
  // The primary key's index leads with run_id, so it serves "all segments of a run" without a second index.
  (t) => [
    primaryKey({ columns: [t.runId, t.idx] }),
    check('transcript_segments_speaker_check', sql`${t.speaker} in ('agent', 'customer', 'unknown')`),
    check('transcript_segments_span_check', sql`${t.endSec} >= ${t.startSec}`),
  ],
);

/**
 * Draft scorecards. Re-scoring adds a row; old drafts are never rewritten, so a card always carries the
 * pipeline version that produced it.
 */
export const scorecards = pgTable(
  'scorecards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    runId: uuid('run_id')
      .notNull()
      .references(() => analysisRuns.id, { onDelete: 'cascade' }),
    pipelineId: text('pipeline_id').notNull(),
    pipelineVersion: text('pipeline_version').notNull(),
    card: jsonb('card').$type<ScorecardDraft>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('scorecards_run_id_idx').on(t.runId, t.createdAt)],
);

export type RecordingRow = typeof recordings.$inferSelect;
export type RunRow = typeof analysisRuns.$inferSelect;
export type StageOutputRow = typeof stageOutputs.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type TranscriptRow = typeof transcripts.$inferSelect;
export type TranscriptSegmentRow = typeof transcriptSegments.$inferSelect;
export type ScorecardRow = typeof scorecards.$inferSelect;
