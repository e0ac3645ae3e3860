import { Command } from 'commander';
import { errorMessage } from '../core/errors.js';
import { openQueueContext, type QueueContext } from '../queue/context.js';
import { infraFault } from '../queue/infra.js';
import { parseConcurrency, parseStages, startWorkers } from '../queue/worker.js';

interface WorkerCliOptions {
  stages?: string;
  concurrency: string;
  reconcile: boolean;
  reconcileEvery: string;
  grace: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('run queue workers for the pipeline stages until SIGTERM/SIGINT (start as many, on as many machines, as you like)')
    .option('--stages <list>', 'stages to serve, comma-separated (default: all), e.g. transcribe or probe,audio,detect,score')
    .option('--concurrency <spec>', 'jobs at once per stage in this process: N, or N plus stage=N overrides (e.g. 2,transcribe=1)', '1')
    .option('--no-reconcile', 'do not re-queue, at start, what Redis lost')
    .option('--reconcile-every <sec>', 'reconcile this often, and at once after a Redis restart (0 = never)', '600')
    .option('--grace <sec>', 'on SIGTERM, wait this long for the jobs in hand before handing them back to the queue', '60')
    .option('-q, --quiet', 'no per-job log lines')
    .addHelpText(
      'after',
      `
CPU-heavy stages scale by processes, not by --concurrency (one Node process uses one core for analysis):
run one worker process per core, e.g. "callqa worker --stages transcribe" on the machines with the models.

Environment: REDIS_URL, DATABASE_URL (required), CALLQA_STORAGE_DIR, CALLQA_QUEUE_PREFIX,
CALLQA_JOB_ATTEMPTS (default 6), CALLQA_JOB_BACKOFF_MS (first retry delay, doubling; default 1000),
CALLQA_LOCK_MS (job lock, default 30000: a killed worker's job is taken over after about this long),
CALLQA_STALLED_INTERVAL_MS (how often to look for such jobs, default 30000).`,
    )
    .action(async (opts: WorkerCliOptions) => {
      process.exitCode = await runWorker(opts);
    });
}

export async function runWorker(opts: WorkerCliOptions): Promise<number> {
  const log = opts.quiet ? () => undefined : (line: string) => process.stderr.write(`${new Date().toISOString()} [${process.pid}] ${line}\n`);
  const ctx = await openWaitingForServers(log);
  if (!ctx) return 0; // stopped while waiting
  const known = ctx.stages.map((s) => s.name as string);
  let workers;
  try {
    const stages = parseStages(opts.stages, known);
    const { defaultConcurrency, concurrency } = parseConcurrency(opts.concurrency, known);
    workers = await startWorkers(ctx, {
      stages,
      concurrency,
      defaultConcurrency,
      reconcileAtStart: opts.reconcile,
      reconcileEverySec: Number(opts.reconcileEvery) || 0,
      graceSec: Number(opts.grace) || 0,
      log,
    });
  } catch (err) {
    await ctx.close();
    throw err;
  }
  process.stderr.write(
    `callqa worker ${process.pid}: serving ${workers.stages.join(', ')} (queue prefix ${ctx.cfg.prefix}; ${ctx.storage.description})\n`,
  );
  const onSignal = (sig: NodeJS.Signals) => {
    // a second signal stops at once: the jobs in hand are recovered by another worker after the lock expires
    process.once(sig, () => process.exit(130));
    void workers.stop(sig);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  await workers.stopped;
  await ctx.close();
  log('stopped');
  return 0;
}

/**
 * A worker (re)started while PostgreSQL or Redis is down (a host reboot, a failover) waits for them with
 * backoff instead of exiting: the outage is not a configuration error. What is one (a malformed URL, a
 * refused password, a missing database, a schema newer than this build) still stops it at once (exit 2).
 */
async function openWaitingForServers(log: (line: string) => void): Promise<QueueContext | undefined> {
  let stop = false;
  const onSignal = () => (stop = true);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    let delayMs = 500;
    let since: string | undefined;
    for (;;) {
      try {
        const ctx = await openQueueContext();
        if (since) log(`servers reachable again (waited since ${since})`);
        return ctx;
      } catch (err) {
        if (!infraFault(err)) throw err;
        if (!since) {
          since = new Date().toISOString();
          // always said, even with --quiet: the worker is alive but not working
          process.stderr.write(`callqa worker ${process.pid}: waiting since ${since}: ${errorMessage(err)}\n`);
        }
      }
      for (let waited = 0; waited < delayMs && !stop; waited += 100) await new Promise((r) => setTimeout(r, 100));
      if (stop) return undefined;
      delayMs = Math.min(delayMs * 2, 15_000);
    }
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
