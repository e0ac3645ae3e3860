/**
 * Where the work stands: recordings by state (from the database, the record), queue depths per stage (from
 * Redis), throughput and per-stage timing (from the saved stage outputs), and the newest failures.
 */
import type { Redis } from 'ioredis';
import { ConfigError, errorMessage } from '../core/errors.js';
import { STAGES } from '../pipeline/graph.js';
import { openStore, type Store } from '../store/index.js';
import { QueueRepository, type StageTimingStats } from '../store/queue-repo.js';
import { StageQueues, type StageDepth } from './bull.js';
import { connectRedis, queueConfigFromEnv } from './config.js';
import type { QueueContext } from './context.js';
import { readWorkerRecords, type WorkerRecord } from './infra.js';

export interface QueueStatus {
  /** runs (one per recording and pipeline version) by state: pending = enqueued, active = a stage running */
  pending: number | null;
  active: number | null;
  completed: number | null;
  failed: number | null;
  queues: StageDepth[];
  stages: StageTimingStats[];
  throughput: { windowSec: number; done: number; failed: number; callsPerMinute: number }[];
  recentFailures: { runId: string; file: string; stage: string | null; error: string | null; finishedAt: string | null }[];
  prefix: string;
  /** the live worker processes (their records in Redis) and what each is doing: running, or waiting for a service */
  workers: WorkerRecord[];
  /** which of the two servers `status` itself could reach; counts from an unreachable one are absent (null) */
  services: { database: ServiceState; redis: ServiceState };
}

export interface ServiceState {
  reachable: boolean;
  /** why not, when not */
  error?: string;
}

export async function queueStatus(ctx: QueueContext, opts: { timingWindowSec?: number } = {}): Promise<QueueStatus> {
  return collect({ store: ctx.store, qrepo: ctx.qrepo, queues: ctx.queues, redis: ctx.redis, stages: ctx.stages.map((s) => s.name), prefix: ctx.cfg.prefix }, opts);
}

/**
 * `callqa status` when a server may be down: whatever can be reached is reported, and what cannot is said
 * (with the workers' own account, from Redis, of what they are waiting for). Throws only when neither
 * PostgreSQL nor Redis answers.
 */
export async function queueStatusFromEnv(opts: { timingWindowSec?: number; env?: NodeJS.ProcessEnv } = {}): Promise<QueueStatus> {
  const cfg = queueConfigFromEnv(opts.env);
  const [redis, store] = await Promise.all([
    connectRedis(cfg.redisUrl, { name: 'callqa-status' }).catch((err: unknown) => err as Error),
    openStore({ databaseUrl: cfg.databaseUrl, maxConnections: 4 }).catch((err: unknown) => err as Error),
  ]);
  if (redis instanceof Error && store instanceof Error) throw new ConfigError(`${errorMessage(store)}; ${errorMessage(redis)}`);
  const queues = redis instanceof Error ? undefined : new StageQueues(redis, cfg, STAGES);
  try {
    return await collect(
      {
        store: store instanceof Error ? undefined : store,
        qrepo: store instanceof Error ? undefined : new QueueRepository(store.db),
        queues,
        redis: redis instanceof Error ? undefined : redis,
        stages: STAGES.map((s) => s.name),
        prefix: cfg.prefix,
        dbError: store instanceof Error ? errorMessage(store) : undefined,
        redisError: redis instanceof Error ? errorMessage(redis) : undefined,
      },
      opts,
    );
  } finally {
    await queues?.close().catch(() => undefined);
    if (!(redis instanceof Error)) redis.disconnect();
    if (!(store instanceof Error)) await store.close().catch(() => undefined);
  }
}

interface Sources {
  store?: Store;
  qrepo?: QueueRepository;
  queues?: StageQueues;
  redis?: Redis;
  stages: string[];
  prefix: string;
  dbError?: string;
  redisError?: string;
}

async function collect(src: Sources, opts: { timingWindowSec?: number }): Promise<QueueStatus> {
  const { store, qrepo } = src;
  const none = async <T>(v: T) => v;
  const [counts, queues, stages, failures, workers, ...tp] = await Promise.all([
    store ? store.repo.countRunsByStatus() : none(null),
    src.queues ? src.queues.depths() : none([] as StageDepth[]),
    qrepo ? qrepo.stageTimings(opts.timingWindowSec ?? 3600) : none([] as StageTimingStats[]),
    store ? store.repo.listRuns({ status: 'failed', limit: 10 }) : none([]),
    src.redis ? readWorkerRecords(src.redis, src.prefix).catch(() => [] as WorkerRecord[]) : none([] as WorkerRecord[]),
    qrepo ? qrepo.throughput(60) : none(null),
    qrepo ? qrepo.throughput(900) : none(null),
    qrepo ? qrepo.throughput(3600) : none(null),
  ]);
  const order = new Map(src.stages.map((s, i) => [s, i]));
  stages.sort((a, b) => (order.get(a.stage) ?? 99) - (order.get(b.stage) ?? 99));
  return {
    pending: counts?.pending ?? null,
    active: counts?.running ?? null,
    completed: counts?.done ?? null,
    failed: counts?.failed ?? null,
    queues,
    stages,
    throughput: tp.filter((t) => t !== null).map((t) => ({ ...t, callsPerMinute: Math.round((t.done / (t.windowSec / 60)) * 100) / 100 })),
    recentFailures: failures.map((r) => ({
      runId: r.id,
      file: r.fileName,
      stage: r.stage,
      error: r.error,
      finishedAt: r.finishedAt ? r.finishedAt.toISOString() : null,
    })),
    prefix: src.prefix,
    workers,
    services: {
      database: src.dbError ? { reachable: false, error: src.dbError } : { reachable: true },
      redis: src.redisError ? { reachable: false, error: src.redisError } : { reachable: true },
    },
  };
}
