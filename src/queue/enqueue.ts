/**
 * Asking for calls to be analysed, and keeping Redis in step with the database. The database is the record:
 * enqueue writes the recording and a `pending` run BEFORE the job goes to Redis, so a Redis that loses the
 * job (restart without persistence, flush, crash between the two writes) loses nothing that reconcile
 * cannot put back. Job ids make every one of these calls safe to repeat.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { errorMessage, InputError } from '../core/errors.js';
import type { CallMetadata } from '../core/types.js';
import type { PipelineConfig } from '../pipeline/config.js';
import { callInputs, INPUT_VERSION_PREFIX, inputVersions, staleReasons, type CallInputs } from '../pipeline/inputs.js';
import { refuseErased } from '../pipeline/files.js';
import { duplicateOf, duplicateReason, type BatchContent } from '../pipeline/duplicates.js';
import { checkFile, hashFile } from '../pipeline/runner.js';
import type { RunOptions, StageName } from '../pipeline/stage.js';
import type { RunRow, RunSummary } from '../store/index.js';
import type { QueueContext } from './context.js';
import { resumeStageIndex } from '../pipeline/execute.js';
import { removeRunArtifacts } from './handler.js';
import { OPTIONS_KEY, PIPELINE_REF_KEY, encodeRunOptions, type RunKey } from './jobs.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export interface EnqueueRequest {
  pipeline: PipelineConfig;
  /** the pipeline as the user named it (id or YAML path); workers load it by this name */
  pipelineRef?: string;
  options: RunOptions;
  /** analyse again even when this content was already analysed with this pipeline version */
  force?: boolean;
}

export interface EnqueueInput {
  path: string;
  displayName: string;
  metadata?: CallMetadata;
}

export type EnqueueStatus =
  /** a new run, its first job queued */
  | 'queued'
  /** the run existed unfinished and had no job in Redis: queued again where it stands */
  | 'requeued'
  /** the run is unfinished and its job is in Redis */
  | 'in-progress'
  /** already analysed with this pipeline version */
  | 'cached'
  /** analysed before and failed: `callqa retry` (or --force) runs it again */
  | 'failed-earlier'
  /**
   * not queued, and not a failure: the same bytes as `duplicateOf`, a recording stored (queued or analysed)
   * under that name, or a file earlier in this batch (`reason` says which); nothing is stored for it
   */
  | 'duplicate'
  /** could not be enqueued (unreadable file, database or Redis error) */
  | 'error';

export interface EnqueueOutcome {
  file: string;
  status: EnqueueStatus;
  runId?: string;
  /** the run's error (failed-earlier) or why enqueue failed (error) */
  error?: string;
  /** why a finished analysis of this call is done again (e.g. "transcript changed") */
  reanalysed?: string[];
  /** a duplicate: the file whose bytes these are */
  duplicateOf?: string;
  /** a duplicate: why it is skipped, naming both files */
  reason?: string;
}

/** The outcomes after which the file holds its bytes for the rest of the batch (the later ones are its duplicates). */
const HOLDS: ReadonlySet<EnqueueStatus> = new Set(['queued', 'requeued', 'in-progress', 'cached']);

/**
 * One recording: hashed, checked for being a duplicate, recorded as pending and queued for the first stage.
 * `batch`: the files enqueued before this one in the same batch (one `callqa enqueue`, one scan of `watch`).
 *
 * The duplicate check is here, before anything is stored or queued, and not in the worker: by the time a job
 * runs, the recording row would already carry the second file's name and metadata. Everything from the check to
 * the job being added runs holding the lock on these bytes (ContentLocks), so two enqueues racing with the same
 * bytes under two names are decided one after the other: the second finds the first's recording and run, and is
 * its duplicate. The worker then only ever sees a recording that one file owns.
 */
export async function enqueueRecording(ctx: QueueContext, input: EnqueueInput, req: EnqueueRequest, batch?: BatchContent): Promise<EnqueueOutcome> {
  const file = input.displayName;
  try {
    const abs = path.resolve(input.path);
    const sizeBytes = await checkFile(abs, file);
    const contentHash = await hashFile(abs, file);
    const options: RunOptions = {
      ...req.options,
      // a transcripts folder must be readable by every worker: store it absolute
      transcriptsDir: req.options.transcriptsDir ? path.resolve(req.options.transcriptsDir) : undefined,
    };
    const { repo } = ctx.store;
    // before the copy into storage: erased bytes are not stored again, not even there
    await refuseErased(repo, contentHash, file);
    const inputs = await callInputs({ audioPath: abs, metadata: input.metadata ?? {}, pipeline: req.pipeline, options });
    const outcome = await ctx.contentLocks.withLock(contentHash, () => enqueueLocked(ctx, { file, abs, sizeBytes, contentHash, options, inputs, metadata: input.metadata }, req, batch));
    if (batch && HOLDS.has(outcome.status)) batch.stored(contentHash, file);
    return outcome;
  } catch (err) {
    // every line names its file: a database or Redis error (the lock's connection refused, say) does not
    const msg = errorMessage(err);
    return { file, status: 'error', error: msg.startsWith(`${file}: `) ? msg : `${file}: ${msg}` };
  }
}

interface Hashed {
  file: string;
  abs: string;
  sizeBytes: number;
  contentHash: string;
  options: RunOptions;
  inputs: CallInputs;
  metadata?: CallMetadata;
}

/** enqueueRecording's decision and writes, holding the lock on the recording's bytes. */
async function enqueueLocked(ctx: QueueContext, h: Hashed, req: EnqueueRequest, batch?: BatchContent): Promise<EnqueueOutcome> {
  const { file, abs, sizeBytes, contentHash, options, inputs } = h;
  const { repo } = ctx.store;
  // the rule `callqa analyze` follows (pipeline/duplicates.ts); a run still queued or running holds the
  // recording as a finished one does: its worker reads this name and metadata
  const duplicate = await duplicateOf(repo, { contentHash, path: abs, file, force: req.force, inBatch: batch?.firstOf(contentHash), underWayKeeps: true });
  if (duplicate) return { file, status: 'duplicate', duplicateOf: duplicate.of, reason: duplicateReason(duplicate, 'queued') };
  // not a duplicate, yet stored under another file (renamed, its analysis failed, or --force): this file takes the
  // recording over, as `analyze` does, with its own name and metadata (none of the other file's merged in)
  const before = await repo.getRecordingByHash(contentHash);
  const takesOver = before !== null && before.sourcePath !== abs && before.path !== abs && path.basename(before.fileName) !== path.basename(file);
  // before anything is stored: the recording row and the storage copy's sidecar are the in-flight run's inputs
  const busy = await inFlightFromOtherInputs(ctx, contentHash, req, inputs);
  if (busy) {
    const as = busy.fileName === file ? '' : ` as ${busy.fileName}`;
    throw new InputError(
      file,
      `the same recording (identical bytes) is being analysed now${as} from other inputs (${busy.reasons.join('; ')}); enqueue this file again once that call is done`,
    );
  }
  const location = await ctx.storage.put(abs, contentHash, options.transcriptsDir);
  // with a storage folder the file enqueued from may be on this machine only (an inbox of its own): say which
  const sourceHost = ctx.cfg.storageDir ? hostname() : null;
  const rec = await repo.upsertRecording({ contentHash, path: location, sourcePath: abs, sourceHost, fileName: file, sizeBytes, metadata: h.metadata, ...(takesOver ? { replaceMetadata: true } : {}) });
  const pipelineRef = req.pipelineRef && /[/\\]|\.ya?ml$/i.test(req.pipelineRef) ? path.resolve(req.pipelineRef) : req.pipelineRef;
  const versions: Record<string, string> = {
    callqa: pkg.version,
    pipeline: `${req.pipeline.id}@${req.pipeline.version}`,
    [PIPELINE_REF_KEY]: pipelineRef ?? '',
    [OPTIONS_KEY]: encodeRunOptions(options),
    ...inputVersions(inputs),
  };
  const { run, existing } = await repo.getOrCreateRun(rec.id, req.pipeline.id, req.pipeline.version, versions);
  const key: RunKey = { contentHash, pipelineId: run.pipelineId, pipelineVersion: run.pipelineVersion };
  if (!existing) {
    // A failed job with this id can outlive its run (the database restored or wiped, Redis kept):
    // it would block the id and make reconcile report a stale error.
    await ctx.queues.removeJobsOf(key, ['failed', 'completed']);
    await ctx.queues.add(ctx.stages[0].name, run.id, key);
    return { file, status: 'queued', runId: run.id };
  }
  // A finished run stands for this call only while nothing it was made from has changed (pipeline/inputs.ts).
  const stale = run.status === 'done' && !req.force ? staleReasons(run.versions, inputs) : [];
  // a failed run of these bytes under another file's name: this file is analysed as usual, as its own
  // (duplicates.ts: a failed file has no results to keep); the same file again waits for `callqa retry`
  const takesOverFailed = run.status === 'failed' && takesOver;
  if (req.force || stale.length > 0 || takesOverFailed) {
    const live = (await ctx.queues.jobsOf(key)).filter((j) => j.state === 'active');
    if (live.length > 0) return { file, status: 'in-progress', runId: run.id };
    await ctx.queues.removeJobsOf(key, ['waiting', 'delayed', 'prioritized', 'failed', 'completed']);
    await ctx.qrepo.clearStageOutputs(run.id);
    await repo.resetRun(run.id, versions);
    await ctx.queues.add(ctx.stages[0].name, run.id, key);
    const reanalysed = req.force ? (run.status === 'done' ? ['forced (--force)'] : []) : stale;
    return { file, status: 'queued', runId: run.id, ...(reanalysed.length ? { reanalysed } : {}) };
  }
  if (run.status === 'done') return { file, status: 'cached', runId: run.id };
  if (run.status === 'failed') return { file, status: 'failed-earlier', runId: run.id, error: run.error ?? undefined };
  const r = await ensureQueued(ctx, run, key);
  return { file, status: r === 'requeued' ? 'requeued' : r === 'marked-failed' ? 'failed-earlier' : 'in-progress', runId: run.id };
}

/**
 * The run of these bytes under this program that is waiting or running now, when this file's inputs (transcript,
 * metadata, options) differ from the ones it was queued with: one recording row and one storage copy serve both
 * files, so queuing this one would change the inputs under the running call. Null when there is none, or the
 * inputs are the same (then this file is that call, in progress).
 */
async function inFlightFromOtherInputs(
  ctx: QueueContext,
  contentHash: string,
  req: EnqueueRequest,
  inputs: CallInputs,
): Promise<{ fileName: string; reasons: string[] } | null> {
  const rec = await ctx.store.repo.getRecordingByHash(contentHash);
  if (!rec) return null;
  const run = await ctx.store.repo.runs.findRun(rec.id, req.pipeline.id, req.pipeline.version);
  if (!run || (run.status !== 'pending' && run.status !== 'running')) return null;
  // a run queued before inputs were recorded cannot be compared: it is taken to be this file's
  if (!Object.keys(run.versions).some((k) => k.startsWith(INPUT_VERSION_PREFIX))) return null;
  const reasons = staleReasons(run.versions, inputs);
  return reasons.length ? { fileName: rec.fileName, reasons } : null;
}

export type EnsureResult = 'kept' | 'requeued' | 'marked-failed';

const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * One unfinished run (pending/running in the database): leave it when Redis holds a live job for it;
 * mark it failed when Redis failed its job but the database never heard (the database was down, or the job
 * stalled too often); otherwise queue it again at the stage where it stands.
 */
export async function ensureQueued(ctx: QueueContext, run: RunRow | RunSummary, key: RunKey, saved?: Set<string>): Promise<EnsureResult> {
  const jobs = await ctx.queues.jobsOf(key);
  if (jobs.some((j) => LIVE_STATES.has(j.state))) return 'kept';
  const failed = jobs.find((j) => j.state === 'failed');
  if (failed) {
    await ctx.store.repo.failRun(run.id, failed.failedReason ?? `job ${failed.id} failed`);
    await removeRunArtifacts(ctx, run.id);
    return 'marked-failed';
  }
  // completed jobs are removed at once; one still here (other settings) would block the id
  if (jobs.length > 0) await ctx.queues.removeJobsOf(key, ['completed']);
  const done = saved ?? (await ctx.qrepo.doneStages([run.id])).get(run.id) ?? new Set<string>();
  const stage: StageName = ctx.stages[resumeStageIndex(ctx.stages, done)].name;
  await ctx.queues.add(stage, run.id, key);
  return 'requeued';
}

export interface ReconcileResult {
  checked: number;
  kept: number;
  requeued: number;
  markedFailed: number;
  /** runs that had ended (done, failed, deleted) whose artifacts were still here, now removed */
  artifactsRemoved: number;
}

/**
 * Re-enqueues what Redis lost: every pending or running run in the database is checked against Redis.
 * Safe to run at any time, from any number of processes at once (job ids stop duplicates; the per-run
 * claim in the database stops double work).
 */
export async function reconcile(ctx: QueueContext, opts: { batchSize?: number } = {}): Promise<ReconcileResult> {
  const batchSize = opts.batchSize ?? 500;
  const runs: RunSummary[] = [];
  for (let offset = 0; ; offset += batchSize) {
    const page = await ctx.store.repo.listRuns({ status: ['pending', 'running'], order: 'oldest', limit: batchSize, offset });
    runs.push(...page);
    if (page.length < batchSize) break;
  }
  const result: ReconcileResult = { checked: 0, kept: 0, requeued: 0, markedFailed: 0, artifactsRemoved: 0 };
  for (let i = 0; i < runs.length; i += batchSize) {
    const batch = runs.slice(i, i + batchSize);
    const saved = await ctx.qrepo.doneStages(batch.map((r) => r.id));
    for (const run of batch) {
      const key: RunKey = { contentHash: run.contentHash, pipelineId: run.pipelineId, pipelineVersion: run.pipelineVersion };
      const r = await ensureQueued(ctx, run, key, saved.get(run.id));
      result.checked++;
      if (r === 'kept') result.kept++;
      else if (r === 'requeued') result.requeued++;
      else result.markedFailed++;
    }
  }
  // Artifacts a run's stages left on this machine (or in the storage folder) that its end did not remove:
  // it ended on another machine, or the worker died before removing them.
  for (const runId of await ctx.storage.runsWithArtifacts()) {
    const run = await ctx.store.repo.getRun(runId).catch(() => null);
    if (run && (run.status === 'pending' || run.status === 'running')) continue;
    await removeRunArtifacts(ctx, runId);
    result.artifactsRemoved++;
  }
  return result;
}

export interface RetryOutcome {
  runId: string;
  file: string;
  previousError: string | null;
  stage: StageName;
}

/**
 * Runs failed runs again from the stage where they failed (earlier stages' outputs are kept): their failed
 * jobs leave Redis, the run goes back to pending, the job is queued. `runIds` empty = every failed run.
 */
export async function retryFailed(ctx: QueueContext, opts: { runIds?: string[]; limit?: number } = {}): Promise<RetryOutcome[]> {
  const failed = await ctx.store.repo.listRuns({ status: 'failed', order: 'oldest', limit: opts.limit ?? 100_000 });
  const wanted = opts.runIds?.length ? new Set(opts.runIds) : null;
  const out: RetryOutcome[] = [];
  for (const run of failed) {
    if (wanted && !wanted.has(run.id) && !wanted.has(run.fileName) && !wanted.has(run.contentHash)) continue;
    const key: RunKey = { contentHash: run.contentHash, pipelineId: run.pipelineId, pipelineVersion: run.pipelineVersion };
    await ctx.queues.removeJobsOf(key, ['failed', 'completed']);
    await ctx.store.repo.resetRun(run.id);
    const saved = (await ctx.qrepo.doneStages([run.id])).get(run.id) ?? new Set<string>();
    const stage = ctx.stages[resumeStageIndex(ctx.stages, saved)].name;
    await ctx.queues.add(stage, run.id, key);
    out.push({ runId: run.id, file: run.fileName, previousError: run.error, stage });
  }
  return out;
}
