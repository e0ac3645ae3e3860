/**
 * The queue runner against a REAL Redis and a REAL PostgreSQL: a unique key prefix and a fresh database per
 * file, both removed afterwards (keys deleted by prefix: other suites share the Redis). Workers run in this
 * process here; test/queue-faults.test.ts kills real worker processes.
 * Redis: CALLQA_TEST_REDIS_URL (default redis://127.0.0.1:6379); PostgreSQL: CALLQA_TEST_PG_ADMIN_URL.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import { resolvePipeline } from '../src/pipeline/loader.js';
import { analyzeFile } from '../src/pipeline/runner.js';
import { queueConfigFromEnv, connectRedis } from '../src/queue/config.js';
import { openQueueContext, type QueueContext } from '../src/queue/context.js';
import { enqueueRecording, reconcile, retryFailed, type EnqueueRequest } from '../src/queue/enqueue.js';
import { handleStageJob, PipelineCache } from '../src/queue/handler.js';
import { queueStatus } from '../src/queue/status.js';
import { startWorkers, type RunningWorkers } from '../src/queue/worker.js';
import { RunLocks } from '../src/store/queue-repo.js';
import { admin, deleteKeys, makeCall as makeCallIn, queueTestEnv, REDIS_URL, waitFor } from './support/queue-env.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { dbName, prefix, dir, pipelinesDir, dbUrl, env } = queueTestEnv('qtest', {
  CALLQA_JOB_ATTEMPTS: '4',
  CALLQA_JOB_BACKOFF_MS: '100',
  CALLQA_LOCK_MS: '3000',
  CALLQA_STALLED_INTERVAL_MS: '1000',
});

const makeCall = (name: string, n: number, seconds = 6): string =>
  makeCallIn(dir, name, n, seconds, [
    { speaker: 'agent', start: 0.2, end: 1.8, text: 'thank you for calling, my name is Sam, how can I help you' },
    { speaker: 'customer', start: 2.0, end: 3.5, text: 'my bill is wrong' },
  ]);

let ctx: QueueContext;
let redis: Redis;
let req: EnqueueRequest;

async function runsSettled(n: number) {
  return waitFor(`${n} runs to finish`, async () => {
    const c = await ctx.store.repo.countRunsByStatus();
    return c.done + c.failed >= n && c.pending + c.running === 0 ? c : undefined;
  });
}

async function withWorkers<T>(fn: (w: RunningWorkers) => Promise<T>, stages?: Parameters<typeof startWorkers>[1]['stages']): Promise<T> {
  const w = await startWorkers(ctx, { stages, concurrency: {}, defaultConcurrency: 2, reconcileEverySec: 0, graceSec: 5 });
  try {
    return await fn(w);
  } finally {
    await w.stop();
  }
}

beforeAll(async () => {
  await admin(`create database "${dbName}"`);
  mkdirSync(pipelinesDir, { recursive: true });
  // A snapshot of a real program (with a scorecard: its rows are insert-only, so a call completed twice shows)
  copyFileSync(path.join(ROOT, 'pipelines', 'support-en.yaml'), path.join(pipelinesDir, 'support-en.yaml'));
  process.env.CALLQA_PIPELINES_DIR = pipelinesDir;
  ctx = await openQueueContext({ env });
  redis = new Redis(REDIS_URL);
  req = { pipeline: resolvePipeline('support-en'), pipelineRef: 'support-en', options: { transcribe: false } };
});

afterAll(async () => {
  await ctx?.close();
  if (redis) {
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
  }
  await admin(`drop database if exists "${dbName}" with (force)`);
  rmSync(dir, { recursive: true, force: true });
});

describe('queue: configuration fails fast', () => {
  it('names the missing or unreachable service', async () => {
    expect(() => queueConfigFromEnv({ REDIS_URL })).toThrow(/DATABASE_URL is not set/);
    expect(() => queueConfigFromEnv({ DATABASE_URL: dbUrl, REDIS_URL: 'http://x' })).toThrow(/REDIS_URL: must start with redis:\/\//);
    expect(() => queueConfigFromEnv({ DATABASE_URL: dbUrl, CALLQA_JOB_ATTEMPTS: 'many' })).toThrow(ConfigError);
    await expect(connectRedis('redis://127.0.0.1:1', { timeoutMs: 1000 })).rejects.toThrow(/cannot connect to Redis at 127\.0\.0\.1:1 \(REDIS_URL\): ECONNREFUSED/);
    await expect(
      openQueueContext({ env: { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' } }),
    ).rejects.toThrow(/cannot connect to PostgreSQL at 127\.0\.0\.1:1/);
  });
});

describe('queue: enqueue -> workers -> the database', () => {
  it('analyses every call once, with the same results as the in-process runner; a file again is not queued twice, a copy under another name is a duplicate', async () => {
    const files = [makeCall('a.wav', 1), makeCall('b.wav', 2), makeCall('c.wav', 3)];
    copyFileSync(files[0], path.join(dir, 'a-copy.wav'));
    copyFileSync(files[0].replace(/\.wav$/, '.transcript.json'), path.join(dir, 'a-copy.transcript.json'));
    const outcomes = [];
    for (const f of [...files, files[0], path.join(dir, 'a-copy.wav')]) {
      outcomes.push(await enqueueRecording(ctx, { path: f, displayName: path.basename(f) }, req));
    }
    expect(outcomes.map((o) => o.status)).toEqual(['queued', 'queued', 'queued', 'in-progress', 'duplicate']);
    expect(outcomes[3].runId).toBe(outcomes[0].runId);
    // the copy would have taken over a.wav's recording (its name, metadata and transcript): skipped, naming it
    expect(outcomes[4]).toMatchObject({ file: 'a-copy.wav', duplicateOf: 'a.wav' });
    expect(outcomes[4].runId).toBeUndefined();
    const depth = await ctx.queues.depths();
    expect(depth.find((d) => d.stage === ctx.stages[0].name)?.waiting).toBe(3);
    const pending = await queueStatus(ctx);
    expect(pending).toMatchObject({ pending: 3, active: 0, completed: 0, failed: 0 });

    await withWorkers(async () => {
      await runsSettled(3);
    });

    const s = await queueStatus(ctx);
    expect(s).toMatchObject({ pending: 0, active: 0, completed: 3, failed: 0 });
    expect(s.stages.map((x) => x.stage)).toEqual(ctx.stages.map((x) => x.name));
    for (const d of s.queues) expect(d.waiting + d.active + d.delayed + d.failed).toBe(0);

    const runs = await ctx.store.repo.listRuns({ limit: 10 });
    const scorecards = await ctx.store.db.execute<{ n: string }>(
      // eslint-disable-next-line
      (await import('drizzle-orm')).sql`select run_id, count(*) as n from scorecards group by run_id`,
    );
    const cardRows = (scorecards as unknown as { rows: Array<{ run_id: string; n: string }> }).rows;
    for (const run of runs) {
      expect(run.status).toBe('done');
      expect(run.attempts).toBe(1);
      const report = await ctx.store.repo.getRunReport(run.id);
      expect(report?.stages.map((x) => x.stage)).toEqual(ctx.stages.map((x) => x.name));
      expect(report?.transcript?.engine).toBeDefined();
      expect(report?.recording.durationSec).toBeCloseTo(6, 1);
      expect(cardRows.find((r) => r.run_id === run.id)?.n ?? '0').toBe('1');
    }

    // Asked again: answered from the database
    expect((await enqueueRecording(ctx, { path: files[1], displayName: 'b.wav' }, req)).status).toBe('cached');

    // The in-process runner on the same call produces the same events and metrics
    const queued = await ctx.store.repo.getRunReport(outcomes[1].runId!);
    const local = await analyzeFile(
      { path: files[1], displayName: 'b.wav' },
      { repo: ctx.store.repo, pipeline: req.pipeline, options: req.options, force: true, versions: {} },
    );
    expect(local.status).toBe('done');
    if (local.status !== 'done') return;
    expect(local.report.events).toEqual(queued?.events);
    expect(local.report.run.metrics).toEqual(queued?.run.metrics);
  });

  it('bad input fails once, clearly, without retries; callqa retry runs it again', async () => {
    const bad = path.join(dir, 'not-audio.wav');
    writeFileSync(bad, 'this is not a recording\n');
    const o = await enqueueRecording(ctx, { path: bad, displayName: 'not-audio.wav' }, req);
    expect(o.status).toBe('queued');
    const before = (await ctx.store.repo.countRunsByStatus()).done;
    await withWorkers(async () => {
      await waitFor('the bad run to fail', async () => (await ctx.store.repo.getRun(o.runId!))?.status === 'failed');
    });
    const run = await ctx.store.repo.getRun(o.runId!);
    expect(run?.error).toMatch(/not-audio\.wav/);
    const failed = await ctx.queues.failedJobs(ctx.stages[0].name);
    expect(failed).toHaveLength(1);
    expect(failed[0].attemptsMade).toBe(1);
    expect(failed[0].failedReason).toMatch(/not-audio\.wav/);
    expect((await ctx.store.repo.countRunsByStatus()).done).toBe(before);
    expect((await queueStatus(ctx)).recentFailures[0]).toMatchObject({ file: 'not-audio.wav' });

    // enqueued again: not re-run (it would fail the same way); retry does re-run it
    expect((await enqueueRecording(ctx, { path: bad, displayName: 'not-audio.wav' }, req)).status).toBe('failed-earlier');
    const retried = await retryFailed(ctx);
    expect(retried.map((r) => r.file)).toEqual(['not-audio.wav']);
    expect(retried[0].previousError).toMatch(/not-audio\.wav/);
    expect((await ctx.store.repo.getRun(o.runId!))?.status).toBe('pending');
    await withWorkers(async () => {
      await waitFor('the retried run to fail', async () => (await ctx.store.repo.getRun(o.runId!))?.status === 'failed');
    });
    expect(await ctx.queues.failedJobs(ctx.stages[0].name)).toHaveLength(1);
  });

  it('a sidecar gone between enqueue and the worker fails the call once, saying so (not analysed without it, then cached)', async () => {
    const f = makeCall('gone.wav', 21);
    const sidecar = f.replace(/\.wav$/, '.transcript.json');
    const o = await enqueueRecording(ctx, { path: f, displayName: 'gone.wav' }, req);
    expect(o.status).toBe('queued');
    const text = readFileSync(sidecar);
    rmSync(sidecar);
    await withWorkers(async () => {
      await waitFor('the run to fail', async () => (await ctx.store.repo.getRun(o.runId!))?.status === 'failed');
    });
    const run = await ctx.store.repo.getRun(o.runId!);
    expect(run?.error).toBe('gone.wav: its transcript sidecar is no longer where it was when the call was enqueued: put it back and run callqa retry');
    const failed = (await ctx.queues.failedJobs('transcribe')).filter((j) => /gone\.wav/.test(j.failedReason ?? ''));
    expect(failed.map((j) => j.attemptsMade)).toEqual([1]);
    // put back: retry analyses it with its transcript
    writeFileSync(sidecar, text);
    await retryFailed(ctx, { runIds: [o.runId!] });
    await withWorkers(async () => {
      await waitFor('the retried run to finish', async () => (await ctx.store.repo.getRun(o.runId!))?.status === 'done');
    });
    expect((await ctx.store.repo.getRunReport(o.runId!))?.transcript?.engine).toBe('sidecar-json');
  });

  it('with a storage folder, a sidecar from --transcripts is copied with the recording and used by the workers', async () => {
    const audioDir = path.join(dir, 'platform-audio');
    const txDir = path.join(dir, 'platform-transcripts');
    const storeDir = path.join(dir, 'store');
    mkdirSync(audioDir, { recursive: true });
    mkdirSync(txDir, { recursive: true });
    const made = makeCall('tx.wav', 22);
    const audio = path.join(audioDir, 'tx.wav');
    copyFileSync(made, audio);
    copyFileSync(made.replace(/\.wav$/, '.transcript.json'), path.join(txDir, 'tx.transcript.json'));
    const stored = await openQueueContext({ env: { ...env, CALLQA_STORAGE_DIR: storeDir } });
    try {
      const o = await enqueueRecording(stored, { path: audio, displayName: 'tx.wav' }, { ...req, options: { ...req.options, transcriptsDir: txDir } });
      expect(o.status).toBe('queued');
      const w = await startWorkers(stored, { concurrency: {}, defaultConcurrency: 1, reconcileEverySec: 0, graceSec: 5 });
      try {
        await waitFor('the run to end', async () => {
          const st = (await stored.store.repo.getRun(o.runId!))?.status;
          return st === 'done' || st === 'failed';
        });
      } finally {
        await w.stop();
      }
      expect((await stored.store.repo.getRun(o.runId!))?.status).toBe('done');
      expect((await stored.store.repo.getRunReport(o.runId!))?.transcript?.engine).toBe('sidecar-json');
    } finally {
      await stored.close();
    }
  });

  it('with a storage folder, a transcript re-delivered as SubRip (the JSON gone) is the one the workers read', async () => {
    const audioDir = path.join(dir, 'redelivered-audio');
    const storeDir = path.join(dir, 'store-redelivered');
    mkdirSync(audioDir, { recursive: true });
    const made = makeCall('rd.wav', 23);
    const audio = path.join(audioDir, 'rd.wav');
    copyFileSync(made, audio);
    copyFileSync(made.replace(/\.wav$/, '.transcript.json'), path.join(audioDir, 'rd.transcript.json'));
    const stored = await openQueueContext({ env: { ...env, CALLQA_STORAGE_DIR: storeDir } });
    const analyse = async () => {
      const o = await enqueueRecording(stored, { path: audio, displayName: 'rd.wav' }, req);
      expect(o.status).toBe('queued');
      const w = await startWorkers(stored, { concurrency: {}, defaultConcurrency: 1, reconcileEverySec: 0, graceSec: 5 });
      try {
        await waitFor('the run to end', async () => ['done', 'failed'].includes((await stored.store.repo.getRun(o.runId!))?.status ?? ''));
      } finally {
        await w.stop();
      }
      const run = await stored.store.repo.getRun(o.runId!);
      expect(run?.error ?? null).toBeNull();
      return (await stored.store.repo.getRunReport(o.runId!))?.transcript?.engine;
    };
    try {
      expect(await analyse()).toBe('sidecar-json');
      rmSync(path.join(audioDir, 'rd.transcript.json'));
      writeFileSync(path.join(audioDir, 'rd.transcript.srt'), '1\n00:00:00,200 --> 00:00:01,800\nAgent: thank you for calling, my name is Sam\n\n2\n00:00:02,000 --> 00:00:03,500\nCustomer: my bill is wrong\n');
      expect(await analyse()).toBe('sidecar-srt');
    } finally {
      await stored.close();
    }
  });

  it('Redis comes back empty: reconcile re-queues every unfinished call where it stands, without duplicates', async () => {
    const files = [makeCall('r1.wav', 11), makeCall('r2.wav', 12), makeCall('r3.wav', 13)];
    const ids: string[] = [];
    for (const f of files) ids.push((await enqueueRecording(ctx, { path: f, displayName: path.basename(f) }, req)).runId!);
    const [first, second] = ctx.stages;
    // Only the first stage runs: the calls wait in the second stage's queue
    await withWorkers(async () => {
      await waitFor('first stage saved', async () => {
        const saved = await ctx.qrepo.doneStages(ids);
        return ids.every((i) => saved.get(i)?.has(first.name));
      });
    }, [first.name]);
    const probeTimes = new Map<string, number>();
    for (const i of ids) probeTimes.set(i, (await ctx.store.repo.loadStageOutputs(i))[0].startedAt.getTime());

    // Redis restarted without persistence: every key of this deployment gone
    expect(await deleteKeys(redis, `${prefix}:*`)).toBeGreaterThan(0);
    expect((await ctx.queues.depths()).every((d) => d.waiting === 0)).toBe(true);

    const r1 = await reconcile(ctx);
    expect(r1).toMatchObject({ checked: 3, requeued: 3, kept: 0, markedFailed: 0 });
    const r2 = await reconcile(ctx);
    expect(r2).toMatchObject({ checked: 3, requeued: 0, kept: 3 });
    const depths = await ctx.queues.depths();
    expect(depths.find((d) => d.stage === first.name)?.waiting).toBe(0);
    expect(depths.find((d) => d.stage === second.name)?.waiting).toBe(3);

    await withWorkers(async () => {
      await waitFor('reconciled runs done', async () => {
        const runs = await Promise.all(ids.map((i) => ctx.store.repo.getRun(i)));
        return runs.every((r) => r?.status === 'done');
      });
    });
    for (const i of ids) {
      const outs = await ctx.store.repo.loadStageOutputs(i);
      expect(outs.map((o) => o.stage)).toEqual(ctx.stages.map((s) => s.name));
      expect(outs[0].startedAt.getTime()).toBe(probeTimes.get(i)); // the first stage was not run again
      expect((await ctx.store.repo.getRun(i))?.attempts).toBe(1);
    }
  });

  it('two handlers racing on one call: one runs it, the other is told the call is busy', async () => {
    const f = makeCall('race.wav', 21);
    const o = await enqueueRecording(ctx, { path: f, displayName: 'race.wav' }, req);
    const locks = new RunLocks(dbUrl, 4);
    const enqueued: string[] = [];
    const deps = {
      repo: ctx.store.repo,
      qrepo: ctx.qrepo,
      locks,
      storage: ctx.storage,
      stages: ctx.stages,
      enqueue: async (stage: string) => void enqueued.push(stage),
      pipelines: new PipelineCache(),
    };
    try {
      const first = ctx.stages[0].name;
      const [a, b] = await Promise.all([
        handleStageJob(first, o.runId!, deps, { final: false }),
        handleStageJob(first, o.runId!, deps, { final: false }),
      ]);
      expect([a.kind, b.kind].sort()).toEqual(['busy', 'ran']);
      // the loser, delivered again later, sees the stage done and only routes the call onwards
      const again = await handleStageJob(first, o.runId!, deps, { final: false });
      expect(again).toMatchObject({ kind: 'skipped', next: ctx.stages[1].name });
      expect(enqueued).toEqual([ctx.stages[1].name, ctx.stages[1].name]);
    } finally {
      await locks.close();
    }
  });
});
