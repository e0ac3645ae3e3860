import { Command, InvalidArgumentError } from 'commander';
import { errorMessage } from '../core/errors.js';
import { QueueOperations } from '../services/operations.js';

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

/**
 * Seconds, 0 or more. Anything else is a usage error: `--reconcile-every 10m` read as 0 turned off the periodic
 * reconcile and the recovery after a Redis restart without a word; `--grace abc` handed jobs back at once.
 */
export function seconds(v: string, option: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${option}: a number of seconds (0 or more), got ${JSON.stringify(v)}`);
  return n;
}

export async function runWorker(opts: WorkerCliOptions): Promise<number> {
  const reconcileEverySec = seconds(opts.reconcileEvery, '--reconcile-every');
  const graceSec = seconds(opts.grace, '--grace');
  const log = opts.quiet ? () => undefined : (line: string) => process.stderr.write(`${new Date().toISOString()} [${process.pid}] ${line}\n`);
  const ops = await openWaitingForServers(log);
  if (!ops) return 0; // stopped while waiting
  let workers;
  try {
    workers = await ops.startWorkers({
      stages: opts.stages,
      concurrency: opts.concurrency,
      reconcileAtStart: opts.reconcile,
      reconcileEverySec,
      graceSec,
      log,
    });
  } catch (err) {
    await ops.close();
    throw err;
  }
  process.stderr.write(`callqa worker ${process.pid}: serving ${workers.stages.join(', ')} (queue prefix ${ops.prefix}; ${ops.storageDescription})\n`);
  const onSignal = (sig: NodeJS.Signals) => {
    // a second signal stops at once: the jobs in hand are recovered by another worker after the lock expires
    process.once(sig, () => process.exit(130));
    void workers.stop(sig);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  await workers.stopped;
  await ops.close();
  log('stopped');
  return 0;
}

/**
 * A worker (re)started while PostgreSQL or Redis is down waits for them with backoff instead of exiting
 * (QueueOperations.openWhenReachable); a configuration error still stops it at once (exit 2).
 */
async function openWaitingForServers(log: (line: string) => void): Promise<QueueOperations | undefined> {
  let stop = false;
  const onSignal = () => (stop = true);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    return await QueueOperations.openWhenReachable({
      // always said, even with --quiet: the worker is alive but not working
      onWaiting: (since, err) => process.stderr.write(`callqa worker ${process.pid}: waiting since ${since}: ${errorMessage(err)}\n`),
      onReachable: (since) => log(`servers reachable again (waited since ${since})`),
      stopped: () => stop,
    });
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
