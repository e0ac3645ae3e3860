/**
 * One stage of one call, as a queue job: the same stage functions the in-process runner calls, run through
 * the same module (pipeline/execute.ts), with the state carried between machines by the database. A job loads the run's saved stage outputs, merges them
 * in graph order, runs its stage, saves that stage's output and hands the call to the next stage's queue;
 * the last stage stores the results with `completeRun` (one transaction), as `analyzeFile` does.
 *
 * Nothing here imports bullmq: the worker adapter (worker.ts) turns the outcome into job states.
 */
import { ConfigError, errorMessage, InputError, isRetryable, publicError } from '../core/errors.js';
import type { PipelineConfig } from '../pipeline/config.js';
import type { StageBudget } from '../pipeline/budget.js';
import { INPUT_VERSION_PREFIX, transcriptSourceOf } from '../pipeline/inputs.js';
import { resolvePipeline } from '../pipeline/loader.js';
import { completionOf, executeStage, recordingInfoOf, replayState, resumeStageIndex } from '../pipeline/execute.js';
import { mergeState, type RecordingRef, type Stage, type StageName, type StageOutput } from '../pipeline/stage.js';
import { checkFile } from '../pipeline/runner.js';
import type { Repository, RunRow } from '../store/index.js';
import type { QueueRepository, RunLocks } from '../store/queue-repo.js';
import { infraFault } from './infra.js';
import { PIPELINE_REF_KEY, decodeRunOptions, type RunKey } from './jobs.js';
import type { RecordingStorage } from './storage.js';

export interface HandlerDeps {
  repo: Repository;
  qrepo: QueueRepository;
  locks: RunLocks;
  storage: RecordingStorage;
  /** the graph, in order (STAGES) */
  stages: readonly Stage[];
  /** hands a run to a stage's queue (idempotent by job id) */
  enqueue(stage: StageName, runId: string, key: RunKey): Promise<void>;
  pipelines?: PipelineCache;
  /** time budget per stage (default DEFAULT_STAGE_BUDGET) */
  budget?: StageBudget;
  /** the worker's log; a stage's lines are prefixed with the stage and the run id */
  log?: (line: string) => void;
}

export type StageJobOutcome =
  | { kind: 'ran'; stage: StageName; next: StageName | null; durationSec: number }
  /** another worker holds this call now: come back later (not a failed attempt) */
  | { kind: 'busy' }
  /** nothing to do (finished, failed or vanished run; stage already done) */
  | { kind: 'skipped'; reason: string; next?: StageName | null };

export interface JobAttempt {
  /** this is the last attempt BullMQ will make: a retryable error now fails the run */
  final: boolean;
  signal?: AbortSignal;
}

/** Thrown for errors that must not be retried; worker.ts maps it to BullMQ's UnrecoverableError. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

export async function handleStageJob(stageName: StageName, runId: string, deps: HandlerDeps, attempt: JobAttempt): Promise<StageJobOutcome> {
  const idx = deps.stages.findIndex((s) => s.name === stageName);
  if (idx < 0) throw new PermanentJobError(`stage "${stageName}" is not in this build's pipeline graph`);
  const stage = deps.stages[idx];

  // One round trip: the claim, the run with its recording and its saved stage outputs.
  const claimed = await deps.locks.claimAndLoad(runId);
  if (!claimed) return { kind: 'busy' };
  const { claim, load } = claimed;
  const checkClaim = () => {
    if (claim.lost) throw new Error('lost the claim on this call (database connection dropped); retrying');
  };
  const run = load.run;
  // The "stage running" mark, sent on the claim's connection and left to complete while the stage runs
  // (statements on one connection run in order, so it lands before the save); settled, never rejected.
  let marking: Promise<{ error: unknown } | undefined> | undefined;
  try {
    if (!run) return { kind: 'skipped', reason: 'run no longer exists' };
    if (run.status === 'done') return { kind: 'skipped', reason: 'run already done' };
    // A failed run moves again only through `callqa retry`, which sets it back to pending first.
    if (run.status === 'failed') return { kind: 'skipped', reason: 'run failed earlier (callqa retry re-runs it)' };

    const recording = load.recording;
    if (!recording) return { kind: 'skipped', reason: 'recording no longer exists' };
    const key: RunKey = { contentHash: recording.contentHash, pipelineId: run.pipelineId, pipelineVersion: run.pipelineVersion };

    const byStage = load.outputs as Map<string, StageOutput>;
    const target = resumeStageIndex(deps.stages, byStage);
    if (target !== idx) {
      // A duplicate or stale job (its stage done, or an earlier one missing): send the call to where it is.
      const where = deps.stages[target].name;
      // Let go of the call before handing it on: the next job may start at once (often in this very
      // process) and would otherwise find the claim still held and be put off as busy.
      await claim.release();
      await deps.enqueue(where, run.id, key);
      return { kind: 'skipped', reason: `call is at stage ${where}`, next: where };
    }

    const state = replayState(deps.stages, byStage, { untilIndex: idx, where: `run ${run.id}` });

    const path = await deps.storage.localPath(recording.path);
    const pipeline = (deps.pipelines ?? defaultPipelineCache).get(run);
    const options = decodeRunOptions(run.versions, run.id);
    const ref: RecordingRef = {
      id: recording.id,
      path,
      displayName: recording.fileName,
      contentHash: recording.contentHash,
      metadata: recording.metadata,
    };

    if (idx === 0) {
      await checkFile(path, recording.fileName);
      marking = settle(claim.markRunStarted(stage.name));
    } else if (!(run.status === 'running' && run.stage === stage.name)) {
      // Normally the previous stage's save recorded this one; not so for a call sent back by `callqa retry`.
      marking = settle(claim.markStage(stage.name));
    }

    if (stage.name === 'transcribe') await checkSidecarAsEnqueued(run, path, ref.displayName, pipeline, options);

    // within the stage's time budget: over it, the call fails for good (StageTimeoutError is an input error, not retried)
    // the run's artifacts: what this stage leaves for a later one, or reads from an earlier one (the decoded
    // channels), possibly on another worker; removed when the run completes or fails
    const artifacts = deps.storage.artifacts(run.id);
    const log = deps.log ? (line: string) => deps.log!(`${stage.name} ${run.id}: ${line}`) : undefined;
    const ran = await executeStage(stage, state, { recording: ref, pipeline, options, signal: attempt.signal, artifacts, log }, { budget: deps.budget });
    if (attempt.signal?.aborted) throw new Error('aborted');
    const marked = await marking;
    if (marked) throw marked.error;
    checkClaim();
    // Saved (with the first stage's recording info, and the next stage recorded as the one the call is at)
    // and the claim let go in one round trip, on the claim's own connection: if it dropped, nothing is stored.
    const info = recordingInfoOf(ran, deps.stages);
    const save = { stage: stage.name, output: ran.output, startedAt: ran.startedAt, finishedAt: ran.finishedAt, info: info ? { recordingId: recording.id, info } : undefined, nextStage: deps.stages[idx + 1]?.name };

    const next = deps.stages[idx + 1]?.name ?? null;
    if (next) {
      await claim.saveAndRelease(save);
      // The claim is released before the hand-off: the next job may start at once (often in this very
      // process) and must find it free, or it is put off as busy. A worker dying in between leaves its job
      // active; the stalled-job check re-delivers it, and it only routes the call onwards.
      await deps.enqueue(next, run.id, key);
    } else {
      // The last stage's output and the run's results in one transaction (as completeRun), then released.
      await claim.completeAndRelease(save, { id: run.pipelineId, version: run.pipelineVersion }, completionOf(mergeState(state, ran.output)));
      await removeArtifacts(deps, run.id);
    }
    return { kind: 'ran', stage: stage.name, next, durationSec: (ran.finishedAt.getTime() - ran.startedAt.getTime()) / 1000 };
  } catch (err) {
    await marking; // a mark still on the wire must not land after failRun
    if (attempt.signal?.aborted) throw err; // shutdown: the job goes back to the queue, the run stays as it is
    const permanent = !isRetryable(err) || err instanceof PermanentJobError;
    // PostgreSQL or Redis unreachable is not the call's fault: the worker puts the job back without spending
    // an attempt (worker.ts), so the run must not be marked failed here even on what was the last attempt
    if (!permanent && infraFault(err)) throw publicError(err);
    if (run && (permanent || attempt.final)) {
      try {
        await deps.repo.failRun(run.id, errorMessage(err));
      } catch {
        // the database is down: reconcile marks the run failed from the failed job later
      }
      await removeArtifacts(deps, run.id);
    }
    if (permanent && !(err instanceof PermanentJobError)) throw new PermanentJobError(errorMessage(err), { cause: err });
    // BullMQ stores the message in Redis: never a query's bound values (transcript text)
    throw publicError(err);
  } finally {
    await claim.release();
  }
}

/** A finished or failed run's artifacts go; failing to remove them fails nothing (said in the log). */
async function removeArtifacts(deps: Pick<HandlerDeps, 'storage' | 'log'>, runId: string): Promise<void> {
  try {
    await deps.storage.removeArtifacts(runId);
  } catch (err) {
    deps.log?.(`run ${runId}: could not remove its artifacts: ${errorMessage(err)}`);
  }
}

export { removeArtifacts as removeRunArtifacts };

function settle(p: Promise<unknown>): Promise<{ error: unknown } | undefined> {
  return p.then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
}


/** Pipelines by the name they were enqueued with, loaded once per worker process. */
export class PipelineCache {
  private readonly cache = new Map<string, PipelineConfig>();

  get(run: Pick<RunRow, 'id' | 'versions' | 'pipelineId' | 'pipelineVersion'>): PipelineConfig {
    const ref = run.versions[PIPELINE_REF_KEY] || undefined;
    const key = ref ?? '';
    let p = this.cache.get(key);
    if (!p) {
      p = resolvePipeline(ref);
      this.cache.set(key, p);
    }
    if (p.id !== run.pipelineId || p.version !== run.pipelineVersion) {
      throw new ConfigError(
        `run ${run.id} was enqueued for pipeline ${run.pipelineId}@${run.pipelineVersion} but this worker has ` +
          `${p.id}@${p.version}${ref ? ` (${ref})` : ''}: deploy the same pipelines to every worker, or re-enqueue`,
      );
    }
    return p;
  }
}

const defaultPipelineCache = new PipelineCache();

/**
 * The call was enqueued with a transcript sidecar, fingerprinted in the run's inputs (`input.transcript`); the
 * worker reads it where it is now, perhaps hours later. Gone or changed by then, the call would be analysed
 * without it (whisper, or no transcript at all) or from other text, and the run would still say it was made
 * from the sidecar enqueue saw: the next enqueue of the file would call that result `cached`. Fails the call
 * (bad input, not retried) saying so instead.
 */
async function checkSidecarAsEnqueued(
  run: Pick<RunRow, 'versions'>,
  path: string,
  file: string,
  pipeline: PipelineConfig,
  options: ReturnType<typeof decodeRunOptions>,
): Promise<void> {
  const recorded = run.versions[`${INPUT_VERSION_PREFIX}transcript`];
  if (!recorded?.startsWith('sidecar-')) return;
  const now = await transcriptSourceOf(path, pipeline, options);
  if (now === recorded) return;
  throw new InputError(
    file,
    now.startsWith('sidecar-')
      ? 'its transcript sidecar changed after it was enqueued: enqueue it again with --force'
      : 'its transcript sidecar is no longer where it was when the call was enqueued: put it back and run callqa retry',
  );
}
