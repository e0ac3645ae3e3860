/**
 * The queue commands as a user runs them (`callqa enqueue`, `worker`, `status`, `retry`, `reconcile`,
 * `watch`), each a real child process over real Redis and PostgreSQL: what they print and the exit codes
 * their help promises. They go through src/services/operations.ts (the layering test checks the imports;
 * this checks the behaviour did not move with them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callqaSync } from './support/cli.js';
import { admin, deleteKeys, makeCall, queueTestEnv, REDIS_URL, waitFor } from './support/queue-env.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'src', 'cli', 'bin.js');

const { dbName, prefix, dir, pipelinesDir, env } = queueTestEnv('qcli', { CALLQA_JOB_ATTEMPTS: '1', CALLQA_JOB_BACKOFF_MS: '100' });
env.CALLQA_PIPELINES_DIR = pipelinesDir;
const calls = path.join(dir, 'calls');
const inbox = path.join(dir, 'inbox');
let worker: ChildProcess | undefined;
let workerLog = '';

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout!.on('data', (d) => (stdout += d));
    c.stderr!.on('data', (d) => (stderr += d));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface StatusJson {
  pending: number;
  active: number;
  completed: number;
  failed: number;
}
const status = async (): Promise<StatusJson> => JSON.parse((await cli(['status', '--json'])).stdout) as StatusJson;

beforeAll(async () => {
  await admin(`create database "${dbName}"`);
  mkdirSync(pipelinesDir, { recursive: true });
  mkdirSync(calls, { recursive: true });
  mkdirSync(inbox, { recursive: true });
  copyFileSync(path.join(ROOT, 'pipelines', 'support-en.yaml'), path.join(pipelinesDir, 'support-en.yaml'));
  const hello = [{ speaker: 'agent', start: 0.2, end: 1.8, text: 'thank you for calling, my name is Sam' }];
  makeCall(calls, 'a.wav', 1, 4, hello);
  makeCall(calls, 'b.wav', 2, 4, hello);
  writeFileSync(path.join(calls, 'broken.wav'), 'this is not a recording\n'.repeat(20));
});

afterAll(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  const redis = new Redis(REDIS_URL);
  await deleteKeys(redis, `${prefix}:*`);
  redis.disconnect();
  await admin(`drop database if exists "${dbName}" with (force)`);
  rmSync(dir, { recursive: true, force: true });
});

describe('queue commands', () => {
  it('enqueue: one JSON line per file, exit 1 when a file could not be enqueued; the same content again is not queued twice', async () => {
    const r = await cli(['enqueue', '--program', 'support-en', '--no-transcribe', '--json', calls, path.join(dir, 'no-such.wav')]);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; status: string; error?: string });
    expect(lines.map((l) => `${path.basename(l.file)} ${l.status}`).sort()).toEqual(['a.wav queued', 'b.wav queued', 'broken.wav queued', 'no-such.wav error']);
    expect(lines.find((l) => l.status === 'error')!.error).toMatch(/no-such\.wav: no such file or directory/);

    const again = await cli(['enqueue', '-p', 'support-en', '--no-transcribe', path.join(calls, 'a.wav')]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/in-progress\s+.*a\.wav/);
    expect(again.stderr).toMatch(/^1 in-progress$/m);

    // --pipeline, the older spelling, still names the program
    const bad = await cli(['enqueue', '--pipeline', 'no-such-program', calls]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown pipeline "no-such-program"/);
    const two = callqaSync(['enqueue', '--program', 'support-en', '--pipeline', 'default', calls], undefined, env);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/--program "support-en" and --pipeline "default" name different programs: give one/);
  }, 120_000);

  it('enqueue: a file reached twice (named twice, another spelling of its path, inside a folder also given, a manifest row) is enqueued once, the repeat a "skipped … listed more than once" line', async () => {
    const a = path.join(calls, 'a.wav');
    const manifest = path.join(dir, 'twice.csv');
    writeFileSync(manifest, `file,agent_id\n${a},A1\n`);
    const r = await cli(['enqueue', '-p', 'support-en', '--no-transcribe', '--json', a, a, path.join(calls, '.', '..', 'calls', 'a.wav'), calls, manifest]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; status: string });
    expect(lines.map((l) => path.basename(l.file)).sort()).toEqual(['a.wav', 'b.wav', 'broken.wav']);
    const skipped = r.stderr.split('\n').filter((l) => l.startsWith('callqa: skipped'));
    expect(skipped).toEqual([
      `callqa: skipped ${a}: listed more than once (as ${a} before); enqueued once`,
      `callqa: skipped ${path.join(calls, '.', '..', 'calls', 'a.wav')}: listed more than once (as ${a} before); enqueued once`,
      `callqa: skipped ${a}: listed more than once (as ${a} before); enqueued once`,
      `callqa: skipped ${a}: listed more than once (as ${a} before); enqueued once`,
    ]);
  }, 120_000);

  it('worker runs them; status counts them; retry --list names the failed one with its stage', async () => {
    worker = spawn(process.execPath, [BIN, 'worker', '--reconcile-every', '0'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    worker.stderr!.on('data', (d) => (workerLog += d));
    const s = await waitFor('two calls done and one failed', async () => {
      const st = await status();
      return st.completed === 2 && st.failed === 1 && st.pending === 0 && st.active === 0 ? st : undefined;
    }, 120_000, () => workerLog);
    expect(s).toMatchObject({ completed: 2, failed: 1 });
    expect(workerLog).toMatch(/callqa worker \d+: serving probe, audio, transcribe, detect, score \(queue prefix /);

    const text = await cli(['status']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/recordings: 0 pending, 0 active, 2 completed, 1 failed/);

    const list = await cli(['retry', '--list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^\S+ {2}\S*broken\.wav {2}\[probe\] \S*broken\.wav: not a readable audio file/m);
    expect(list.stderr).toMatch(/^1 failed$/m);

    const cached = await cli(['enqueue', '--pipeline', 'support-en', '--no-transcribe', path.join(calls, 'a.wav'), path.join(calls, 'broken.wav')]);
    expect(cached.code, cached.stderr).toBe(0);
    expect(cached.stderr).toMatch(/cached\s+.*a\.wav/);
    expect(cached.stderr).toMatch(/failed-earlier\s+.*broken\.wav/);
  }, 240_000);

  it('retry: a name that matches nothing exits 1; the failed file goes back from the stage where it failed', async () => {
    const none = await cli(['retry', 'no-such.wav']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^0 failed recording\(s\) queued again$/m);

    // named as it was enqueued (a folder's files by their path)
    const r = await cli(['retry', path.join(calls, 'broken.wav')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^retrying \S*broken\.wav from probe \(was: .+\)$/m);
    expect(r.stderr).toMatch(/^1 failed recording\(s\) queued again$/m);
    // it is bad input: it fails again
    await waitFor('the retried file to fail again', async () => {
      const st = await status();
      return st.failed === 1 && st.pending === 0 && st.active === 0;
    }, 60_000, () => workerLog);
  }, 120_000);

  it('reconcile: says what it checked; watch --once enqueues what has arrived, and the worker runs it', async () => {
    const rec = await cli(['reconcile']);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout).toMatch(/^0 unfinished run\(s\): 0 still queued, 0 re-queued, 0 marked failed$/m);

    makeCall(inbox, 'c.wav', 3, 4, [{ speaker: 'agent', start: 0.2, end: 1.8, text: 'thank you for calling' }]);
    const w = await cli(['watch', '--once', '--settle', '0', '--pipeline', 'support-en', '--no-transcribe', inbox]);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).toMatch(/queued\s+.*c\.wav/);
    await waitFor('the watched call done', async () => (await status()).completed === 3, 120_000, () => workerLog);

    worker!.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => worker!.once('exit', (c) => r(c)));
    expect(code).toBe(0);
  }, 240_000);
});
