import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DEFAULT_STAGE_BUDGET, StageTimeoutError, budgetSecFor, type StageBudget } from './budget.js';
import type { LoadedLexicons } from '../lexicon/schema.js';
import type { PipelineConfig } from './config.js';
import type { executeSequence, executeStage, ExecuteOptions, StageRun } from './execute.js';
import { STAGE_NAMES, type CallState, type RecordingRef, type RunOptions, type Stage, type StageContext, type StageName } from './stage.js';

/**
 * `callqa analyze --jobs N`: the CPU-heavy work of N calls at once on N threads (decoding is ffmpeg's own
 * process; frame features, voice activity, detectors and scoring are JavaScript and need a thread each).
 * The pool stands in for executeStage (RunnerContext.execute): the runner still walks the graph and writes
 * the database in the main thread, one writer, and a stage's output is the same wherever it ran.
 *
 * A call's stages after the probe go to one worker as one job (executeSequence), so its state crosses
 * between threads twice, not once per stage. This thread runs none of them: it is the database's only
 * writer, and a call waiting for a write (its run looked up, its results saved) should not wait behind
 * another call's audio analysis; the batch keeps more calls in flight than there are workers (analyze.ts),
 * so a worker has the next call's stages to run while its last call's results are written. Measured
 * (96 calls, 2 cores): one of the N slots in this thread was 17.8 s against 13.4 s with N worker threads.
 */

export interface StageJob {
  id: number;
  /** run one after another over `state` (executeSequence); one reply with every stage's run */
  stages: StageName[];
  state: CallState;
  recording: RecordingRef;
  options: RunOptions;
  budget?: StageBudget;
  /** the caller runs every stage of the call in this process (StageContext.sameProcess): temp files made by one stage's worker reach the next */
  sameProcess?: boolean;
  /** StageContext.workDir: the call's own folder, made and removed by the runner */
  workDir?: string;
}

/** What every worker starts with. */
export interface StageWorkerData {
  pipeline: PipelineConfig;
  lexicons?: LoadedLexicons;
}

export type WorkerReply =
  | { id: number; stage: StageName; progress: number }
  | { id: number; runs: StageRun[] }
  | { id: number; error: { name: string; message: string; stack?: string; budgetSec?: number; stage?: StageName } };

export interface StagePool {
  readonly size: number;
  execute: typeof executeStage;
  /**
   * The stage graph as this thread sees it (RunnerContext.stages): references by name to the stages the
   * workers run, so this thread never loads the stage modules (audio analysis, detectors, lexicons); a
   * reference run here instead of through the pool is a programming error and says so.
   */
  readonly stages: readonly Stage[];
  /** a call's stages in one job on one thread (RunnerContext.executeSequence) */
  executeSequence: typeof executeSequence;
  close(): Promise<void>;
}

export interface StagePoolOptions {
  /** the pipeline's lexicon sets as this thread loaded them: each worker starts with them instead of loading its own */
  lexicons?: LoadedLexicons;
  /** the worker module (default stage-worker.js; tests give their own that serves other stages via serveStages) */
  workerUrl?: URL;
  /**
   * How long past a stage's budget the pool waits for its worker before judging the worker stuck (default
   * POOL_GRACE_SEC): the worker's own timer answers at the budget unless synchronous code blocks it.
   */
  graceSec?: number;
}

/**
 * A worker's V8 heap: the young generation capped at 8 MB (V8's default lets each isolate's grow to tens of
 * MB before it scavenges). Measured, 96 calls with --jobs 2: peak RSS 363-367 MB instead of 429-431 MB, wall
 * 9.9-10.4 s against 9.6-10.3 s. A stage's big buffers (decoded audio, frame features) are typed arrays
 * outside the JS heap, so long calls are not limited by it (a 2-hour call on a worker: see README).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** Default parallelism: the cores this process may use. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * A worker's own budget timer (executeStage) answers at the budget; one that has not answered this long
 * after it is stuck in synchronous code (a regex or loop gone superlinear) and is terminated by the pool.
 */
export const POOL_GRACE_SEC = 2;
/**
 * A new worker loads every stage module before it can begin the job handed to it (seconds on a loaded machine,
 * longer under tsx): until its first stage begins, the pool allows this much more, so start-up never counts
 * against a stage's budget.
 */
export const WORKER_START_SEC = 60;

interface Pending {
  job: StageJob;
  /** for a job run in this thread */
  stages: readonly Stage[];
  /** the stage the job is at (as the worker's progress says) */
  stage: StageName;
  ctx: Omit<StageContext, 'progress'>;
  opts: ExecuteOptions;
  resolve: (r: StageRun[]) => void;
  reject: (e: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
  timer?: NodeJS.Timeout;
  /** the worker said the job's first stage began: the watch counts from then */
  begun?: boolean;
}

interface Slot {
  w: Worker;
  busy: Pending | null;
  /** the current worker has answered at least once (so it loads and runs: worth replacing when it dies) */
  answered: boolean;
}

/** An error from a worker as the in-process path would have thrown it (a StageTimeoutError stays one). */
function errorFromWorker(job: StageJob, e: { name: string; message: string; stack?: string; budgetSec?: number; stage?: StageName }): Error {
  if (e.name === 'StageTimeoutError' && typeof e.budgetSec === 'number') return new StageTimeoutError(job.recording.displayName, e.stage ?? job.stages[0]!, e.budgetSec);
  return Object.assign(new Error(e.message), { name: e.name, stack: e.stack });
}

export function createStagePool(size: number, pipeline: PipelineConfig, poolOpts: StagePoolOptions = {}): StagePool {
  // Under tsx (tests, `npm run callqa`) this module is TypeScript and so is the worker; compiled, both are JS.
  const url = poolOpts.workerUrl ?? new URL(import.meta.url.endsWith('.ts') ? './stage-worker.ts' : './stage-worker.js', import.meta.url);
  const graceSec = poolOpts.graceSec ?? POOL_GRACE_SEC;
  const workerData: StageWorkerData = { pipeline, lexicons: poolOpts.lexicons };
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;
  /** a worker that died before it ever answered: the worker module itself is broken; every job fails with this */
  let broken: Error | null = null;

  /** The slot's job is over (answered, failed or timed out): forget it and give the worker the next one. */
  const settle = (slot: Slot) => {
    const p = slot.busy;
    slot.busy = null;
    if (p?.signal && p.onAbort) p.signal.removeEventListener('abort', p.onAbort);
    clearTimeout(p?.timer);
    dispatch();
    return p;
  };
  const dispatch = () => {
    // stopped (Ctrl-C) while they waited for a thread: they never start
    for (const p of queue.filter((q) => q.signal?.aborted)) {
      queue.splice(queue.indexOf(p), 1);
      p.reject(new Error('interrupted before it finished'));
    }
    for (const slot of slots) {
      if (slot.busy || queue.length === 0 || closed) continue;
      const p = queue.shift()!;
      slot.busy = p;
      if (p.signal) {
        p.onAbort = () => slot.w.postMessage({ abort: p.job.id });
        p.signal.addEventListener('abort', p.onAbort, { once: true });
      }
      // until the worker says the first stage began, a new worker's start-up is allowed for
      watch(slot, p, p.job.stages[0]!, slot.answered ? 0 : WORKER_START_SEC);
      slot.w.postMessage(p.job);
    }
  };
  /**
   * The stage's budget, as executeStage computes it in the worker (one per stage, restarted as each stage of
   * the job begins); the pool's timer fires only if the worker has not answered `graceSec` after it (its
   * event loop is blocked): the worker is terminated and replaced, and the job fails with the
   * StageTimeoutError the in-process path would have thrown.
   */
  const watch = (slot: Slot, p: Pending, stage: StageName, startSec = 0) => {
    clearTimeout(p.timer);
    p.stage = stage;
    const budgetSec = budgetSecFor(p.job.budget ?? DEFAULT_STAGE_BUDGET, p.job.state.info?.durationSec);
    p.timer = setTimeout(() => {
      if (slot.busy === p) fail(slot, new StageTimeoutError(p.job.recording.displayName, stage, budgetSec));
    }, (budgetSec + graceSec + startSec) * 1000);
  };
  /** A worker, with handlers that act only while it is its slot's worker (a replaced one's late events are ignored). */
  const spawnWorker = (slot: Slot): Worker => {
    // A worker does not inherit tsx's loader: under tsx it registers it before importing the TypeScript worker.
    const w = url.pathname.endsWith('.ts')
      ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData })
      : new Worker(url, { workerData, resourceLimits: WORKER_LIMITS });
    const current = () => slot.w === w && !closed;
    w.on('message', (m: WorkerReply) => {
      const p = slot.busy;
      if (!current()) return;
      slot.answered = true;
      if (!p || p.job.id !== m.id) return;
      if ('progress' in m) {
        if (m.stage !== p.stage || !p.begun) watch(slot, p, m.stage);
        p.begun = true;
        p.opts.onProgress?.(m.stage, m.progress);
      } else if ('runs' in m) settle(slot)?.resolve(m.runs);
      else settle(slot)?.reject(errorFromWorker(p.job, m.error));
    });
    w.on('error', (err) => {
      if (current()) fail(slot, err);
    });
    w.on('exit', (code) => {
      if (current()) fail(slot, new Error(`stage worker exited unexpectedly (code ${code})`));
    });
    // Not unref'd: while the main thread only awaits a worker's reply it has no other handle keeping it alive,
    // and an unref'd worker would let the process exit mid-batch (with exit code 0). close() ends them.
    return w;
  };
  /** The slot's worker is stuck or gone: a new one takes its place (first, so no job goes to the old one), its job fails. */
  const fail = (slot: Slot, err: Error) => {
    const old = slot.w;
    if (!slot.answered && !(err instanceof StageTimeoutError)) {
      // it never ran anything: a new one would die the same way, again and again
      broken = err;
      for (const p of queue.splice(0)) p.reject(err);
    } else {
      slot.w = spawnWorker(slot);
      slot.answered = false;
    }
    void old.terminate().catch(() => undefined);
    settle(slot)?.reject(err);
  };
  for (let i = 0; i < size; i++) {
    const slot = { busy: null, answered: false } as unknown as Slot;
    slot.w = spawnWorker(slot);
    slots.push(slot);
  }

  const executeSequence = (stages: readonly Stage[], state: CallState, ctx: Omit<StageContext, 'progress'>, opts: ExecuteOptions = {}): Promise<StageRun[]> => {
    if (closed) return Promise.reject(new Error('stage pool closed'));
    if (broken) return Promise.reject(broken);
    if (ctx.signal?.aborted) return Promise.reject(new Error('interrupted before it finished'));
    if (stages.length === 0) return Promise.resolve([]);
    return new Promise<StageRun[]>((resolve, reject) => {
      const job: StageJob = {
        id: nextId++,
        stages: stages.map((s) => s.name),
        state,
        recording: ctx.recording,
        options: ctx.options,
        budget: opts.budget,
        ...(ctx.sameProcess ? { sameProcess: true } : {}),
        ...(ctx.workDir ? { workDir: ctx.workDir } : {}),
      };
      queue.push({ job, stages, stage: stages[0]!.name, ctx, opts, resolve, reject, signal: ctx.signal });
      dispatch();
    });
  };
  const execute = async (stage: Stage, state: CallState, ctx: Omit<StageContext, 'progress'>, opts: ExecuteOptions = {}): Promise<StageRun> =>
    (await executeSequence([stage], state, ctx, opts))[0]!;

  return {
    size,
    stages: STAGE_NAMES.map((name): Stage => ({
      name,
      run: () => Promise.reject(new Error(`the ${name} stage runs on the stage pool's threads, not in this one`)),
    })),
    execute,
    executeSequence,
    async close() {
      closed = true;
      for (const p of queue.splice(0)) p.reject(new Error('stage pool closed'));
      for (const slot of slots) settle(slot)?.reject(new Error('stage pool closed'));
      await Promise.all(slots.map((s) => s.w.terminate()));
    },
  };
}
