/**
 * BullMQ workers, one per stage queue, calling the stage handler. Outcomes map to job states: a permanent
 * error (bad input, configuration) -> UnrecoverableError, failed at once without retries; anything else ->
 * thrown, so BullMQ retries with exponential backoff; a call another worker is running -> moved back to
 * delayed without spending an attempt; a shutdown -> the job in hand finishes, or after the grace period
 * goes back to the queue untouched.
 */
import { WatchListService } from '../services/watchlist.js';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { sql } from 'drizzle-orm';
import { ConfigError, errorMessage } from '../core/errors.js';
import { stageBudgetFromEnv } from '../pipeline/budget.js';
import type { StageName } from '../pipeline/stage.js';
import { RunLocks } from '../store/queue-repo.js';
import type { QueueContext } from './context.js';
import { reconcile, type ReconcileResult } from './enqueue.js';
import { InfraHealth, infraFault, publishWorkerRecord } from './infra.js';
import { PermanentJobError, PipelineCache, handleStageJob, type HandlerDeps, type StageJobOutcome } from './handler.js';
import { isStageName, parseStageJob, type StageJob } from './jobs.js';

export interface WorkerOptions {
  /** stages to serve (default: all) */
  stages?: StageName[];
  /** jobs at once per stage, in this process */
  concurrency: Partial<Record<StageName, number>>;
  defaultConcurrency: number;
  /** reconcile at start (default true) */
  reconcileAtStart?: boolean;
  /** reconcile every this many seconds (0 = never) and at once when Redis restarts */
  reconcileEverySec?: number;
  /** on SIGTERM, how long to wait for jobs in hand before handing them back */
  graceSec?: number;
  log?: (line: string) => void;
}

export interface RunningWorkers {
  stages: StageName[];
  /** stop taking jobs, finish (or after the grace period hand back) the jobs in hand, close everything */
  stop(reason?: string): Promise<void>;
  /** resolves after stop() has finished */
  stopped: Promise<void>;
  reconcileResult?: ReconcileResult;
}

/** Parses "--concurrency 4" or "--concurrency 4,transcribe=1": a default and per-stage overrides. */
export function parseConcurrency(spec: string, known: readonly string[]): { defaultConcurrency: number; concurrency: Partial<Record<StageName, number>> } {
  let defaultConcurrency = 1;
  const concurrency: Partial<Record<StageName, number>> = {};
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(?:([a-z]+)=)?(\d+)$/.exec(part);
    const n = m ? Number(m[2]) : NaN;
    if (!m || !(n >= 1)) throw new ConfigError(`--concurrency: expected N or stage=N (N >= 1), got "${part}"`);
    if (m[1] === undefined) defaultConcurrency = n;
    else if (isStageName(m[1]) && known.includes(m[1])) concurrency[m[1]] = n;
    else throw new ConfigError(`--concurrency: unknown stage "${m[1]}" (stages: ${known.join(', ')})`);
  }
  return { defaultConcurrency, concurrency };
}

export function parseStages(spec: string | undefined, known: readonly string[]): StageName[] | undefined {
  if (!spec) return undefined;
  const names = spec.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!known.includes(n)) throw new ConfigError(`--stages: unknown stage "${n}" (stages: ${known.join(', ')})`);
  }
  return names as StageName[];
}

export async function startWorkers(ctx: QueueContext, opts: WorkerOptions): Promise<RunningWorkers> {
  const log = opts.log ?? (() => undefined);
  const serve = opts.stages ?? ctx.stages.map((s) => s.name);
  const totalConcurrency = serve.reduce((n, s) => n + (opts.concurrency[s] ?? opts.defaultConcurrency), 0);
  const locks = new RunLocks(ctx.cfg.databaseUrl, totalConcurrency + 1);
  const deps: HandlerDeps = {
    repo: ctx.store.repo,
    qrepo: ctx.qrepo,
    locks,
    storage: ctx.storage,
    stages: ctx.stages,
    enqueue: (stage, runId, key) => ctx.queues.add(stage, runId, key),
    pipelines: new PipelineCache(),
    budget: stageBudgetFromEnv(),
    log,
  };
  const watchList = new WatchListService(ctx.store.db);
  const shutdown = new AbortController();
  const redisPort = Number(new URL(ctx.cfg.redisUrl).port || 6379);
  // PostgreSQL/Redis unreachable: pause every stage worker of this process, probe, resume (infra.ts)
  const workersRef: Worker[] = [];
  const health = new InfraHealth({
    probe: {
      database: () => withTimeout(ctx.store.db.execute(sql`select 1`), 5000),
      redis: () => withTimeout(ctx.redis.ping(), 5000),
    },
    onWaiting: async (waiting) => {
      record?.refresh();
      if (shutdown.signal.aborted) return;
      if (waiting) await Promise.all(workersRef.map((w) => w.pause(true).catch(() => undefined)));
      else for (const w of workersRef) w.resume();
      record?.refresh();
    },
    log,
  });
  let record: ReturnType<typeof publishWorkerRecord> | undefined;

  let reconcileResult: ReconcileResult | undefined;
  let reconcileOwed = false;
  if (opts.reconcileAtStart !== false) {
    try {
      reconcileResult = await reconcile(ctx);
      if (reconcileResult.requeued || reconcileResult.markedFailed) {
        log(`reconcile: ${reconcileResult.checked} unfinished run(s), ${reconcileResult.requeued} re-queued, ${reconcileResult.markedFailed} marked failed`);
      }
    } catch (err) {
      // a server went away between opening and reconciling: not a reason to stop; the periodic one makes up
      if (!infraFault(err)) throw err;
      reconcileOwed = true;
      log(`reconcile at start put off (${errorMessage(err)}); it runs once the servers answer`);
    }
  }

  const workers = serve.map((stage) => {
    const processor = async (job: Job<StageJob>, token?: string): Promise<StageJobOutcome> => {
      const { runId } = parseStageJob(job.data, job.id);
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const t0 = performance.now();
      let outcome: StageJobOutcome;
      try {
        outcome = await handleStageJob(stage, runId, deps, { final, signal: shutdown.signal });
      } catch (err) {
        if (shutdown.signal.aborted) {
          // Shutting down past the grace period: hand the job back untouched (no attempt spent).
          await job.moveToDelayed(Date.now(), token);
          throw new DelayedError();
        }
        const service = err instanceof PermanentJobError ? null : infraFault(err, redisPort);
        if (service) {
          // Not the call's fault: back to the queue without spending an attempt; this process waits for the
          // service before taking more. (With Redis down the move fails too: the job's lock then expires and
          // the stalled-job check hands it back once Redis is there again.)
          health.report(service, err);
          await job.moveToDelayed(Date.now() + health.retryDelayMs(), token).catch(() => undefined);
          throw new DelayedError();
        }
        log(`${stage} ${runId}: ${errorMessage(err)}${err instanceof PermanentJobError ? ' (not retried)' : final ? ' (last attempt)' : ' (will retry)'}`);
        if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
        throw err;
      }
      if (outcome.kind === 'busy') {
        // Another worker is running this call (a re-delivered stalled job, a duplicate): look again later.
        await job.moveToDelayed(Date.now() + 500 + Math.floor(Math.random() * 500), token);
        throw new DelayedError();
      }
      if (outcome.kind === 'ran') log(`${stage} ${runId} ${((performance.now() - t0) / 1000).toFixed(2)}s${outcome.next ? ` -> ${outcome.next}` : ' -> done'}`);
      if (outcome.kind === 'ran' && outcome.next === null) {
        // the compliance watch list runs over the call just finished (idempotent; a miss here is caught by the
        // next `callqa watchlist check` or API read, so it never fails the call)
        await watchList.check([runId]).catch((err: unknown) => log(`watch list ${runId}: ${errorMessage(err)}`));
      }
      return outcome;
    };
    const w = new Worker<StageJob, StageJobOutcome>(stage, processor, {
      connection: ctx.redis,
      prefix: ctx.cfg.prefix,
      concurrency: opts.concurrency[stage] ?? opts.defaultConcurrency,
      lockDuration: ctx.cfg.lockMs,
      stalledInterval: ctx.cfg.stalledIntervalMs,
      // a job whose worker died is re-run; one that kills its worker every time fails after this many
      maxStalledCount: 2,
    });
    w.on('error', (err) => {
      const service = infraFault(err, redisPort);
      if (service) health.report(service, err);
      else log(`${stage} worker: ${errorMessage(err)}`);
    });
    w.on('failed', (job, err) => {
      // Stalled too often: the processor never ran to record it; tell the database (reconcile would too).
      if (job && /stalled more than allowable limit/.test(err.message)) {
        void ctx.store.repo.failRun(job.data.runId, `${stage}: worker died while running this call ${ctx.cfg.lockMs ? '(stalled repeatedly)' : ''}`.trim()).catch(() => undefined);
      }
    });
    workersRef.push(w);
    return w;
  });
  record = publishWorkerRecord(ctx.redis, ctx.cfg.prefix, serve, health);

  // Periodic reconcile, and an immediate one when Redis comes back empty after a restart.
  let lastRedisRunId: string | undefined = await redisRunId(ctx);
  let lastReconcile = Date.now();
  const everyMs = (opts.reconcileEverySec ?? 600) * 1000;
  let reconciling = false;
  const timer = everyMs > 0
    ? setInterval(() => {
        if (reconciling || shutdown.signal.aborted) return;
        reconciling = true;
        void (async () => {
          try {
            const id = await redisRunId(ctx);
            const restarted = id !== undefined && lastRedisRunId !== undefined && id !== lastRedisRunId;
            if (id) lastRedisRunId = id;
            if (restarted || reconcileOwed || Date.now() - lastReconcile >= everyMs) {
              reconcileOwed = false;
              lastReconcile = Date.now();
              const r = await reconcile(ctx);
              if (restarted || r.requeued || r.markedFailed) log(`reconcile${restarted ? ' (Redis restarted)' : ''}: ${r.requeued} re-queued, ${r.markedFailed} marked failed`);
            }
          } catch (err) {
            if (infraFault(err)) reconcileOwed = true;
            log(`reconcile: ${errorMessage(err)}`);
          } finally {
            reconciling = false;
          }
        })();
      }, Math.min(everyMs, 5000))
    : undefined;
  timer?.unref();

  let stopping: Promise<void> | undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  const stop = (reason?: string): Promise<void> => {
    if (stopping) return stopping;
    if (reason) log(`${reason}: finishing the jobs in hand (up to ${opts.graceSec ?? 60}s), taking no new ones`);
    if (timer) clearInterval(timer);
    const grace = setTimeout(() => shutdown.abort(), (opts.graceSec ?? 60) * 1000);
    stopping = (async () => {
      try {
        await Promise.all(workers.map((w) => w.close()));
      } finally {
        clearTimeout(grace);
        health.stop();
        await record?.stop();
        await locks.close().catch(() => undefined);
        resolveStopped();
      }
    })();
    return stopping;
  };
  return { stages: serve, stop, stopped, reconcileResult };
}

async function redisRunId(ctx: QueueContext): Promise<string | undefined> {
  try {
    const info = await ctx.redis.info('server');
    return /run_id:(\w+)/.exec(info)?.[1];
  } catch {
    return undefined;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}
