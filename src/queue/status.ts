/**
 * Where the work stands: recordings by state (from the database, the record), queue depths per stage (from
 * Redis), throughput and per-stage timing (from the saved stage outputs), and the newest failures.
 */
import type { StageDepth } from './bull.js';
import type { QueueContext } from './context.js';
import type { StageTimingStats } from '../store/queue-repo.js';

export interface QueueStatus {
  /** runs (one per recording and pipeline version) by state: pending = enqueued, active = a stage running */
  pending: number;
  active: number;
  completed: number;
  failed: number;
  queues: StageDepth[];
  stages: StageTimingStats[];
  throughput: { windowSec: number; done: number; failed: number; callsPerMinute: number }[];
  recentFailures: { runId: string; file: string; stage: string | null; error: string | null; finishedAt: string | null }[];
  prefix: string;
}

export async function queueStatus(ctx: QueueContext, opts: { timingWindowSec?: number } = {}): Promise<QueueStatus> {
  const [counts, queues, stages, failures, ...tp] = await Promise.all([
    ctx.store.repo.countRunsByStatus(),
    ctx.queues.depths(),
    ctx.qrepo.stageTimings(opts.timingWindowSec ?? 3600),
    ctx.store.repo.listRuns({ status: 'failed', limit: 10 }),
    ctx.qrepo.throughput(60),
    ctx.qrepo.throughput(900),
    ctx.qrepo.throughput(3600),
  ]);
  const order = new Map(ctx.stages.map((s, i) => [s.name as string, i]));
  stages.sort((a, b) => (order.get(a.stage) ?? 99) - (order.get(b.stage) ?? 99));
  return {
    pending: counts.pending,
    active: counts.running,
    completed: counts.done,
    failed: counts.failed,
    queues,
    stages,
    throughput: tp.map((t) => ({ ...t, callsPerMinute: Math.round((t.done / (t.windowSec / 60)) * 100) / 100 })),
    recentFailures: failures.map((r) => ({
      runId: r.id,
      file: r.fileName,
      stage: r.stage,
      error: r.error,
      finishedAt: r.finishedAt ? r.finishedAt.toISOString() : null,
    })),
    prefix: ctx.cfg.prefix,
  };
}
