/**
 * Duplicates in the queue runner (`callqa enqueue`, `callqa watch`), by the rule `callqa analyze` follows
 * (src/pipeline/duplicates.ts): a second file with a stored recording's bytes under another name is skipped with a
 * line naming both, nothing stored, exit code unchanged; renamed (the first file gone), a failed first file or
 * --force, it is queued as that recording under its own name; in one batch the later same-byte files are skipped
 * naming the first; two enqueues racing with the same bytes never both take the recording over.
 * REAL Redis (a unique key prefix, removed afterwards) and a REAL PostgreSQL database made for this file; calls
 * made with sox; workers run in this process, the CLI in a child process.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePipeline } from '../src/pipeline/loader.js';
import { hashFile } from '../src/pipeline/files.js';
import { openQueueContext, type QueueContext } from '../src/queue/context.js';
import { enqueueRecording, type EnqueueRequest } from '../src/queue/enqueue.js';
import { startWorkers } from '../src/queue/worker.js';
import { CLI_BIN, callqaSync } from './support/cli.js';
import { admin, deleteKeys, makeCall as makeCallIn, queueTestEnv, REDIS_URL, waitFor } from './support/queue-env.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { dbName, prefix, dir, pipelinesDir, env } = queueTestEnv('qdup', {
  CALLQA_JOB_ATTEMPTS: '2',
  CALLQA_JOB_BACKOFF_MS: '100',
  CALLQA_LOCK_MS: '3000',
  CALLQA_STALLED_INTERVAL_MS: '1000',
});

const makeCall = (name: string, n: number): string =>
  makeCallIn(dir, name, n, 4, [{ speaker: 'agent', start: 0.2, end: 1.8, text: 'thank you for calling, how can I help you' }]);

/** a copy of `file` (and its transcript sidecar) as `name` in `into` */
function copyCall(file: string, name: string, into = dir): string {
  mkdirSync(into, { recursive: true });
  const to = path.join(into, name);
  copyFileSync(file, to);
  copyFileSync(file.replace(/\.wav$/, '.transcript.json'), to.replace(/\.wav$/, '.transcript.json'));
  return to;
}

let ctx: QueueContext;
let other: QueueContext;
let redis: Redis;
let req: EnqueueRequest;

async function settle(runId: string) {
  const w = await startWorkers(ctx, { concurrency: {}, defaultConcurrency: 2, reconcileEverySec: 0, graceSec: 5 });
  try {
    await waitFor(`run ${runId} to end`, async () => {
      const s = (await ctx.store.repo.getRun(runId))?.status;
      return s === 'done' || s === 'failed';
    });
  } finally {
    await w.stop();
  }
}

const recordingOf = async (file: string) => (await ctx.store.repo.getRecordingByHash(await hashFile(file)))!;
const waitingJobs = async () => (await ctx.queues.depths()).find((d) => d.stage === ctx.stages[0].name)?.waiting ?? 0;

beforeAll(async () => {
  await admin(`create database "${dbName}"`);
  mkdirSync(pipelinesDir, { recursive: true });
  copyFileSync(path.join(ROOT, 'pipelines', 'support-en.yaml'), path.join(pipelinesDir, 'support-en.yaml'));
  process.env.CALLQA_PIPELINES_DIR = pipelinesDir;
  ctx = await openQueueContext({ env });
  // a second process's connections (its own pools, its own lock connections): the racing enqueuer
  other = await openQueueContext({ env });
  redis = new Redis(REDIS_URL);
  req = { pipeline: resolvePipeline('support-en'), pipelineRef: 'support-en', options: { transcribe: false } };
});

afterAll(async () => {
  await other?.close();
  await ctx?.close();
  if (redis) {
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
  }
  await admin(`drop database if exists "${dbName}" with (force)`);
  rmSync(dir, { recursive: true, force: true });
});

describe('queue: a duplicate of a stored recording', () => {
  it('is skipped naming both, while the first is queued and once it is analysed; nothing of it is stored', async () => {
    const a = makeCall('a.wav', 1);
    const b = copyCall(a, 'b.wav');
    const first = await enqueueRecording(ctx, { path: a, displayName: 'a.wav', metadata: { agentId: 'A1' } }, req);
    expect(first.status).toBe('queued');

    const queued = await enqueueRecording(ctx, { path: b, displayName: 'b.wav', metadata: { agentId: 'B2' } }, req);
    expect(queued).toEqual({
      file: 'b.wav',
      status: 'duplicate',
      duplicateOf: 'a.wav',
      reason: "duplicate of a.wav, being analysed: identical audio, one recording; not queued, and that file's metadata and results are kept (--force queues this file as that recording, under this name)",
    });
    let rec = await recordingOf(a);
    expect([rec.fileName, rec.metadata.agentId, rec.sourcePath]).toEqual(['a.wav', 'A1', a]);
    expect(await waitingJobs()).toBe(1);

    await settle(first.runId!);
    expect((await ctx.store.repo.getRun(first.runId!))?.status).toBe('done');
    const done = await enqueueRecording(ctx, { path: b, displayName: 'b.wav', metadata: { agentId: 'B2' } }, req);
    expect(done.status).toBe('duplicate');
    expect(done.reason).toMatch(/^duplicate of a\.wav, analysed before: identical audio, one recording; not queued/);
    rec = await recordingOf(a);
    expect([rec.fileName, rec.metadata.agentId]).toEqual(['a.wav', 'A1']);
    expect(await waitingJobs()).toBe(0);
    // the first file again is that call, analysed
    expect((await enqueueRecording(ctx, { path: a, displayName: 'a.wav', metadata: { agentId: 'A1' } }, req)).status).toBe('cached');
  }, 120_000);

  it('--force queues it as that recording, under its name and with its metadata only', async () => {
    const f = makeCall('f.wav', 2);
    const g = copyCall(f, 'g.wav');
    const first = await enqueueRecording(ctx, { path: f, displayName: 'f.wav', metadata: { agentId: 'F1', team: 'red' } }, req);
    await settle(first.runId!);
    const forced = await enqueueRecording(ctx, { path: g, displayName: 'g.wav', metadata: { agentId: 'G2' } }, { ...req, force: true });
    expect(forced).toMatchObject({ file: 'g.wav', status: 'queued', runId: first.runId, reanalysed: ['forced (--force)'] });
    const rec = await recordingOf(f);
    expect([rec.fileName, rec.metadata, rec.sourcePath]).toEqual(['g.wav', { agentId: 'G2' }, g]);
    await settle(first.runId!);
    expect((await ctx.store.repo.getRunReport(first.runId!))?.recording.fileName).toBe('g.wav');
  }, 120_000);

  it('renamed (the first file gone from where it was enqueued) is that recording under its new name', async () => {
    const r = makeCall('r.wav', 3);
    const first = await enqueueRecording(ctx, { path: r, displayName: 'r.wav' }, req);
    await settle(first.runId!);
    const renamed = path.join(dir, 'r-renamed.wav');
    renameSync(r, renamed);
    renameSync(r.replace(/\.wav$/, '.transcript.json'), renamed.replace(/\.wav$/, '.transcript.json'));
    const again = await enqueueRecording(ctx, { path: renamed, displayName: 'r-renamed.wav' }, req);
    expect(again).toMatchObject({ status: 'cached', runId: first.runId });
    const rec = await recordingOf(renamed);
    expect([rec.fileName, rec.sourcePath]).toEqual(['r-renamed.wav', renamed]);
  }, 120_000);

  it('of a file whose analysis failed is queued as usual, and the recording is its own', async () => {
    const bad = path.join(dir, 'bad.wav');
    writeFileSync(bad, 'this is not a recording\n');
    const first = await enqueueRecording(ctx, { path: bad, displayName: 'bad.wav' }, req);
    await settle(first.runId!);
    expect((await ctx.store.repo.getRun(first.runId!))?.status).toBe('failed');
    // the same file again waits for `callqa retry`
    expect((await enqueueRecording(ctx, { path: bad, displayName: 'bad.wav' }, req)).status).toBe('failed-earlier');
    const copy = path.join(dir, 'bad-copy.wav');
    copyFileSync(bad, copy);
    const o = await enqueueRecording(ctx, { path: copy, displayName: 'bad-copy.wav' }, req);
    expect(o).toMatchObject({ status: 'queued', runId: first.runId });
    expect((await recordingOf(copy)).fileName).toBe('bad-copy.wav');
    await settle(first.runId!);
    expect((await ctx.store.repo.getRun(first.runId!))?.error).toMatch(/^bad-copy\.wav: /);
  }, 120_000);
});

describe('queue: two enqueues racing with the same bytes under two names', () => {
  it('never both take the recording over: one is queued, the other is its duplicate', async () => {
    for (let n = 0; n < 6; n++) {
      const x = makeCall(`race-${n}-x.wav`, 40 + n);
      const y = copyCall(x, `race-${n}-y.wav`);
      const [ox, oy] = await Promise.all([
        enqueueRecording(ctx, { path: x, displayName: path.basename(x), metadata: { agentId: 'X' } }, req),
        enqueueRecording(other, { path: y, displayName: path.basename(y), metadata: { agentId: 'Y' } }, req),
      ]);
      const outcomes = [ox, oy];
      const winner = outcomes.find((o) => o.status === 'queued');
      const loser = outcomes.find((o) => o.status === 'duplicate');
      expect(winner, JSON.stringify(outcomes)).toBeDefined();
      expect(loser?.duplicateOf).toBe(winner!.file);
      const rec = await recordingOf(x);
      expect([rec.fileName, rec.metadata.agentId]).toEqual([winner!.file, winner === ox ? 'X' : 'Y']);
    }
  }, 120_000);
});

describe('callqa enqueue: one batch', () => {
  const cli = (args: string[]) => callqaSync(['enqueue', '--program', 'support-en', '--no-transcribe', ...args], undefined, { ...env, CALLQA_PIPELINES_DIR: pipelinesDir });

  it('skips a later file with the same bytes naming the first, even with --force (exit 0); a line per file', async () => {
    const batch = path.join(dir, 'batch');
    const m = copyCall(makeCall('m.wav', 60), 'm.wav', path.join(batch, 'one'));
    copyCall(m, 'm.wav', path.join(batch, 'two')); // the same name in another folder: a duplicate within one batch
    copyCall(m, 'n.wav', path.join(batch, 'two'));
    const r = cli(['--force', path.join(batch, 'one'), path.join(batch, 'two')]);
    expect(r.code, r.stderr).toBe(0);
    const first = path.join(batch, 'one', 'm.wav');
    const lines = r.stderr.split('\n').filter((l) => l.includes('.wav'));
    expect(lines).toEqual([
      `queued         ${first}`,
      `skipped        ${path.join(batch, 'two', 'm.wav')}: duplicate of ${first}: identical audio, one recording; not queued, and that file's metadata and results are kept`,
      `skipped        ${path.join(batch, 'two', 'n.wav')}: duplicate of ${first}: identical audio, one recording; not queued, and that file's metadata and results are kept`,
    ]);
    expect(r.stderr).toMatch(/^1 queued, 2 duplicate$/m);
    expect((await recordingOf(m)).fileName).toBe(first);

    // a later run, without --force: the stored recording says so, in --json too
    const again = cli(['--json', path.join(batch, 'two', 'n.wav')]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ file: path.join(batch, 'two', 'n.wav'), status: 'duplicate', duplicateOf: first });
  }, 120_000);

  it('callqa watch --once: one scan is one batch; the second file with the same bytes is skipped naming the first (exit 0)', async () => {
    const inbox = path.join(dir, 'inbox');
    const w = copyCall(makeCall('w.wav', 70), 'w.wav', inbox);
    const copy = copyCall(w, 'w-copy.wav', inbox);
    const r = callqaSync(['watch', '--once', '--settle', '0', '--program', 'support-en', '--no-transcribe', inbox], undefined, { ...env, CALLQA_PIPELINES_DIR: pipelinesDir });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('.wav')).map((l) => l.replace(/^\S+ /, '')); // the timestamp off
    const queued = lines.find((l) => l.startsWith('queued'))!.replace(/^queued\s+/, '');
    expect([w, copy]).toContain(queued);
    const other = queued === w ? copy : w;
    expect(lines).toHaveLength(2);
    expect(lines).toContain(`skipped        ${other}: duplicate of ${queued}: identical audio, one recording; not queued, and that file's metadata and results are kept`);
    expect((await recordingOf(w)).fileName).toBe(queued);
  }, 120_000);
  it('callqa watch over many scans: a duplicate is told once, not again every scan (the file is decided in its state)', async () => {
    const inbox = path.join(dir, 'inbox-scans');
    const v = copyCall(makeCall('v.wav', 80), 'v.wav', inbox);
    const first = await enqueueRecording(ctx, { path: v, displayName: v }, req);
    expect(first.status).toBe('queued');
    const copy = copyCall(v, 'v-copy.wav', inbox);
    // a watcher left running for many scans (0.2 s apart) after it told the copy, then stopped as a service manager
    // stops it (SIGTERM: exit 0)
    const child = spawn(process.execPath, [CLI_BIN, 'watch', '--interval', '0.2', '--settle', '0', '--program', 'support-en', '--no-transcribe', inbox], {
      env: { ...env, CALLQA_PIPELINES_DIR: pipelinesDir },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor('the watcher to tell the copy', async () => stderr.includes('v-copy.wav'), 60_000, () => stderr);
    await new Promise((r) => setTimeout(r, 3000)); // ~15 scans more
    child.kill('SIGTERM');
    const r = { status: await exited, stderr };
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('.wav')).map((l) => l.replace(/^\S+ /, ''));
    expect(lines.filter((l) => l.includes('v-copy.wav'))).toEqual([
      `skipped        ${copy}: duplicate of ${v}, being analysed: identical audio, one recording; not queued, and that file's metadata and results are kept (--force queues this file as that recording, under this name)`,
    ]);
    expect(lines.filter((l) => !l.includes('v-copy.wav'))).toEqual([`in-progress    ${v}`]);
    expect(await waitingJobs()).toBeGreaterThanOrEqual(1);
    expect((await recordingOf(v)).fileName).toBe(v);
  }, 120_000);
});

describe('queue: the lock on the bytes cannot be taken', () => {
  it('the enqueue fails naming the file (never a bare driver message), nothing is stored or queued, and the next one goes through', async () => {
    const l = makeCall('lockless.wav', 90);
    // a new process's context: its lock pool has no connection yet, the store's has (it migrated)
    const fresh = await openQueueContext({ env });
    const jobsBefore = await waitingJobs();
    try {
      await admin(`alter database "${dbName}" allow_connections false`);
      const o = await enqueueRecording(fresh, { path: l, displayName: 'lockless.wav' }, req);
      expect(o.status).toBe('error');
      expect(o.error).toMatch(/^lockless\.wav: .*not currently accepting connections/);
      expect(o.error).not.toContain('thank you for calling');
    } finally {
      await admin(`alter database "${dbName}" allow_connections true`);
    }
    expect(await ctx.store.repo.getRecordingByHash(await hashFile(l))).toBeNull();
    expect(await waitingJobs()).toBe(jobsBefore);
    try {
      expect((await enqueueRecording(fresh, { path: l, displayName: 'lockless.wav' }, req)).status).toBe('queued');
    } finally {
      await fresh.close();
    }
  }, 120_000);
});

describe('queue with a storage folder: a recording enqueued from another machine\'s own inbox', () => {
  it('is not taken to be renamed because its file is not on this machine: a copy under another name is its duplicate', async () => {
    // one process of a deployment whose enqueuers copy recordings into a shared storage folder
    const stored = await openQueueContext({ env: { ...env, CALLQA_STORAGE_DIR: path.join(dir, 'storage') } });
    try {
      const h = makeCall('h.wav', 95);
      const first = await enqueueRecording(stored, { path: h, displayName: 'h.wav', metadata: { agentId: 'H1' } }, req);
      expect(first.status).toBe('queued');
      let rec = await recordingOf(h);
      expect([rec.path.startsWith('storage:'), rec.sourcePath, rec.sourceHost]).toEqual([true, h, hostname()]);
      // as if enqueued on another machine, from its own inbox (a path this machine does not have)
      await stored.store.db.execute(sql`update recordings set source_path = '/srv/inbox-of-host-b/h.wav', source_host = 'host-b' where id = ${rec.id}`);
      const i = copyCall(h, 'i.wav');
      const o = await enqueueRecording(stored, { path: i, displayName: 'i.wav', metadata: { agentId: 'I2' } }, req);
      expect(o).toMatchObject({ file: 'i.wav', status: 'duplicate', duplicateOf: 'h.wav' });
      rec = await recordingOf(h);
      expect([rec.fileName, rec.metadata.agentId, rec.sourceHost]).toEqual(['h.wav', 'H1', 'host-b']);
      // on the machine it was enqueued on, a file gone from where it was is still a renamed recording (the same
      // inputs: the queued call is this one, under its new name)
      await stored.store.db.execute(sql`update recordings set source_host = ${hostname()} where id = ${rec.id}`);
      expect(await enqueueRecording(stored, { path: i, displayName: 'i.wav', metadata: { agentId: 'H1' } }, req)).toMatchObject({ status: 'in-progress', runId: first.runId });
      expect((await recordingOf(h)).fileName).toBe('i.wav');
    } finally {
      await stored.close();
    }
  }, 120_000);
});
