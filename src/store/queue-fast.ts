/**
 * The queue's per-job statements, written so that a stage job costs two PostgreSQL round trips: one to take
 * the run's claim and load what the job needs, one to store its output (or the whole result) and let go of
 * the claim. Both run on the claim's own connection (see RunLocks in queue-repo.ts), as simple-protocol
 * multi-statement strings:
 *
 * - claim + load: `pg_try_advisory_lock`, then, in later statements of the same string (each takes a fresh
 *   snapshot, so they see everything the previous holder committed before it let go), the run with its
 *   recording and the saved stage outputs. Read-only: nothing to commit.
 * - store + release: `begin; ...; commit; select pg_advisory_unlock(...)`: the claim is given up only after
 *   the commit, in the same round trip. A stage's save also records the next stage as the one the call is
 *   at (what `markStage` did when that stage began), so the next job's load has nothing to write.
 *
 * Values are inlined (the simple protocol has no parameters): text as dollar-quoted literals with a tag the
 * text does not contain, JSON the same way, so nothing is ever escaped by hand. `Repository` stays the
 * reference for what each write means; these do the same writes (markStage / markRunStarted,
 * saveStageOutput, setRecordingInfo, completeRun) in fewer round trips.
 */
import { checkEvent, checkSegment } from './repository.js';
import type { AudioInfo, CallEvent, Transcript } from '../core/types.js';
import type { CompleteRunInput } from './repository.js';
import type { RunRow, RecordingRow } from './schema.js';

/** A literal PostgreSQL reads back as exactly `text`: $tag$...$tag$ with a tag absent from the text. */
export function lit(text: string): string {
  let tag = 'cq';
  for (let i = 0; text.includes(`$${tag}$`); i++) tag = `cq${i}`;
  return `$${tag}$${text}$${tag}$`;
}

function jsonLit(value: unknown): string {
  return `${lit(JSON.stringify(value ?? null))}::jsonb`;
}

function tsLit(d: Date): string {
  return `${lit(d.toISOString())}::timestamptz`;
}

const lockKey = (runId: string) => `hashtextextended(${lit(runId)}, 0)`;

export type LoadedRun = Pick<RunRow, 'id' | 'recordingId' | 'pipelineId' | 'pipelineVersion' | 'versions' | 'status' | 'stage'>;
export type LoadedRecording = Pick<RecordingRow, 'id' | 'contentHash' | 'path' | 'fileName' | 'metadata'>;

export interface ClaimLoad {
  run: LoadedRun | null;
  recording: LoadedRecording | null;
  /** saved stage outputs by stage name */
  outputs: Map<string, unknown>;
  /** stages whose output was not sent because the caller knows it (`known` of lockAndLoadSql) */
  known: Set<string>;
}

/**
 * Claim + load: `pg_try_advisory_lock`, then the run with its recording and its saved stage outputs. Each
 * statement after the lock takes a fresh snapshot, so it sees everything the previous holder committed
 * before it let go. When the lock is not granted the rest is read for nothing and thrown away.
 */
export function lockAndLoadSql(runId: string, known: ReadonlyMap<string, string> = new Map()): string {
  const id = lit(runId);
  // Outputs this process saved itself (same row version: xmin) are not sent again; see OutputCache.
  const same = known.size ? `(stage, xmin::text) in (${[...known].map(([st, v]) => `(${lit(st)}, ${lit(v)})`).join(', ')})` : 'false';
  return [
    `select pg_try_advisory_lock(${lockKey(runId)}) as ok`,
    `select r.id, r.recording_id as "recordingId", r.pipeline_id as "pipelineId", r.pipeline_version as "pipelineVersion",
       r.versions, r.status, r.stage, rec.id as "recId", rec.content_hash as "contentHash", rec.path, rec.file_name as "fileName",
       rec.metadata
     from analysis_runs r left join recordings rec on rec.id = r.recording_id
     where r.id = ${id}`,
    `select stage, ${same} as known, case when ${same} then null else output end as output from stage_outputs where run_id = ${id}`,
  ].join(';\n');
}

interface Result {
  rows: Array<Record<string, unknown>>;
}

/** Reads the answer to `lockAndLoadSql`: null when another session holds the claim. */
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

/** `Repository.markRunStarted`: a new attempt begins at `stage`. */
export function markRunStartedSql(runId: string, stage: string): string {
  return `update analysis_runs set status = 'running', stage = ${lit(stage)}, error = null, attempts = attempts + 1,
    started_at = now(), finished_at = null where id = ${lit(runId)} returning id`;
}

/** `Repository.markStage`. */
export function markStageSql(runId: string, stage: string): string {
  return `update analysis_runs set status = 'running', stage = ${lit(stage)} where id = ${lit(runId)}`;
}

export interface StageSave {
  runId: string;
  stage: string;
  /** the stage's output as JSON text */
  outputJson: string;
  startedAt: Date;
  finishedAt: Date;
  /** the first stage's findings about the recording (`setRecordingInfo`) */
  info?: { recordingId: string; info: AudioInfo };
  /** the stage the call goes to next: recorded as the run's stage (`markStage`) in the same transaction */
  nextStage?: string;
}

/** The save as data-modifying CTEs (stage output; the first stage's recording info), for one statement. */
function saveCtes(s: StageSave): string[] {
  const out = [
    `so as (insert into stage_outputs (run_id, stage, output, started_at, finished_at)
     values (${lit(s.runId)}, ${lit(s.stage)}, ${lit(s.outputJson)}::jsonb, ${tsLit(s.startedAt)}, ${tsLit(s.finishedAt)})
     on conflict (run_id, stage) do update
       set output = excluded.output, started_at = excluded.started_at, finished_at = excluded.finished_at
     returning xmin::text as version)`,
  ];
  if (s.info) {
    const i = s.info.info;
    out.push(
      `ri as (update recordings set format = i.format, codec = i.codec, duration_sec = i.duration_sec, channels = i.channels,
         sample_rate = i.sample_rate, updated_at = now()
       from json_to_record(${lit(JSON.stringify({ format: i.format, codec: i.codec, duration_sec: i.durationSec, channels: i.channels, sample_rate: i.sampleRate }))}::json)
         as i(format text, codec text, duration_sec float8, channels integer, sample_rate integer)
       where recordings.id = ${lit(s.info.recordingId)})`,
    );
  }
  return out;
}

/** Commits the statements, then gives up the claim; the last result says whether it was held. */
function inTransactionThenUnlock(runId: string, statements: string[]): string {
  return ['begin', ...statements, 'commit', `select pg_advisory_unlock(${lockKey(runId)}) as unlocked`].join(';\n');
}

/**
 * Saves one stage's output (and the first stage's recording info), records the next stage as the one the
 * call is at, commits, lets go of the claim: one statement in one transaction, then the unlock.
 */
export function saveAndUnlockSql(s: StageSave): string {
  // answers the saved row's version (xmin), for the caller's OutputCache
  const main = s.nextStage
    ? `update analysis_runs set status = 'running', stage = ${lit(s.nextStage)} where id = ${lit(s.runId)} and status in ('pending', 'running')
       returning (select version from so)`
    : 'select version from so';
  return inTransactionThenUnlock(s.runId, [`with ${saveCtes(s).join(',\n')}\n${main}`]);
}

/** The version (xmin) of the stage_outputs row a `saveAndUnlockSql` wrote; undefined if it wrote none. */
export function savedVersion(results: Result[]): string | undefined {
  const v = results[1]?.rows[0]?.version;
  return typeof v === 'string' ? v : undefined;
}

/**
 * The last stage: its output and the run's results (`Repository.completeRun`: earlier events and transcript
 * of the run replaced, the scorecard added, the run `done`) in ONE transaction, then the claim let go. As in
 * completeRun, the run's row is locked first; the deletes come in a statement of their own (the transcript's
 * segments go by cascade at its end), then every insert and the run's update in one statement.
 */
export function completeAndUnlockSql(s: StageSave, pipeline: { id: string; version: string }, result: CompleteRunInput): string {
  result.events.forEach(checkEvent);
  result.transcript?.segments.forEach(checkSegment);
  const id = lit(s.runId);
  const ctes = saveCtes(s);
  if (result.events.length > 0) {
    const rows = result.events.map((e) => ({ type: e.type, speaker: e.speaker, start_sec: e.start, end_sec: e.end, details: e.details ?? {} }));
    // with ordinality: ids in the order of the list, as the chunked inserts gave them
    ctes.push(`ev as (insert into events (run_id, type, speaker, start_sec, end_sec, details)
      select ${id}, x.type, x.speaker, x.start_sec, x.end_sec, x.details
      from rows from (json_to_recordset(${lit(JSON.stringify(rows))}::json)
                      as (type text, speaker text, start_sec float8, end_sec float8, details jsonb))
           with ordinality as x(type, speaker, start_sec, end_sec, details, ord)
      order by x.ord)`);
  }
  if (result.transcript) ctes.push(...transcriptCtes(s.runId, result.transcript));
  if (result.scorecard) {
    ctes.push(`sc as (insert into scorecards (run_id, pipeline_id, pipeline_version, card)
      values (${id}, ${lit(pipeline.id)}, ${lit(pipeline.version)}, ${jsonLit(result.scorecard)}))`);
  }
  return inTransactionThenUnlock(s.runId, [
    `select 1 from analysis_runs where id = ${id} for update`,
    `with de as (delete from events where run_id = ${id}), dt as (delete from transcripts where run_id = ${id}) select 1`,
    `with ${ctes.join(',\n')}
     update analysis_runs set status = 'done', error = null, metrics = ${jsonLit(result.metrics)}, notes = ${jsonLit(result.notes)},
       finished_at = now() where id = ${id}`,
  ]);
}

/** The transcript and its segments (the segments' foreign key is checked at the end of the statement). */
function transcriptCtes(runId: string, t: Transcript): string[] {
  const id = lit(runId);
  const out = [
    `tr as (insert into transcripts (run_id, engine, model, language) values (${id}, ${lit(t.engine)}, ${t.model != null ? lit(t.model) : 'null'}, ${lit(t.language)}))`,
  ];
  if (t.segments.length > 0) {
    const rows = t.segments.map((s) => ({
      speaker: s.speaker,
      start_sec: s.start,
      end_sec: s.end,
      text: s.text,
      norm_text: s.normText,
      words: s.words ?? null,
      confidence: s.confidence ?? null,
    }));
    out.push(`sg as (insert into transcript_segments (run_id, idx, speaker, start_sec, end_sec, text, norm_text, words, confidence)
      select ${id}, (x.ord - 1)::int, x.speaker, x.start_sec, x.end_sec, x.text, x.norm_text, x.words, x.confidence
      from rows from (json_to_recordset(${lit(JSON.stringify(rows))}::json)
                      as (speaker text, start_sec float8, end_sec float8, text text, norm_text text, words jsonb, confidence float8))
           with ordinality as x(speaker, start_sec, end_sec, text, norm_text, words, confidence, ord))`);
  }
  return out;
}

