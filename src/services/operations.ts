/**
 * Queue operations use case, shared by the CLI (`callqa enqueue`, `watch`, `retry`, `reconcile`, `status`,
 * `worker`) and the API: asking for calls to be analysed by the workers, putting failed or lost work back on
 * the queues, the state of the queues, and running the workers. The queue runner (src/queue) and the store
 * stay behind this module; its callers only parse their input and render the outcome.
 */
import type { BatchContent } from '../pipeline/duplicates.js';
import type { PipelineConfig } from '../pipeline/config.js';
import { resolvePipeline } from '../pipeline/loader.js';
import type { RunOptions } from '../pipeline/stage.js';
import { openQueueContext, type QueueContext } from '../queue/context.js';
import {
  enqueueRecording,
  reconcile,
  retryFailed,
  type EnqueueInput,
  type EnqueueOutcome,
  type EnqueueRequest,
  type ReconcileResult,
  type RetryOutcome,
} from '../queue/enqueue.js';
import { infraFault } from '../queue/infra.js';
import type { RunKey } from '../queue/jobs.js';
import { queueStatusFromEnv, type QueueStatus } from '../queue/status.js';
import type { RunningWorkers } from '../queue/worker.js';
import type { RunSummary } from '../store/repository.js';

export type { EnqueueInput, EnqueueOutcome, EnqueueRequest, EnqueueStatus } from '../queue/enqueue.js';
export { BatchContent } from '../pipeline/duplicates.js';
export type { QueueStatus } from '../queue/status.js';
export type { ReconcileResult, RetryOutcome, RunningWorkers, RunSummary };

/** What a batch is enqueued with, as the user gave it: the program by id or YAML file, and the run options. */
export interface EnqueueSettings {
  /** an id in pipelines/ or a YAML file (default: pipelines/default.yaml) */
  pipeline?: string;
  options: RunOptions;
  /** analyse again even when this content was already analysed with this pipeline version */
  force?: boolean;
}

/** Loads and checks the QA program once for a batch (a bad program is a configuration error, before any file). */
export function enqueueRequest(s: EnqueueSettings): EnqueueRequest {
  const pipeline: PipelineConfig = resolvePipeline(s.pipeline);
  return { pipeline, pipelineRef: s.pipeline, options: s.options, force: s.force };
}

export interface WorkerSettings {
  /** comma-separated stage names (default: all) */
  stages?: string;
  /** N, or N plus stage=N overrides (e.g. "2,transcribe=1") */
  concurrency: string;
  reconcileAtStart: boolean;
  reconcileEverySec: number;
  graceSec: number;
  log?: (line: string) => void;
}

export interface OpenWaitingOptions {
  /** said once, when the first attempt finds a server down */
  onWaiting(since: string, err: unknown): void;
  /** said when the servers answer after a wait */
  onReachable(since: string): void;
  /** give up waiting (a signal arrived): resolves undefined */
  stopped(): boolean;
}

export class QueueOperations {
  private constructor(private readonly ctx: QueueContext) {}

  /**
   * Redis and PostgreSQL from the environment (REDIS_URL, DATABASE_URL, ...), checked at once: an unreachable
   * server or a bad URL is a ConfigError here, not at the first call.
   */
  static async open(opts: { maxConnections?: number; env?: NodeJS.ProcessEnv } = {}): Promise<QueueOperations> {
    return new QueueOperations(await openQueueContext(opts));
  }

  /**
   * As open(), but a server that is down (a host reboot, a failover) is waited for with backoff instead of
   * failing: the outage is not a configuration error. What is one (a malformed URL, a refused password, a
   * missing database, a schema newer than this build) still throws at once.
   */
  static async openWhenReachable(w: OpenWaitingOptions): Promise<QueueOperations | undefined> {
    let delayMs = 500;
    let since: string | undefined;
    for (;;) {
      try {
        const ops = await QueueOperations.open();
        if (since) w.onReachable(since);
        return ops;
      } catch (err) {
        if (!infraFault(err)) throw err;
        if (!since) {
          since = new Date().toISOString();
          w.onWaiting(since, err);
        }
      }
      for (let waited = 0; waited < delayMs && !w.stopped(); waited += 100) await new Promise((r) => setTimeout(r, 100));
      if (w.stopped()) return undefined;
      delayMs = Math.min(delayMs * 2, 15_000);
    }
  }

  /** the Redis key prefix the queues live under */
  get prefix(): string {
    return this.ctx.cfg.prefix;
  }

  /** where the workers read the recordings from (for the start-up line) */
  get storageDescription(): string {
    return this.ctx.storage.description;
  }

  /**
   * One recording: hashed, checked for being a duplicate, recorded as pending, queued for the first stage (see
   * queue/enqueue.ts). `batch`: the files enqueued before it together (one command, one scan of a folder).
   */
  enqueue(input: EnqueueInput, req: EnqueueRequest, batch?: BatchContent): Promise<EnqueueOutcome> {
    return enqueueRecording(this.ctx, input, req, batch);
  }

  /** Failed runs, oldest first, with the stage they failed in and their error. */
  failedRuns(limit = 100_000): Promise<RunSummary[]> {
    return this.ctx.store.repo.listRuns({ status: 'failed', limit, order: 'oldest' });
  }

  /** Failed runs again from the stage where they failed: all of them, or those named by run id, file name or content hash. */
  retry(which: string[] = []): Promise<RetryOutcome[]> {
    return retryFailed(this.ctx, { runIds: which });
  }

  /** Re-queues what Redis lost: the database is the record. */
  reconcile(): Promise<ReconcileResult> {
    return reconcile(this.ctx);
  }

  /** Workers for the named stages (all by default) in this process, until stopped. */
  async startWorkers(s: WorkerSettings): Promise<RunningWorkers> {
    // loaded here: enqueue, retry and status need none of the worker machinery
    const { parseConcurrency, parseStages, startWorkers } = await import('../queue/worker.js');
    const known = this.ctx.stages.map((st) => st.name as string);
    const stages = parseStages(s.stages, known);
    const { defaultConcurrency, concurrency } = parseConcurrency(s.concurrency, known);
    return startWorkers(this.ctx, {
      stages,
      concurrency,
      defaultConcurrency,
      reconcileAtStart: s.reconcileAtStart,
      reconcileEverySec: s.reconcileEverySec,
      graceSec: s.graceSec,
      log: s.log,
    });
  }

  /** Removes these runs' jobs from every stage queue, in every state but active (an erasure: callqa data). */
  async removeJobsOf(keys: readonly RunKey[]): Promise<number> {
    let n = 0;
    for (const k of keys) n += await this.ctx.queues.removeJobsOf(k, ['waiting', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed']);
    return n;
  }

  close(): Promise<void> {
    return this.ctx.close();
  }
}

/**
 * Recordings by state, queue depths, throughput, timing and recent failures, from the servers in the
 * environment. A server being down is reported (with what the workers say they wait for), not thrown;
 * throws (ConfigError) only when neither answers.
 */
export function queueStatus(opts: { timingWindowSec?: number; env?: NodeJS.ProcessEnv } = {}): Promise<QueueStatus> {
  return queueStatusFromEnv(opts);
}

