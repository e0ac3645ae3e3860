import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { StageBudget } from './budget.js';
import type { PipelineConfig } from './config.js';
import type { ExecuteOptions, StageRun, executeStage } from './execute.js';
import type { CallState, RecordingRef, RunOptions, Stage, StageContext, StageName } from './stage.js';

/**
 * `callqa analyze --jobs N`: the CPU-heavy work of N calls at once on N worker threads (decoding is ffmpeg's
 * own process; frame features, voice activity, detectors and scoring are JavaScript and need a thread each).
 * The pool stands in for executeStage (RunnerContext.execute): the runner still walks the graph and writes
 * the database in the main thread, one writer, and a stage's output is the same wherever it ran.
 */

export interface StageJob {
  id: number;
  stage: StageName;
  state: CallState;
  recording: RecordingRef;
  options: RunOptions;
  budget?: StageBudget;
}

export type WorkerReply =
  | { id: number; progress: number }
  | { id: number; run: StageRun }
  | { id: number; error: { name: string; message: string; stack?: string } };

export interface StagePool {
  readonly size: number;
  execute: typeof executeStage;
  close(): Promise<void>;
}

/** Default parallelism: the cores this process may use. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

interface Pending {
  job: StageJob;
  opts: ExecuteOptions;
  resolve: (r: StageRun) => void;
  reject: (e: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export function createStagePool(size: number, pipeline: PipelineConfig): StagePool {
  // Under tsx (tests, `npm run callqa`) this module is TypeScript and so is the worker; compiled, both are JS.
  const ts = import.meta.url.endsWith('.ts');
  const url = new URL(ts ? './stage-worker.ts' : './stage-worker.js', import.meta.url);
  const workers: { w: Worker; busy: Pending | null }[] = [];
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;

  const settle = (slot: (typeof workers)[number]) => {
    const p = slot.busy;
    slot.busy = null;
    if (p?.signal && p.onAbort) p.signal.removeEventListener('abort', p.onAbort);
    dispatch();
    return p;
  };
  const dispatch = () => {
    for (const slot of workers) {
      if (slot.busy || queue.length === 0) continue;
      const p = queue.shift()!;
      slot.busy = p;
      if (p.signal) {
        p.onAbort = () => slot.w.postMessage({ abort: p.job.id });
        p.signal.addEventListener('abort', p.onAbort, { once: true });
      }
      slot.w.postMessage(p.job);
    }
  };
  for (let i = 0; i < size; i++) {
    // A worker does not inherit tsx's loader: under tsx it registers it before importing the TypeScript worker.
    const w = ts
      ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData: { pipeline } })
      : new Worker(url, { workerData: { pipeline } });
    const slot = { w, busy: null as Pending | null };
    w.on('message', (m: WorkerReply) => {
      const p = slot.busy;
      if (!p || p.job.id !== m.id) return;
      if ('progress' in m) p.opts.onProgress?.(p.job.stage, m.progress);
      else if ('run' in m) settle(slot)?.resolve(m.run);
      else settle(slot)?.reject(Object.assign(new Error(m.error.message), { name: m.error.name, stack: m.error.stack }));
    });
    w.on('error', (err) => settle(slot)?.reject(err));
    w.on('exit', (code) => {
      if (!closed) settle(slot)?.reject(new Error(`stage worker exited unexpectedly (code ${code})`));
    });
    // Not unref'd: while the main thread only awaits a worker's reply it has no other handle keeping it alive,
    // and an unref'd worker would let the process exit mid-batch (with exit code 0). close() ends them.
    workers.push(slot);
  }

  const execute = (stage: Stage, state: CallState, ctx: Omit<StageContext, 'progress'>, opts: ExecuteOptions = {}): Promise<StageRun> => {
    if (closed) return Promise.reject(new Error('stage pool closed'));
    return new Promise<StageRun>((resolve, reject) => {
      const job: StageJob = { id: nextId++, stage: stage.name, state, recording: ctx.recording, options: ctx.options, budget: opts.budget };
      queue.push({ job, opts, resolve, reject, signal: ctx.signal });
      dispatch();
    });
  };

  return {
    size,
    execute,
    async close() {
      closed = true;
      for (const p of queue.splice(0)) p.reject(new Error('stage pool closed'));
      await Promise.all(workers.map((s) => s.w.terminate()));
    },
  };
}
