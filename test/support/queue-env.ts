import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import pg from 'pg';

/**
 * What the queue suites share: a unique Redis key prefix and PostgreSQL database per test file (other suites
 * use the same servers), the admin connection, prefix-scoped key deletion, and small sox-made calls with a
 * sidecar transcript (keeps ASR out).
 */
export const REDIS_URL = process.env.CALLQA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN_URL = process.env.CALLQA_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface QueueTestEnv {
  id: string;
  dbName: string;
  prefix: string;
  dir: string;
  pipelinesDir: string;
  dbUrl: string;
  env: NodeJS.ProcessEnv;
}

export function queueTestEnv(tag: string, extra: NodeJS.ProcessEnv): QueueTestEnv {
  const id = randomBytes(5).toString('hex');
  const dbName = `callqa_${tag}_${id}`;
  const prefix = `cq${tag}-${id}`;
  const dir = mkdtempSync(path.join(tmpdir(), `callqa-${tag}-`));
  const pipelinesDir = path.join(dir, 'pipelines');
  const u = new URL(ADMIN_URL);
  u.pathname = `/${dbName}`;
  const dbUrl = u.toString();
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL, DATABASE_URL: dbUrl, CALLQA_QUEUE_PREFIX: prefix, CALLQA_STORAGE_DIR: '', ...extra };
  return { id, dbName, prefix, dir, pipelinesDir, dbUrl, env };
}

export async function admin<T = void>(text: string, params: unknown[] = []): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    return (await c.query(text, params)) as T;
  } finally {
    await c.end();
  }
}

/** Delete the keys matching `pattern` (SCAN, never FLUSHALL: other suites share this Redis); returns how many. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let n = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) n += await redis.del(...keys);
  } while (cursor !== '0');
  return n;
}

/** A short stereo call made with sox, distinct per `n`, with a sidecar transcript. */
export function makeCall(dir: string, name: string, n: number, seconds: number, segments: { speaker: string; start: number; end: number; text: string }[]): string {
  const file = path.join(dir, name);
  execFileSync('sox', ['-n', '-r', '8000', '-c', '2', '-b', '16', file, 'synth', String(seconds), 'sine', String(300 + n * 17), 'sine', String(520 + n * 13), 'tremolo', '1.5', '90']);
  writeFileSync(file.replace(/\.wav$/, '.transcript.json'), JSON.stringify({ language: 'en', segments }));
  return file;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000, diag?: () => string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${diag ? `\n${diag()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
