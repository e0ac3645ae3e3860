import { Command } from 'commander';
import Table from 'cli-table3';
import { openQueueContext } from '../queue/context.js';
import { queueStatus, type QueueStatus } from '../queue/status.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('recordings by state, queue depths per stage, throughput, per-stage timing and recent failures')
    .option('--json', 'machine-readable (pending, active, completed, failed, queues, stages, throughput, recentFailures)')
    .option('--window <sec>', 'timing statistics over the stage runs of the last <sec> seconds', '3600')
    .action(async (opts: { json?: boolean; window: string }) => {
      const ctx = await openQueueContext({ maxConnections: 4 });
      let s: QueueStatus;
      try {
        s = await queueStatus(ctx, { timingWindowSec: Number(opts.window) || 3600 });
      } finally {
        await ctx.close();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      else process.stdout.write(`${formatStatus(s)}\n`);
    });
}

export function formatStatus(s: QueueStatus): string {
  const plain = { style: { head: [], border: [] } };
  const out: string[] = [];
  out.push(`recordings: ${s.pending} pending, ${s.active} active, ${s.completed} completed, ${s.failed} failed`);
  const t = s.throughput.map((x) => `${x.done} in ${x.windowSec >= 3600 ? `${x.windowSec / 3600} h` : `${x.windowSec / 60} min`}`);
  out.push(`finished: ${t.join(', ')} (${s.throughput[1]?.callsPerMinute ?? 0} calls/min over 15 min)`);
  const q = new Table({ head: ['stage', 'waiting', 'active', 'delayed', 'failed', 'workers', 'runs', 'mean s', 'p50 s', 'p95 s'], ...plain });
  for (const d of s.queues) {
    const st = s.stages.find((x) => x.stage === d.stage);
    const f = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(2));
    q.push([d.stage, d.waiting, d.active, d.delayed, d.failed, d.workers, st?.count ?? 0, f(st?.meanSec), f(st?.p50Sec), f(st?.p95Sec)]);
  }
  out.push(q.toString());
  if (s.recentFailures.length) {
    out.push('recent failures (callqa retry runs them again):');
    for (const f of s.recentFailures) out.push(`  ${f.file} [${f.stage ?? '-'}] ${f.error ?? ''}`);
  }
  return out.join('\n');
}
