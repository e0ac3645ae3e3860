/**
 * The queue's per-job statements, written so that a stage job costs two PostgreSQL round trips: one to take
 * the run's claim and load what the job needs, one to store its output (or the whole result) and let go of
 * the claim. Both run on the claim's own connection (see RunLocks in queue-repo.ts), which is in pipeline
 * mode: the statements of a round trip are sent together, each a parameterised statement of its own (its
 * own Sync, so each takes a fresh snapshot), and their answers come back together.
 *
 * - claim + load: `pg_try_advisory_lock`, then, in later statements (each takes a fresh snapshot, so they
 *   see everything the previous holder committed before it let go), the run with its recording and the
 *   saved stage outputs. Read-only: nothing to commit.
 * - store + release: `begin`, the writes, `commit`, `pg_advisory_unlock`: the claim is given up only after
 *   the commit, in the same round trip. If a write fails, the statements after it in the transaction are
 *   refused, `commit` rolls back, nothing is stored, and the unlock (conditional on the saved row) keeps
 *   the claim: the job marks the run failed and drops the connection, which lets go of it. A stage's save also records the next stage as the
 *   one the call is at (what `markStage` did when that stage began), so the next job's load has nothing to
 *   write.
 *
 * Every statement is built by drizzle from the schema's columns, most of them by the very query builders the
 * repositories run (runs-repo.ts, recordings-repo.ts, results-repo.ts), and every value is a bound
 * parameter: nothing is quoted or escaped here, so no value (a pipeline version like `1$cq`, a transcript
 * with `$$` in it) can end a literal early. test/queue-fast-parity.test.ts checks that this path and the
 * repository store identical rows.
 */
import { sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { AudioInfo } from '../core/types.js';
import { setRecordingInfoQuery } from './recordings-repo.js';
import { completeRunWrites, lockRunRowQuery } from './results-repo.js';
import { markRunStartedQuery, markStageQuery, saveStageOutputQuery } from './runs-repo.js';
import * as schema from './schema.js';
import { analysisRuns, recordings, stageOutputs, type RecordingRow, type RunRow } from './schema.js';
import type { CompleteRunInput, Db } from './store-types.js';

/** One parameterised statement, as node-postgres takes it. */
export interface Statement {
  text: string;
  values: unknown[];
}

/** Builds queries without a connection (`.toSQL()` only). */
const qb = drizzle.mock({ schema }) as unknown as Db;
const dialect = new PgDialect();

function fromQuery(q: { toSQL(): { sql: string; params: unknown[] } }): Statement {
  const { sql: text, params } = q.toSQL();
  return { text, values: params };
}

function fromSql(s: SQL): Statement {
  const { sql: text, params } = dialect.sqlToQuery(s);
  return { text, values: params };
}

const BEGIN: Statement = { text: 'begin', values: [] };
const COMMIT: Statement = { text: 'commit', values: [] };

const lockKey = (runId: string) => sql`hashtextextended(${runId}, 0)`;
export const tryLockStatement = (runId: string): Statement => fromSql(sql`select pg_try_advisory_lock(${lockKey(runId)}) as ok`);

/**
 * Lets go of the claim only if the save committed: the statements of a round trip each have their own Sync,
 * so this one runs even after a failed write (whose `commit` rolled back). The claim must then stay held
 * until the job has marked the run failed and dropped the connection, as when an error ended the round
 * trip early. The saved row, with this job's own timestamps, is there exactly when the commit happened.
 */
function unlockIfSavedStatement(s: StageSave): Statement {
  const so = stageOutputs;
  return fromSql(sql`select pg_advisory_unlock(${lockKey(s.runId)}) as unlocked where exists (
      select 1 from ${so} where ${so.runId} = ${s.runId} and ${so.stage} = ${s.stage}
        and ${so.startedAt} = ${s.startedAt.toISOString()}::timestamptz and ${so.finishedAt} = ${s.finishedAt.toISOString()}::timestamptz)`);
}

export type LoadedRun = Pick<RunRow, 'id' | 'recordingId' | 'pipelineId' | 'pipelineVersion' | 'versions' | 'status' | 'stage'>;
export type LoadedRecording = Pick<RecordingRow, 'id' | 'contentHash' | 'path' | 'fileName' | 'metadata'>;

export interface ClaimLoad {
  run: LoadedRun | null;
  recording: LoadedRecording | null;
  /** saved stage outputs by stage name */
  outputs: Map<string, unknown>;
  /** stages whose output was not sent because the caller knows it (`known` of lockAndLoadStatements) */
  known: Set<string>;
}

/**
 * Claim + load: `pg_try_advisory_lock`, then the run with its recording and its saved stage outputs. Each
 * statement after the lock takes a fresh snapshot, so it sees everything the previous holder committed
 * before it let go. When the lock is not granted the rest is read for nothing and thrown away.
 * `known`: stage -> row version (xmin) of outputs the caller holds; those are not sent again.
 */
export function lockAndLoadStatements(runId: string, known: ReadonlyMap<string, string> = new Map()): Statement[] {
  const r = analysisRuns;
  const rec = recordings;
  const so = stageOutputs;
  const same = known.size
    ? sql`(${so.stage} || ':' || xmin::text) in (${sql.join(
        [...known].map(([stage, version]) => sql`${`${stage}:${version}`}`),
        sql`, `,
      )})`
    : sql`false`;
  return [
    tryLockStatement(runId),
    fromSql(sql`select ${r.id} as "id", ${r.recordingId} as "recordingId", ${r.pipelineId} as "pipelineId",
        ${r.pipelineVersion} as "pipelineVersion", ${r.versions} as "versions", ${r.status} as "status", ${r.stage} as "stage",
        ${rec.id} as "recId", ${rec.contentHash} as "contentHash", ${rec.path} as "path", ${rec.fileName} as "fileName",
        ${rec.metadata} as "metadata"
      from ${r} left join ${rec} on ${rec.id} = ${r.recordingId}
      where ${r.id} = ${runId}`),
    fromSql(sql`select ${so.stage} as "stage", ${same} as "known", case when ${same} then null else ${so.output} end as "output"
      from ${so} where ${so.runId} = ${runId}`),
  ];
}

interface Result {
  rows: Array<Record<string, unknown>>;
}

/** Reads the answer to `lockAndLoadStatements`: null when another session holds the claim. */
export function parseLockAndLoad(results: Result[]): ClaimLoad | null {
  if (results.length !== 3) throw new Error(`claim+load: expected 3 results, got ${results.length}`);
  if (results[0].rows[0]?.ok !== true) return null;
  const row = results[1].rows[0] as
    | {
        id: string;
        recordingId: string;
        pipelineId: string;
        pipelineVersion: string;
        versions: RunRow['versions'];
        status: RunRow['status'];
        stage: string | null;
        recId: string | null;
        contentHash: string;
        path: string;
        fileName: string;
        metadata: RecordingRow['metadata'];
      }
    | undefined;
  const outputs = new Map<string, unknown>();
  const known = new Set<string>();
  for (const r of results[2].rows) {
    if (r.known === true) known.add(r.stage as string);
    else outputs.set(r.stage as string, r.output);
  }
  if (!row) return { run: null, recording: null, outputs, known };
  return {
    run: {
      id: row.id,
      recordingId: row.recordingId,
      pipelineId: row.pipelineId,
      pipelineVersion: row.pipelineVersion,
      versions: row.versions,
      status: row.status,
      stage: row.stage,
    },
    recording: row.recId ? { id: row.recId, contentHash: row.contentHash, path: row.path, fileName: row.fileName, metadata: row.metadata } : null,
    outputs,
    known,
  };
}

/** `RunsRepo.markRunStarted`: a new attempt begins at `stage`. Answers the run's id (no row: no run). */
export function markRunStartedStatement(runId: string, stage: string): Statement {
  return fromQuery(markRunStartedQuery(qb, runId, stage).returning({ id: analysisRuns.id }));
}

/** `RunsRepo.markStage`. */
export function markStageStatement(runId: string, stage: string): Statement {
  return fromQuery(markStageQuery(qb, runId, stage));
}

export interface StageSave {
  runId: string;
  stage: string;
  /** the stage's output (stored as jsonb) */
  output: unknown;
  startedAt: Date;
  finishedAt: Date;
  /** the first stage's findings about the recording (`setRecordingInfo`) */
  info?: { recordingId: string; info: AudioInfo };
  /** the stage the call goes to next: recorded as the run's stage (`markStage`) in the same transaction */
  nextStage?: string;
}

/** The save's writes: the stage output (answering its row version, xmin), the first stage's recording info. */
function saveWrites(s: StageSave): Statement[] {
  const out = [
    fromQuery(saveStageOutputQuery(qb, s.runId, s.stage, s.output, s.startedAt, s.finishedAt).returning({ version: sql<string>`xmin::text` })),
  ];
  if (s.info) out.push(fromQuery(setRecordingInfoQuery(qb, s.info.recordingId, s.info.info)));
  return out;
}

/**
 * Saves one stage's output (and the first stage's recording info), records the next stage as the one the
 * call is at, commits, lets go of the claim.
 */
export function saveAndUnlockStatements(s: StageSave): Statement[] {
  const next = s.nextStage ? [fromQuery(markStageQuery(qb, s.runId, s.nextStage, { unfinishedOnly: true }))] : [];
  return [BEGIN, ...saveWrites(s), ...next, COMMIT, unlockIfSavedStatement(s)];
}

/** Index of the stage output's insert in `saveAndUnlockStatements` (right after begin). */
const SAVE_INDEX = 1;

/** The version (xmin) of the stage_outputs row a save wrote; undefined if it wrote none. */
export function savedVersion(results: Result[]): string | undefined {
  // `returning xmin::text`: the one column of the one row (its name is PostgreSQL's, not ours)
  const row = results[SAVE_INDEX]?.rows[0];
  const v = row ? Object.values(row)[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/**
 * The last stage: its output and the run's results (`ResultsRepo.completeRun`: the run's row locked, earlier
 * events and transcript replaced, the scorecard added, the run `done`) in ONE transaction, then the claim
 * let go. The results' writes are `completeRunWrites`, the repository's own.
 */
export function completeAndUnlockStatements(s: StageSave, pipeline: { id: string; version: string }, result: CompleteRunInput): Statement[] {
  const writes = completeRunWrites(qb, s.runId, pipeline, result).map(fromQuery);
  return [BEGIN, fromQuery(lockRunRowQuery(qb, s.runId)), ...saveWrites(s), ...writes, COMMIT, unlockIfSavedStatement(s)];
}
