/**
 * PostgreSQL unreachable for much longer than the retry budget, with real worker processes, real Redis and
 * a real PostgreSQL (the cut: this test's database refuses connections and its sessions are terminated;
 * the server and everyone else's databases are untouched). Before, every job picked up during the cut burnt
 * its attempts and the calls ended failed; now the worker waits without spending attempts, `callqa status`
 * says what is happening, and every call ends done once the database is back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infraFault } from '../src/queue/infra.js';
import { resolvePipeline } from '../src/pipeline/loader.js';
import { openQueueContext, type QueueContext } from '../src/queue/context.js';
import { enqueueRecording, type EnqueueRequest } from '../src/queue/enqueue.js';
import { admin, deleteKeys, makeCall as makeCallIn, queueTestEnv, REDIS_URL, waitFor } from './support/queue-env.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'src', 'cli', 'bin.js');

const { dbName, prefix, dir, pipelinesDir, env } = queueTestEnv('qinfra', {
  // a retry budget of ~0.3 s: a 6 s outage is twenty times longer
  CALLQA_JOB_ATTEMPTS: '2',
  CALLQA_JOB_BACKOFF_MS: '100',
  CALLQA_LOCK_MS: '3000',
  CALLQA_STALLED_INTERVAL_MS: '1000',
});
env.CALLQA_PIPELINES_DIR = pipelinesDir;

let ctx: QueueContext;
let redis: Redis;
let req: EnqueueRequest;
const children: ChildProcess[] = [];

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout!.on('data', (d) => (stdout += d));
    c.stderr!.on('data', (d) => (stderr += d));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  await admin(`create database "${dbName}"`);
  mkdirSync(pipelinesDir, { recursive: true });
  copyFileSync(path.join(ROOT, 'pipelines', 'support-en.yaml'), path.join(pipelinesDir, 'support-en.yaml'));
  process.env.CALLQA_PIPELINES_DIR = pipelinesDir;
  ctx = await openQueueContext({ env });
  redis = new Redis(REDIS_URL);
  req = { pipeline: resolvePipeline('support-en'), pipelineRef: 'support-en', options: { transcribe: false } };
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await admin(`alter database "${dbName}" allow_connections true`).catch(() => undefined);
  await ctx?.close().catch(() => undefined);
  if (redis) {
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
  }
  await admin(`drop database if exists "${dbName}" with (force)`);
  rmSync(dir, { recursive: true, force: true });
});

describe('infrastructure faults are not the call\'s fault', () => {
  it('classifies connection errors by service, and leaves other errors to the call', () => {
    expect(infraFault(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', port: 5432 }), 6379)).toBe('database');
    expect(infraFault(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED', port: 6379 }), 6379)).toBe('redis');
    expect(infraFault(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe('database');
    expect(infraFault(new Error('Connection terminated unexpectedly'))).toBe('database');
    expect(infraFault(new Error('x', { cause: Object.assign(new Error('database "d" is not currently accepting connections'), { code: '55000' }) }))).toBe('database');
    expect(infraFault(new Error('Connection is closed.'))).toBe('redis');
    expect(infraFault(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeNull();
    expect(infraFault(new Error('ffmpeg failed (exit 1)'))).toBeNull();
  });

  it('PostgreSQL cut for 6 s (20x the retry budget): the worker waits, status says so, every call ends done, none failed', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const f = makeCallIn(dir, `infra-${i}.wav`, 40 + i, 6, [{ speaker: 'agent', start: 0.2, end: 1.8, text: 'thank you for calling, my name is Sam' }]);
      ids.push((await enqueueRecording(ctx, { path: f, displayName: path.basename(f) }, req)).runId!);
    }
    const worker = spawn(process.execPath, [BIN, 'worker', '--reconcile-every', '0'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(worker);
    let log = '';
    worker.stderr!.on('data', (d) => (log += d));
    await waitFor('a first call done', async () => (await ctx.store.repo.countRunsByStatus()).done >= 1, 60_000, () => log);

    await admin(`alter database "${dbName}" allow_connections false`);
    await admin('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
    const cutAt = Date.now();
    try {
      await waitFor('the worker to say it waits for the database', async () => /waiting for the database since/.test(log), 20_000, () => log);
      const st = await run(['status']);
      expect(st.code, st.stdout + st.stderr).toBe(3);
      expect(st.stdout).toMatch(/database: UNREACHABLE/);
      expect(st.stdout).toMatch(/worker [^\s]+:\d+ \[probe,audio,transcribe,detect,score\]: waiting for the database since \d\d:\d\d:\d\d/);
      const json = JSON.parse((await run(['status', '--json'])).stdout) as { services: { database: { reachable: boolean } }; workers: { state: string }[] };
      expect(json.services.database.reachable).toBe(false);
      expect(json.workers.map((w) => w.state)).toEqual(['waiting']);
      const left = 6000 - (Date.now() - cutAt);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    } finally {
      await admin(`alter database "${dbName}" allow_connections true`);
    }

    await waitFor(
      'all calls done',
      async () => {
        const runs = await Promise.all(ids.map((i) => ctx.store.repo.getRun(i).catch(() => null)));
        return runs.every((r) => r?.status === 'done');
      },
      90_000,
      () => log,
    );
    const counts = await ctx.store.repo.countRunsByStatus();
    expect(counts.failed).toBe(0);
    const depths = await ctx.queues.depths();
    expect(depths.reduce((n, d) => n + d.failed, 0)).toBe(0);
    expect(log).toMatch(/the database is reachable again after \d+ s; taking jobs/);
    const st = await run(['status']);
    expect(st.code).toBe(0);
    expect(st.stdout).toMatch(/\]: running/);
    worker.kill('SIGTERM');
  });

  it('a stage over its time budget fails the call at once, without retries', async () => {
    // a 2-minute call with a 0.1 s budget per stage: its audio stage (decode + voice activity) cannot make it
    const f = makeCallIn(dir, 'budget.wav', 77, 120, [{ speaker: 'agent', start: 0.2, end: 1.8, text: 'hello' }]);
    const runId = (await enqueueRecording(ctx, { path: f, displayName: 'budget.wav' }, req)).runId!;
    const worker = spawn(process.execPath, [BIN, 'worker', '--reconcile-every', '0'], {
      env: { ...env, CALLQA_STAGE_BUDGET_SEC: '0.1', CALLQA_STAGE_BUDGET_X: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(worker);
    let log = '';
    worker.stderr!.on('data', (d) => (log += d));
    const run = await waitFor('the call failed', async () => {
      const r = await ctx.store.repo.getRun(runId);
      return r?.status === 'failed' ? r : undefined;
    }, 60_000, () => log);
    expect(run.error).toMatch(/^budget\.wav: the \w+ stage took longer than its 0\.1 s budget and was stopped/);
    // the worker logs the failure after the run is marked failed: wait for the line rather than race it
    await waitFor('the worker to log the failure', async () => /\(not retried\)/.test(log), 30_000, () => log);
    // and BullMQ moves the job to failed after the processor has thrown (and logged): wait for that too
    const failed = await waitFor('the job in the failed set', async () => {
      const jobs = (await Promise.all(ctx.stages.map((s) => ctx.queues.failedJobs(s.name)))).flat().filter((j) => j.runId === runId);
      return jobs.length > 0 ? jobs : undefined;
    }, 30_000, () => log);
    expect(failed).toHaveLength(1);
    expect(failed[0].attemptsMade).toBe(1);
    worker.kill('SIGTERM');
  });

  it('a worker started while a server is down waits for it (SIGTERM ends the wait, exit 0); a configuration error still exits 2', async () => {
    const waiting = spawn(process.execPath, [BIN, 'worker'], { env: { ...env, REDIS_URL: 'redis://127.0.0.1:1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(waiting);
    let log = '';
    waiting.stderr!.on('data', (d) => (log += d));
    await waitFor('the worker to say it waits', async () => /callqa worker \d+: waiting since \S+: cannot connect to Redis at 127\.0\.0\.1:1/.test(log), 30_000, () => log);
    const code = new Promise((r) => waiting.once('exit', (c) => r(c)));
    waiting.kill('SIGTERM');
    expect(await code).toBe(0);

    const u = new URL(env.DATABASE_URL!);
    u.pathname = '/callqa_no_such_database_here';
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const c = spawn(process.execPath, [BIN, 'worker'], { env: { ...env, DATABASE_URL: u.toString() }, stdio: ['ignore', 'ignore', 'pipe'] });
      children.push(c);
      let stderr = '';
      c.stderr!.on('data', (d) => (stderr += d));
      c.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/database does not exist/);
  });
});
