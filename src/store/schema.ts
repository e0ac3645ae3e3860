/**
 * The callqa database, as code. drizzle-kit turns this file into the SQL under ./migrations
 * (`npm run db:generate`); the store applies them on open. Times on the call timeline are seconds from the
 * start of the recording, stored as double precision; wall-clock times are timestamptz.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  foreignKey,
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
import type { FinalCard } from '../review/decisions.js';
import type { ReasonCode } from '../review/reasons.js';

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
  /**
   * the file it was last analysed or enqueued from (absolute path on that machine): `path` itself, or where a
   * copy in a storage folder came from. Whether it is still there tells a duplicate under another name from the
   * same recording renamed (pipeline/duplicates.ts). Null: enqueued into a storage folder before this was kept.
   */
  sourcePath: text('source_path'),
  /**
   * the machine (its host name) whose file system `sourcePath` is on, when it is only that machine's: a file
   * enqueued into a storage folder from an inbox of its own. Null: a path every machine reads alike (analyze, the
   * queue's shared paths), or unknown (before this was kept). Another machine's path cannot be checked here.
   */
  sourceHost: text('source_host'),
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

export const transcripts = pgTable(
  'transcripts',
  {
    runId: uuid('run_id')
      .primaryKey()
      .references(() => analysisRuns.id, { onDelete: 'cascade' }),
    engine: text('engine').notNull(),
    model: text('model'),
    language: text('language').notNull(),
    createdAt: createdAt(),
    /** when its segments entered the search index (segment_search); null = not yet (the indexer's to-do list) */
    searchIndexedAt: timestamp('search_indexed_at', { withTimezone: true }),
  },
  (t) => [index('transcripts_search_pending_idx').on(t.runId).where(sql`${t.searchIndexedAt} is null`)],
);

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

// ------------------------------------------------------------------------------ review workflow (issue 11)

export const USER_ROLES = ['agent', 'inspector', 'supervisor', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** People who log in to `callqa serve`. Passwords as scrypt hashes (src/services/passwords.ts), never plain. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull().unique(),
    role: text('role').$type<UserRole>().notNull(),
    /** for agents: the agentId their calls carry in the call metadata */
    agentId: text('agent_id'),
    team: text('team'),
    passwordHash: text('password_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('users_role_check', sql`${t.role} in ('agent', 'inspector', 'supervisor', 'admin')`),
    index('users_agent_id_idx').on(t.agentId),
  ],
);

/**
 * Browser sessions. The cookie carries a random token; only its sha256 is stored, so a copy of the database
 * cannot be replayed as a login. Every serve process reads sessions here (stateless between requests).
 */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** sent back in the X-CSRF-Token header on every state change made with this session's cookie */
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    address: text('address'),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

/** API tokens for scripts (Authorization: Bearer ...); only the sha256 is stored. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_user_id_idx').on(t.userId)],
);

/** Every login attempt, for throttling per user and per address across all serve processes. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    username: text('username').notNull(),
    address: text('address').notNull(),
    success: boolean('success').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_attempts_username_idx').on(t.username, t.at), index('login_attempts_address_idx').on(t.address, t.at)],
);

/**
 * The audit log: who did what to which object, and who read which call's audio or transcript. Append-only:
 * a trigger (migration 0002) refuses UPDATE and DELETE.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** null for the system / command line without a user */
    actorId: uuid('actor_id'),
    /** the username at the time (kept even if the user is renamed or removed) */
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    /** the call this entry belongs to, when there is one (for callHistory) */
    callId: uuid('call_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_call_idx').on(t.callId, t.id), index('audit_log_at_idx').on(t.at)],
);

/** Which inspector a call is assigned to (written by assignment; read by access checks). One per call. */
export const callAssignments = pgTable('call_assignments', {
  recordingId: uuid('recording_id')
    .primaryKey()
    .references(() => recordings.id, { onDelete: 'cascade' }),
  inspectorId: uuid('inspector_id')
    .notNull()
    .references(() => users.id),
  assignedBy: uuid('assigned_by').references(() => users.id),
  assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
});

export const REVIEW_STATUSES = ['in_progress', 'completed'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/**
 * A human review of one call's draft scorecard. The draft it judges is pinned (scorecard_id): a rescore adds a
 * new draft but never changes the draft or the result of a review. One review per call.
 */
export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recordingId: uuid('recording_id')
      .notNull()
      .unique()
      .references(() => recordings.id, { onDelete: 'cascade' }),
    scorecardId: uuid('scorecard_id')
      .notNull()
      .references(() => scorecards.id),
    status: text('status').$type<ReviewStatus>().notNull().default('in_progress'),
    startedBy: uuid('started_by')
      .notNull()
      .references(() => users.id),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    completedBy: uuid('completed_by').references(() => users.id),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** when the result reached the agent (published); the dispute window counts from here */
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [check('reviews_status_check', sql`${t.status} in ('in_progress', 'completed')`)],
);

export const DECISION_ACTIONS = ['confirm', 'override'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

/**
 * The inspector's answers, one row per decision, append-only: deciding an item again adds a row and the
 * newest row counts. The machine's answer stays in the pinned draft; both are shown side by side.
 */
export const reviewDecisions = pgTable(
  'review_decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    itemId: text('item_id').notNull(),
    action: text('action').$type<DecisionAction>().notNull(),
    /** the points the inspector gave (override, or a manual item scored by hand); null = the machine's */
    points: doublePrecision('points'),
    /** for fatal items: whether the fatal fault holds */
    fatal: boolean('fatal'),
    reasonCode: text('reason_code').$type<ReasonCode>(),
    comment: text('comment'),
    decidedBy: uuid('decided_by')
      .notNull()
      .references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('review_decisions_review_idx').on(t.reviewId, t.id),
    check('review_decisions_action_check', sql`${t.action} in ('confirm', 'override')`),
  ],
);

/**
 * Results of a review, append-only: version 1 when the review is completed, a new version when a dispute
 * ruling amends an item. The newest version is the call's current result.
 */
export const reviewResults = pgTable(
  'review_results',
  {
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    total: doublePrecision('total').notNull(),
    maxTotal: doublePrecision('max_total').notNull(),
    fatal: boolean('fatal').notNull(),
    /** the final scorecard: every item with the machine's and the human's answer */
    card: jsonb('card').$type<FinalCard>().notNull(),
    /** 'completed' or 'dispute' */
    cause: text('cause').notNull(),
    disputeId: uuid('dispute_id'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.version] })],
);

export const DISPUTE_STATUSES = ['open', 'upheld', 'amended'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** 质检申诉: an agent disputes one item of a completed review; a supervisor rules. */
export const disputes = pgTable(
  'disputes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id, { onDelete: 'cascade' }),
    itemId: text('item_id').notNull(),
    status: text('status').$type<DisputeStatus>().notNull().default('open'),
    reason: text('reason').notNull(),
    openedBy: uuid('opened_by')
      .notNull()
      .references(() => users.id),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    ruledBy: uuid('ruled_by').references(() => users.id),
    ruledAt: timestamp('ruled_at', { withTimezone: true }),
    rulingReason: text('ruling_reason'),
    /** amended: the item's points after the ruling */
    amendedPoints: doublePrecision('amended_points'),
    amendedFatal: boolean('amended_fatal'),
  },
  (t) => [
    index('disputes_review_idx').on(t.reviewId),
    index('disputes_status_idx').on(t.status),
    check('disputes_status_check', sql`${t.status} in ('open', 'upheld', 'amended')`),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
export type ReviewRow = typeof reviews.$inferSelect;
export type ReviewDecisionRow = typeof reviewDecisions.$inferSelect;
export type ReviewResultRow = typeof reviewResults.$inferSelect;
export type DisputeRow = typeof disputes.$inferSelect;
/** A tsvector column (drizzle has no built-in type for it). */
const tsvector = customType<{ data: string; driverData: string }>({ dataType: () => 'tsvector' });

/**
 * The transcript search index: one row per transcript segment, its tokens (Chinese character bigrams plus
 * English words, src/search/tokenize.ts) as a tsvector with explicit positions, under a GIN index. No database
 * extension, so it behaves the same on PGlite and on PostgreSQL. Rows are added by the search service's
 * indexer for segments that have none yet (after each analysis and before each search).
 */
export const segmentSearch = pgTable(
  'segment_search',
  {
    runId: uuid('run_id').notNull(),
    idx: integer('idx').notNull(),
    vector: tsvector('vector').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.idx] }),
    foreignKey({ columns: [t.runId, t.idx], foreignColumns: [transcriptSegments.runId, transcriptSegments.idx] }).onDelete('cascade'),
    index('segment_search_vector_idx').using('gin', t.vector),
  ],
);


// ------------------------------------------------------------------------ calibration (issue 11, triage)

export const CALIBRATION_STATUSES = ['open', 'closed'] as const;
export type CalibrationStatus = (typeof CALIBRATION_STATUSES)[number];

/**
 * A blind calibration session (002 监控人员的再确认): a supervisor picks calls and inspectors; each scores the
 * calls without seeing the others until the supervisor closes the session. The benchmark is the supervisor's
 * scores or the inspectors' consensus (median).
 */
export const calibrationSessions = pgTable(
  'calibration_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    pipelineId: text('pipeline_id').notNull(),
    benchmark: text('benchmark').$type<'supervisor' | 'consensus'>().notNull(),
    /** the supervisor's team when created (who else may see the session) */
    team: text('team'),
    status: text('status').$type<CalibrationStatus>().notNull().default('open'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    check('calibration_sessions_status_check', sql`${t.status} in ('open', 'closed')`),
    check('calibration_sessions_benchmark_check', sql`${t.benchmark} in ('supervisor', 'consensus')`),
  ],
);

/** The calls of a session, each with the draft scorecard that defines its items (pinned). */
export const calibrationCalls = pgTable(
  'calibration_calls',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => calibrationSessions.id, { onDelete: 'cascade' }),
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id, { onDelete: 'cascade' }),
    scorecardId: uuid('scorecard_id')
      .notNull()
      .references(() => scorecards.id),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.recordingId] })],
);

export const calibrationMembers = pgTable(
  'calibration_members',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => calibrationSessions.id, { onDelete: 'cascade' }),
    inspectorId: uuid('inspector_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.inspectorId] }), index('calibration_members_inspector_idx').on(t.inspectorId)],
);

/** One score per scorer, call and item; scoring again while the session is open replaces it (audited). */
export const calibrationScores = pgTable(
  'calibration_scores',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => calibrationSessions.id, { onDelete: 'cascade' }),
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id, { onDelete: 'cascade' }),
    itemId: text('item_id').notNull(),
    scorerId: uuid('scorer_id')
      .notNull()
      .references(() => users.id),
    points: doublePrecision('points').notNull(),
    scoredAt: timestamp('scored_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.recordingId, t.itemId, t.scorerId] })],
);

export type CalibrationSessionRow = typeof calibrationSessions.$inferSelect;
export type CalibrationScoreRow = typeof calibrationScores.$inferSelect;

/**
 * Saved searches: a compliance watch list. Each active one is run over every newly analysed call (runs
 * finished after `checkedUntil`); its matches are findings on the call (`watch_hits`).
 */
export const savedSearches = pgTable('saved_searches', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  query: text('query').notNull(),
  /** search filters (speaker, team, program ...), as the search service takes them */
  filters: jsonb('filters').$type<Record<string, unknown>>().notNull().default({}),
  active: boolean('active').notNull().default(true),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  /** runs finished up to this time have been checked */
  checkedUntil: timestamp('checked_until', { withTimezone: true }),
});

export const watchHits = pgTable(
  'watch_hits',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    savedSearchId: uuid('saved_search_id').notNull().references(() => savedSearches.id, { onDelete: 'cascade' }),
    recordingId: uuid('recording_id').notNull().references(() => recordings.id, { onDelete: 'cascade' }),
    runId: uuid('run_id').notNull().references(() => analysisRuns.id, { onDelete: 'cascade' }),
    idx: integer('idx').notNull(),
    speaker: text('speaker').$type<Speaker>().notNull(),
    startSec: doublePrecision('start_sec').notNull(),
    endSec: doublePrecision('end_sec').notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique('watch_hits_key').on(t.savedSearchId, t.runId, t.idx), index('watch_hits_recording_idx').on(t.recordingId)],
);
export type SavedSearchRow = typeof savedSearches.$inferSelect;

// ------------------------------------------------------------------------ erasure (callqa data)

/**
 * The recordings erased by `callqa data erase`/`purge`, by content hash only (no name, no path, no metadata):
 * the same bytes coming again (the next `analyze` of an inbox, a re-enqueue) are refused instead of being
 * stored and analysed again. `callqa data readmit` lifts it.
 */
export const erasedRecordings = pgTable('erased_recordings', {
  contentHash: text('content_hash').primaryKey(),
  erasedAt: timestamp('erased_at', { withTimezone: true }).notNull(),
  /** 'request' (a data-subject request) or 'retention' */
  reason: text('reason').notNull(),
});
