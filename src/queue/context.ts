/**
 * Everything a queue command needs, opened in one place with fail-fast checks: the environment, Redis
 * (PING), PostgreSQL (connect, migrate, refuse a schema newer than this build), the storage and the stage
 * queues. Close it once at the end.
 */
import type { Redis } from 'ioredis';
import { ConfigError } from '../core/errors.js';
import { STAGES } from '../pipeline/graph.js';
import type { Stage } from '../pipeline/stage.js';
import { openStore, type Store } from '../store/index.js';
import { ContentLocks, QueueRepository } from '../store/queue-repo.js';
import { StageQueues } from './bull.js';
import { connectRedis, queueConfigFromEnv, type QueueConfig } from './config.js';
import { artifactScope, storageFor, type RecordingStorage } from './storage.js';

export interface QueueContext {
  cfg: QueueConfig;
  redis: Redis;
  store: Store;
  qrepo: QueueRepository;
  storage: RecordingStorage;
  /** one enqueue at a time per recording content (enqueue.ts) */
  contentLocks: ContentLocks;
  queues: StageQueues;
  stages: readonly Stage[];
  close(): Promise<void>;
}

export interface OpenQueueOptions {
  env?: NodeJS.ProcessEnv;
  /** override the graph (tests) */
  stages?: readonly Stage[];
  /** PostgreSQL pool size */
  maxConnections?: number;
}

export async function openQueueContext(opts: OpenQueueOptions = {}): Promise<QueueContext> {
  const cfg = queueConfigFromEnv(opts.env);
  const stages = opts.stages ?? STAGES;
  checkGraph(stages);
  const redis = await connectRedis(cfg.redisUrl, { name: 'callqa' });
  let store: Store;
  try {
    store = await openStore({ databaseUrl: cfg.databaseUrl, maxConnections: opts.maxConnections });
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  const queues = new StageQueues(redis, cfg, stages);
  const contentLocks = new ContentLocks(cfg.databaseUrl);
  return {
    cfg,
    redis,
    store,
    qrepo: new QueueRepository(store.db),
    storage: storageFor(cfg.storageDir, artifactScope(cfg.prefix, cfg.databaseUrl)),
    contentLocks,
    queues,
    stages,
    async close() {
      await queues.close().catch(() => undefined);
      redis.disconnect();
      await contentLocks.close().catch(() => undefined);
      await store.close();
    },
  };
}

/** Every stage of the graph has a queue, with no name twice, checked at boot rather than at the first job. */
function checkGraph(stages: readonly Stage[]): void {
  if (stages.length === 0) throw new ConfigError('the pipeline graph has no stages');
  const seen = new Set<string>();
  for (const s of stages) {
    if (seen.has(s.name)) throw new ConfigError(`stage "${s.name}" appears twice in the pipeline graph`);
    seen.add(s.name);
  }
}

