/**
 * Queue configuration from the environment, validated where it enters. Every queue command (enqueue,
 * worker, status, retry, reconcile, watch) needs the same three things: Redis for the jobs, a PostgreSQL
 * server for the data (the embedded PGlite serves one process; workers are many), and a storage root every
 * worker can read. Unreachable services fail at start-up with one clear line, not at the first job.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { env, parseEnv } from '../config/env.js';
import { ConfigError, errorMessage } from '../core/errors.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface QueueConfig {
  redisUrl: string;
  databaseUrl: string;
  /** where enqueue copies recordings; undefined = recordings stay where they are (a path every worker sees) */
  storageDir?: string;
  prefix: string;
  attempts: number;
  backoffMs: number;
  lockMs: number;
  stalledIntervalMs: number;
}

/** Reads and checks the environment; throws ConfigError naming the variable. */
export function queueConfigFromEnv(source?: NodeJS.ProcessEnv): QueueConfig {
  const e = source ? parseEnv(source) : env();
  if (!e.DATABASE_URL) {
    throw new ConfigError(
      'DATABASE_URL is not set: queue workers share a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/callqa); ' +
        'the embedded database serves one process (use callqa analyze for that)',
    );
  }
  let storageDir: string | undefined;
  if (e.CALLQA_STORAGE_DIR) {
    storageDir = path.resolve(e.CALLQA_STORAGE_DIR);
    try {
      mkdirSync(storageDir, { recursive: true });
      if (!statSync(storageDir).isDirectory()) throw new Error('not a directory');
      accessSync(storageDir, constants.R_OK | constants.W_OK);
    } catch (err) {
      throw new ConfigError(`CALLQA_STORAGE_DIR ${storageDir} is unusable: ${errorMessage(err)}`, { cause: err });
    }
  }
  return {
    redisUrl: e.REDIS_URL ?? DEFAULT_REDIS_URL,
    databaseUrl: e.DATABASE_URL,
    storageDir,
    prefix: e.CALLQA_QUEUE_PREFIX ?? 'callqa',
    attempts: e.CALLQA_JOB_ATTEMPTS ?? 6,
    backoffMs: e.CALLQA_JOB_BACKOFF_MS ?? 1000,
    lockMs: e.CALLQA_LOCK_MS ?? 30_000,
    stalledIntervalMs: e.CALLQA_STALLED_INTERVAL_MS ?? 30_000,
  };
}

/** host:port/db of a Redis URL, without credentials, for messages. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || '127.0.0.1'}:${u.port || '6379'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return '(unparseable REDIS_URL)';
  }
}

/**
 * A Redis connection for BullMQ (`maxRetriesPerRequest: null`, as BullMQ requires for blocking commands),
 * checked with PING before anything else runs. Unreachable -> ConfigError at once, not a hang.
 */
export async function connectRedis(url: string, opts: { timeoutMs?: number; name?: string } = {}): Promise<Redis> {
  const where = describeRedisUrl(url);
  const timeoutMs = opts.timeoutMs ?? 3000;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: timeoutMs, retryStrategy: () => null });
  let lastError: unknown;
  probe.on('error', (err) => (lastError = err));
  try {
    await probe.connect();
    await probe.ping();
    const policy = (await probe.config('GET', 'maxmemory-policy').catch(() => [])) as string[];
    if (policy[1] && policy[1] !== 'noeviction') {
      process.stderr.write(`callqa: warning: Redis at ${where} has maxmemory-policy ${policy[1]}; BullMQ needs noeviction or jobs may vanish\n`);
    }
  } catch (err) {
    throw new ConfigError(`cannot connect to Redis at ${where} (REDIS_URL): ${redisReason(lastError ?? err)}`, { cause: lastError ?? err });
  } finally {
    probe.disconnect();
  }
  const conn = new Redis(url, { maxRetriesPerRequest: null, connectionName: opts.name });
  // Errors while connected (Redis restarting) are retried by ioredis; unhandled they would crash the process.
  conn.on('error', () => undefined);
  return conn;
}

function redisReason(err: unknown): string {
  const e = err as { code?: string; errors?: Array<{ code?: string }> };
  return e.code ?? e.errors?.find((x) => x.code)?.code ?? errorMessage(err);
}
