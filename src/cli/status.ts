import { Command, InvalidArgumentError } from 'commander';
import Table from 'cli-table3';
import { queueStatus, type QueueStatus } from '../services/operations.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('recordings by state, queue depths per stage, throughput, per-stage timing and recent failures')
    .addHelpText('after', '\nExit codes: 0 ok; 3 PostgreSQL or Redis unreachable (status says which, and what each worker is waiting for since when); 2 neither reachable or bad configuration.')
    .option('--json', 'machine-readable (pending, active, completed, failed, queues, stages, throughput, recentFailures)')
    .option('--window <sec>', 'timing statistics over the stage runs of the last <sec> seconds', '3600')
    .action(async (opts: { json?: boolean; window: string }) => {
      // a server being down is what status must explain, not a reason to print nothing
      const s: QueueStatus = await queueStatus({ timingWindowSec: windowSec(opts.window) });
      if (opts.json) process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      else process.stdout.write(`${formatStatus(s)}\n`);
      // 3: a server is unreachable (the report above says which and what the workers are doing)
      if (!s.services.database.reachable || !s.services.redis.reachable) process.exitCode = 3;
    });
}

export function formatStatus(s: QueueStatus): string {
  const plain = { style: { head: [], border: [] } };
  const out: string[] = [];
  const clock = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour12: false });
  if (!s.services.database.reachable) out.push(`database: UNREACHABLE (${s.services.database.error}); counts below are from Redis only`);
  if (!s.services.redis.reachable) out.push(`Redis: UNREACHABLE (${s.services.redis.error}); no job can be taken or handed on until it is back`);
  // what the workers say they are doing: the truth behind "active" when a server is down
  for (const w of s.workers) {
    const what = w.waiting.length
      ? w.waiting.map((x) => `waiting for ${x.service === 'database' ? 'the database' : 'Redis'} since ${clock(x.since)} (${x.error})`).join('; ')
      : 'running';
    out.push(`worker ${w.host}:${w.pid} [${w.stages.join(',')}]: ${what}`);
  }
  if (s.services.redis.reachable && s.workers.length === 0) out.push('workers: none running');
  if (s.services.database.reachable) {
    out.push(`recordings: ${s.pending} pending, ${s.active} active, ${s.completed} completed, ${s.failed} failed`);
  }
  const t = s.throughput.map((x) => `${x.done} in ${x.windowSec >= 3600 ? `${x.windowSec / 3600} h` : `${x.windowSec / 60} min`}`);
  if (t.length) out.push(`finished: ${t.join(', ')} (${s.throughput[1]?.callsPerMinute ?? 0} calls/min over 15 min)`);
  const q = new Table({ head: ['stage', 'waiting', 'active', 'delayed', 'failed', 'workers', 'runs', 'mean s', 'p50 s', 'p95 s'], ...plain });
  for (const d of s.queues) {
    const st = s.stages.find((x) => x.stage === d.stage);
    const f = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(2));
    q.push([d.stage, d.waiting, d.active, d.delayed, d.failed, d.workers, st?.count ?? 0, f(st?.meanSec), f(st?.p50Sec), f(st?.p95Sec)]);
  }
  if (s.queues.length) out.push(q.toString());
  if (s.recentFailures.length) {
    out.push('recent failures (callqa retry runs them again):');
    for (const f of s.recentFailures) out.push(`  ${f.file} [${f.stage ?? '-'}] ${f.error ?? ''}`);
  }
  return out.join('\n');
}

/** The timing window, seconds above 0; `--window 1h` or `-5` is a usage error, not the default or nothing. */
function windowSec(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`--window: a number of seconds above 0, got ${JSON.stringify(v)}`);
  return n;
}
