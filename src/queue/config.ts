/**
 * Queue configuration from the environment, validated where it enters. Every queue command (enqueue,
 * worker, status, retry, reconcile, watch) needs the same three things: Redis for the jobs, a PostgreSQL
 * server for the data (the embedded PGlite serves one process; workers are many), and a storage root every
 * worker can read. Unreachable services fail at start-up with one clear line, not at the first job.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { ConfigError, errorMessage } from '../core/errors.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const intFromEnv = (name: string, min: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name}: a whole number`)
    .transform(Number)
    .refine((n) => n >= min, `${name}: at least ${min}`)
    .optional();

const EnvSchema = z.object({
  REDIS_URL: z
    .string()
    .trim()
    .refine((v) => /^rediss?:\/\//.test(v), 'REDIS_URL: must start with redis:// or rediss://')
    .optional(),
  DATABASE_URL: z.string().trim().min(1, 'DATABASE_URL: empty').optional(),
  CALLQA_STORAGE_DIR: z.string().trim().min(1).optional(),
  /** Redis key prefix: one prefix per deployment (and per test) keeps queues apart on a shared Redis */
  CALLQA_QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]+$/, 'CALLQA_QUEUE_PREFIX: letters, digits, _ . - only')
    .optional(),
  CALLQA_JOB_ATTEMPTS: intFromEnv('CALLQA_JOB_ATTEMPTS', 1),
  CALLQA_JOB_BACKOFF_MS: intFromEnv('CALLQA_JOB_BACKOFF_MS', 1),
  /** how long a worker's claim on a job lasts without renewal; a killed worker's job is recovered after it */
  CALLQA_LOCK_MS: intFromEnv('CALLQA_LOCK_MS', 500),
  CALLQA_STALLED_INTERVAL_MS: intFromEnv('CALLQA_STALLED_INTERVAL_MS', 200),
});

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
export function queueConfigFromEnv(env: NodeJS.ProcessEnv = process.env): QueueConfig {
  const picked = Object.fromEntries(Object.keys(EnvSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const r = EnvSchema.safeParse(picked);
  if (!r.success) throw new ConfigError(r.error.issues.map((i) => i.message).join('; '));
  const e = r.data;
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
