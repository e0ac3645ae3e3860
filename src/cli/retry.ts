import { Command } from 'commander';
import { QueueOperations } from '../services/operations.js';

/** `callqa retry` and `callqa reconcile`: the two ways failed or lost work goes back on the queues. */
export function register(program: Command): void {
  program
    .command('retry')
    .description('run failed recordings again from the stage where they failed (all failed, or those named)')
    .argument('[which...]', 'run ids, file names or content hashes (default: every failed run)')
    .option('--list', 'only list failed recordings with their errors')
    .action(async (which: string[], opts: { list?: boolean }) => {
      const ops = await QueueOperations.open({ maxConnections: 4 });
      try {
        if (opts.list) {
          const runs = await ops.failedRuns();
          for (const r of runs) process.stdout.write(`${r.id}  ${r.fileName}  [${r.stage ?? '-'}] ${r.error ?? ''}\n`);
          process.stderr.write(`${runs.length} failed\n`);
          return;
        }
        const done = await ops.retry(which);
        for (const r of done) process.stderr.write(`retrying ${r.file} from ${r.stage} (was: ${r.previousError ?? 'no error recorded'})\n`);
        process.stderr.write(`${done.length} failed recording(s) queued again\n`);
        if (which.length && done.length === 0) process.exitCode = 1;
      } finally {
        await ops.close();
      }
    });

  program
    .command('reconcile')
    .description('re-queue what Redis lost (after a restart without persistence): the database is the record')
    .action(async () => {
      const ops = await QueueOperations.open({ maxConnections: 4 });
      try {
        const r = await ops.reconcile();
        const swept = r.artifactsRemoved ? `; removed the leftover artifacts of ${r.artifactsRemoved} ended run(s)` : '';
        process.stdout.write(`${r.checked} unfinished run(s): ${r.kept} still queued, ${r.requeued} re-queued, ${r.markedFailed} marked failed${swept}\n`);
      } finally {
        await ops.close();
      }
    });
}
