import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import { ConfigError, isRetryable } from '../src/core/errors.js';
import { StageTimeoutError, budgetSecFor, runWithinBudget, stageBudgetFromEnv } from '../src/pipeline/budget.js';
import type { PipelineConfig } from '../src/pipeline/config.js';
import type { CallReport } from '../src/pipeline/report.js';
import type { CallState, Stage, StageName } from '../src/pipeline/stage.js';
import { createStagePool } from '../src/pipeline/stage-pool.js';
import { openStore } from '../src/store/db.js';

/**
 * Every stage of every call has a time budget: over it, the call fails with a clear error, the stage is
 * told to stop, and the batch goes on. Never retried in the queue (an input error).
 */
const work = mkdtempSync(join(tmpdir(), 'callqa-budget-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('runWithinBudget', () => {
  it('a stage that never returns is cut off at its budget, and its signal is aborted', async () => {
    let seen: AbortSignal | undefined;
    const err = await runWithinBudget({ file: 'a.wav', stage: 'audio' }, 0.2, undefined, (signal) => {
      seen = signal;
      return new Promise<never>(() => undefined);
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageTimeoutError);
    expect((err as Error).message).toBe(
      'a.wav: the audio stage took longer than its 0.2 s budget and was stopped (CALLQA_STAGE_BUDGET_SEC / CALLQA_STAGE_BUDGET_X set the budget)',
    );
    expect(seen?.aborted).toBe(true);
    expect(isRetryable(err)).toBe(false);
  });

  it('a stage that blocks the event loop past its budget fails the call when it returns', async () => {
    const err = await runWithinBudget({ file: 'b.wav', stage: 'detect' }, 0.05, undefined, async () => {
      const end = Date.now() + 300;
      while (Date.now() < end); // synchronous work: no timer can fire
      return 1;
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageTimeoutError);
  });

  it('within budget: the result; the parent signal (Ctrl-C) reaches the stage', async () => {
    expect(await runWithinBudget({ file: 'c', stage: 's' }, 5, undefined, async () => 42)).toBe(42);
    const parent = new AbortController();
    const p = runWithinBudget({ file: 'c', stage: 's' }, 5, parent.signal, (signal) => new Promise((_, rej) => signal.addEventListener('abort', () => rej(new Error('stopped')))));
    parent.abort();
    await expect(p).rejects.toThrow('stopped');
  });

  it('budget = max(base, x × call length); the environment is validated', () => {
    expect(budgetSecFor({ baseSec: 600, perAudioSec: 3 }, 100)).toBe(600);
    expect(budgetSecFor({ baseSec: 600, perAudioSec: 3 }, 3600)).toBe(10800);
    expect(stageBudgetFromEnv({})).toEqual({ baseSec: 600, perAudioSec: 3 });
    expect(stageBudgetFromEnv({ CALLQA_STAGE_BUDGET_SEC: '30', CALLQA_STAGE_BUDGET_X: '0.5' })).toEqual({ baseSec: 30, perAudioSec: 0.5 });
    expect(() => stageBudgetFromEnv({ CALLQA_STAGE_BUDGET_SEC: 'ten' })).toThrow(ConfigError);
    expect(() => stageBudgetFromEnv({ CALLQA_STAGE_BUDGET_SEC: '0' })).toThrow(/CALLQA_STAGE_BUDGET_SEC: expected a number of seconds >= 0.1/);
  });
});

describe('callqa analyze with a stage over its budget', () => {
  it('fails that call naming the stage and the budget; the next call in the batch is analysed', async () => {
    // A two-hour recording: its audio stage (decode + voice activity of 2 h) takes many times the 2 s budget,
    // while every stage of a 3 s call takes a small fraction of it.
    const long = join(work, 'long.wav');
    const short = join(work, 'short.wav');
    execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=250:d=7200', '-ar', '8000', long]);
    execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=330:d=3', '-ar', '8000', short]);
    const report = join(work, 'r.json');
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [join(import.meta.dirname, '..', 'src', 'cli', 'bin.js'), 'analyze', '--jobs', '1', '--no-transcribe', '--no-table', '--data', join(work, 'data'), '--json', report, long, short], {
        env: { ...process.env, DATABASE_URL: '', CALLQA_STAGE_BUDGET_SEC: '2', CALLQA_STAGE_BUDGET_X: '0' },
      });
      let stderr = '';
      p.stderr.on('data', (d) => (stderr += d));
      p.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/callqa: .*long\.wav: the audio stage took longer than its 2 s budget and was stopped/);
    const doc = JSON.parse(readFileSync(report, 'utf8')) as { calls: CallReport[] };
    expect(doc.calls.map((c) => c.status)).toEqual(['failed', 'done']);
    // stored: the failed run with its reason and the stage it failed in, and no stage output or finding of it
    const store = await openStore({ dataDir: join(work, 'data') });
    try {
      const [failed] = await store.repo.listRuns({ status: 'failed' });
      expect(failed).toMatchObject({ fileName: long, stage: 'audio', status: 'failed' });
      expect(failed!.error).toMatch(/audio stage took longer than its 2 s budget/);
      expect(await store.repo.loadStageOutputs(failed!.id)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('analyze --jobs: a stage stuck in synchronous code on a worker thread', () => {
  // test/support/stuck-stage-worker.ts: detect spins forever, transcribe waits forever, score answers with its thread id
  const workerUrl = new URL('./support/stuck-stage-worker.ts', import.meta.url);
  const stage = (name: StageName) => ({ name }) as Stage;
  const state: CallState = { events: [], metrics: {}, notes: [] };
  const ctx = (file: string) => ({ recording: { id: '', path: '/nowhere', displayName: file, contentHash: '', metadata: {} }, pipeline: {} as PipelineConfig, options: { transcribe: false } });
  const budget = { baseSec: 0.3, perAudioSec: 0 };
  const roomy = { baseSec: 10, perAudioSec: 0 };
  const threadOf = async (p: Promise<{ output: Partial<CallState> }>) => (await p).output.notes?.[0];

  it('is cut off by the pool at its budget: the worker is terminated and replaced, the job fails with the in-process StageTimeoutError', async () => {
    const pool = createStagePool(1, {} as PipelineConfig, { workerUrl, graceSec: 0.5 });
    try {
      const first = await threadOf(pool.execute(stage('score'), state, ctx('ok.wav'), { budget: roomy }));
      const t0 = performance.now();
      const err = await pool.execute(stage('detect'), state, ctx('stuck.wav'), { budget }).catch((e: unknown) => e);
      const waitedSec = (performance.now() - t0) / 1000;
      expect(err).toBeInstanceOf(StageTimeoutError);
      expect((err as Error).message).toBe(new StageTimeoutError('stuck.wav', 'detect', 0.3).message);
      expect(isRetryable(err)).toBe(false);
      expect(waitedSec).toBeGreaterThanOrEqual(0.3 + 0.5 - 0.05);
      // the next job runs on a new thread, and the old thread's exit (arriving while it runs) does not touch it
      const second = await threadOf(pool.execute(stage('score'), state, ctx('next.wav'), { budget: roomy }));
      expect(second).toBeDefined();
      expect(second).not.toBe(first);
    } finally {
      await pool.close();
    }
  });

  it("a call's stages in one job: the pool watches each stage's own budget from when it begins and names the stuck one", async () => {
    const pool = createStagePool(1, {} as PipelineConfig, { workerUrl, graceSec: 0.5 });
    try {
      const seen: string[] = [];
      const t0 = performance.now();
      const err = await pool
        .executeSequence([stage('score'), stage('detect')], state, ctx('stuck.wav'), { budget: { baseSec: 0.5, perAudioSec: 0 }, onProgress: (s, f) => seen.push(`${s} ${f}`) })
        .catch((e: unknown) => e);
      const waitedSec = (performance.now() - t0) / 1000;
      expect(err).toBeInstanceOf(StageTimeoutError);
      expect((err as Error).message).toBe(new StageTimeoutError('stuck.wav', 'detect', 0.5).message);
      // score (0.3 s) ran first; detect's budget (0.5 s) and the grace (0.5 s) counted from detect's start
      expect(waitedSec).toBeGreaterThanOrEqual(0.3 + 0.5 + 0.5 - 0.05);
      expect(seen).toEqual(['score 0', 'score 1', 'detect 0']);
      // a sequence that finishes gives every stage's run, in order
      const runs = await pool.executeSequence([stage('score'), stage('score')], state, ctx('ok.wav'), { budget: roomy });
      expect(runs.map((r) => r.stage)).toEqual(['score', 'score']);
    } finally {
      await pool.close();
    }
  });

  it("a new worker's start-up does not count against its first stage's budget", async () => {
    // the worker blocks 2.5 s before it serves; score (0.3 s) has a 1 s budget and the grace is 0.5 s: counted
    // from the hand-over, the pool would give up at 1.5 s, before the stage began
    const pool = createStagePool(1, { startDelayMs: 2500 } as unknown as PipelineConfig, { workerUrl, graceSec: 0.5 });
    try {
      const runs = await pool.executeSequence([stage('score')], state, ctx('slow-start.wav'), { budget: { baseSec: 1, perAudioSec: 0 } });
      expect(runs.map((r) => r.stage)).toEqual(['score']);
    } finally {
      await pool.close();
    }
  });

  it('Ctrl-C while a call waits for a thread: it never starts', async () => {
    const pool = createStagePool(1, {} as PipelineConfig, { workerUrl });
    const ac = new AbortController();
    const withSignal = (file: string) => ({ ...ctx(file), signal: ac.signal });
    try {
      const a = pool.executeSequence([stage('score'), stage('score')], state, withSignal('a.wav'), { budget: roomy });
      const started: string[] = [];
      const b = pool.executeSequence([stage('score'), stage('score'), stage('score')], state, withSignal('b.wav'), { budget: roomy, onProgress: (s) => started.push(s) });
      await new Promise((r) => setTimeout(r, 100));
      ac.abort(); // b is still waiting: the one thread is a's
      await expect(a).rejects.toThrow('interrupted before it finished'); // a stops between its stages
      await expect(b).rejects.toThrow('interrupted before it finished');
      expect(started).toEqual([]);
      // and a call stopped before it is handed over is refused at once
      await expect(pool.executeSequence([stage('score')], state, withSignal('c.wav'), { budget: roomy })).rejects.toThrow('interrupted before it finished');
    } finally {
      await pool.close();
    }
  });

  it('a stage that waits (event loop free) is stopped by the worker\'s own timer: same error, same worker kept', async () => {
    const pool = createStagePool(1, {} as PipelineConfig, { workerUrl, graceSec: 30 });
    try {
      const first = await threadOf(pool.execute(stage('score'), state, ctx('ok.wav'), { budget: roomy }));
      const err = await pool.execute(stage('transcribe'), state, ctx('slow.wav'), { budget }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StageTimeoutError);
      expect((err as Error).message).toBe(new StageTimeoutError('slow.wav', 'transcribe', 0.3).message);
      expect(await threadOf(pool.execute(stage('score'), state, ctx('next.wav'), { budget: roomy }))).toBe(first);
    } finally {
      await pool.close();
    }
  });
});
