/**
 * Soak: a batch of short calls through two real worker processes while faults are thrown at random, then a
 * check that every call ended done exactly once or failed with its reason, and that memory stayed flat.
 * `npm run soak` (not part of `npm test`: minutes, not seconds).
 *
 *   SOAK_CALLS=2000 SOAK_SEED=7 SOAK_FAULT_EVERY_SEC=20 npm run soak
 *
 * Faults (one every SOAK_FAULT_EVERY_SEC on average, chosen at random with a seeded PRNG):
 *   - kill:  the second worker SIGKILLed in the middle of its jobs (restarted 1 s later; the first one is
 *            never killed, so its memory can be followed over the whole soak);
 *   - redis: the soak's own redis-server (a private instance on a free port, no persistence) killed and
 *            started again empty: workers reconcile from PostgreSQL;
 *   - pg:    PostgreSQL cut for SOAK_PG_CUT_SEC (default 10 s, many times the retry budget of 3 attempts x
 *            200 ms backoff): the soak's own database refuses connections and its sessions are terminated
 *            (the shared server and other databases are untouched).
 * SOAK_HEAP_MB (optional) caps each worker's V8 heap, so that a leak ends in a crash the soak reports.
 * Poisoned inputs, 1 in 50 calls: a transcript sidecar holding a NUL, or a file that is not audio.
 *
 * The shared PostgreSQL (CALLQA_TEST_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 * holds one throw-away database, dropped at the end. Prints a summary (markdown) for docs/queue.md.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { resolvePipeline } from '../../src/pipeline/loader.js';
import { openQueueContext, type QueueContext } from '../../src/queue/context.js';
import { enqueueRecording } from '../../src/queue/enqueue.js';
import { prng } from '../support/prng.js';
import { admin, makeCall, queueTestEnv } from '../support/queue-env.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'src', 'cli', 'bin.js');
const N = Number(process.env.SOAK_CALLS ?? 2000);
const SEED = Number(process.env.SOAK_SEED ?? 7);
const FAULT_EVERY_SEC = Number(process.env.SOAK_FAULT_EVERY_SEC ?? 20);
const PG_CUT_SEC = Number(process.env.SOAK_PG_CUT_SEC ?? 10);
const CALL_SEC = Number(process.env.SOAK_CALL_SEC ?? 2);
const MAX_MIN = Number(process.env.SOAK_MAX_MIN ?? 60);
const rand = prng(SEED);

function say(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} soak: ${line}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// ------------------------------------------------------------------------------------------ own Redis
const redisPort = await freePort();
let redisProc: ChildProcess | undefined;
async function startRedis(): Promise<void> {
  redisProc = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync('redis-cli', ['-p', String(redisPort), 'ping'], { stdio: 'pipe' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('own redis-server did not start');
}
async function killRedis(): Promise<void> {
  const p = redisProc;
  if (!p || p.exitCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await gone;
}

// --------------------------------------------------------------------------------------- environment
const t = queueTestEnv('soak', {
  REDIS_URL: `redis://127.0.0.1:${redisPort}`,
  CALLQA_JOB_ATTEMPTS: '3',
  CALLQA_JOB_BACKOFF_MS: '200',
  CALLQA_LOCK_MS: '5000',
  CALLQA_STALLED_INTERVAL_MS: '2000',
});
const { dbName, dir, pipelinesDir, env } = t;
env.CALLQA_PIPELINES_DIR = path.join(ROOT, 'pipelines');
void pipelinesDir;

await startRedis();
await admin(`create database "${dbName}"`);
let ctx: QueueContext | undefined;
interface WorkerProc {
  proc: ChildProcess;
  log: string;
  /** RSS samples (kB) with seconds since this process started */
  rss: { sec: number; kb: number }[];
  started: number;
  killedByUs: boolean;
}
const workers: WorkerProc[] = [];
const retired: WorkerProc[] = [];
const crashes: string[] = [];
const faults = { kill: 0, redis: 0, pg: 0 };
const rssSamples: { atSec: number; totalKb: number }[] = [];
let cutActive = false;
let stopping = false;

async function cleanup(): Promise<void> {
  stopping = true;
  for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
  await admin(`alter database "${dbName}" allow_connections true`).catch(() => undefined);
  await ctx?.close().catch(() => undefined);
  await admin(`drop database if exists "${dbName}" with (force)`).catch(() => undefined);
  await killRedis();
  rmSync(dir, { recursive: true, force: true });
}
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

// SOAK_HEAP_MB caps each worker's V8 heap: a leak then ends in a crash the soak reports, not in a slow climb
const workerEnv = process.env.SOAK_HEAP_MB ? { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --max-old-space-size=${process.env.SOAK_HEAP_MB}`.trim() } : env;
function startWorker(slot: number): void {
  const proc = spawn(process.execPath, [BIN, 'worker', '--concurrency', '2', '--reconcile-every', '5', '--grace', '5'], { env: workerEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  const w: WorkerProc = { proc, log: '', rss: [], started: Date.now(), killedByUs: false };
  proc.once('exit', (code, signal) => {
    if (w.killedByUs || stopping) return;
    crashes.push(`worker ${proc.pid} exited by itself (${code ?? signal}): ${w.log.slice(-300)}`);
    retired.push(w);
    startWorker(slot);
  });
  proc.stderr!.on('data', (d: Buffer) => {
    w.log += d.toString();
    if (w.log.length > 200_000) w.log = w.log.slice(-100_000);
  });
  workers[slot] = w;
}

function rssKb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

try {
  // ------------------------------------------------------------------------------------------ calls
  say(`making ${N} calls of ${CALL_SEC} s (1 in 50 poisoned) in ${dir}`);
  ctx = await openQueueContext({ env });
  const req = { pipeline: resolvePipeline('support-en'), pipelineRef: 'support-en', options: { transcribe: false } };
  const expectFail = new Map<string, RegExp>();
  const runIds: string[] = [];
  const t0 = Date.now();
  for (let i = 0; i < N; i++) {
    const name = `soak-${String(i).padStart(5, '0')}.wav`;
    let file: string;
    if (i % 50 === 17) {
      file = path.join(dir, name);
      writeFileSync(file, `not audio ${i}\n`.repeat(20));
      expectFail.set(name, /probe|not.*audio|invalid data|ffprobe/i);
    } else {
      file = makeCall(dir, name, i, CALL_SEC, [
        { speaker: 'agent', start: 0.1, end: CALL_SEC / 2, text: i % 50 === 33 ? `thank you for calling\u0000 card 4111` : 'thank you for calling, my name is Sam' },
      ]);
      if (i % 50 === 33) expectFail.set(name, /segments\[0\]\.text: contains a control character \(U\+0000/);
    }
    const out = await enqueueRecording(ctx, { path: file, displayName: name }, req);
    if (out.runId) runIds.push(out.runId);
  }
  say(`enqueued ${runIds.length} in ${((Date.now() - t0) / 1000).toFixed(0)} s; starting two workers`);

  // ---------------------------------------------------------------------------------------- run
  startWorker(0);
  startWorker(1);
  const start = Date.now();
  let nextFault = start + (0.5 + rand()) * FAULT_EVERY_SEC * 1000;
  let lastLine = 0;
  let counts = { pending: 0, running: 0, done: 0, failed: 0 };
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const el = (Date.now() - start) / 1000;
    try {
      counts = await ctx.store.repo.countRunsByStatus();
    } catch {
      // the database is cut: keep going
    }
    if (counts.done + counts.failed >= runIds.length) break;
    if (el > MAX_MIN * 60) throw new Error(`not finished after ${MAX_MIN} min: ${JSON.stringify(counts)}`);
    if (Math.floor(el / 5) !== Math.floor((el - 1) / 5)) {
      let total = 0;
      for (const w of workers) {
        const kb = rssKb(w.proc.pid);
        total += kb;
        if (kb) w.rss.push({ sec: (Date.now() - w.started) / 1000, kb });
      }
      rssSamples.push({ atSec: el, totalKb: total });
    }
    if (el - lastLine >= 15) {
      lastLine = el;
      say(`${el.toFixed(0)} s: ${counts.done} done, ${counts.failed} failed, ${counts.pending} pending, ${counts.running} running; faults ${JSON.stringify(faults)}`);
    }
    if (Date.now() >= nextFault && !cutActive) {
      nextFault = Date.now() + (0.5 + rand()) * FAULT_EVERY_SEC * 1000;
      const r = rand();
      if (r < 0.4) {
        // only the second worker is killed: the first lives through the whole soak (Redis restarts and
        // PostgreSQL cuts included), so one process's memory can be followed from start to end
        const slot = 1;
        say(`fault: SIGKILL worker ${workers[slot].proc.pid}`);
        workers[slot].killedByUs = true;
        retired.push(workers[slot]);
        workers[slot].proc.kill('SIGKILL');
        faults.kill++;
        setTimeout(() => startWorker(slot), 1000);
      } else if (r < 0.7) {
        say('fault: Redis killed and restarted empty');
        faults.redis++;
        await killRedis();
        await new Promise((res) => setTimeout(res, 1000));
        await startRedis();
      } else {
        say(`fault: PostgreSQL cut for ${PG_CUT_SEC} s`);
        faults.pg++;
        cutActive = true;
        await admin(`alter database "${dbName}" allow_connections false`);
        await admin('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
        setTimeout(() => {
          void admin(`alter database "${dbName}" allow_connections true`).finally(() => (cutActive = false));
        }, PG_CUT_SEC * 1000);
      }
    }
  }
  const wallSec = (Date.now() - start) / 1000;

  // ------------------------------------------------------------------------------------------ check
  const q = async <T>(s: ReturnType<typeof sql>) => ((await ctx!.store.db.execute(s)) as unknown as { rows: T[] }).rows;
  const runs = await q<{ id: string; status: string; error: string | null; file: string; attempts: number }>(
    sql`select r.id, r.status, r.error, rec.file_name as file, r.attempts from analysis_runs r join recordings rec on rec.id = r.recording_id`,
  );
  const problems: string[] = [];
  let doneOk = 0;
  let failedOk = 0;
  for (const r of runs) {
    const want = expectFail.get(r.file);
    if (want) {
      if (r.status !== 'failed' || !want.test(r.error ?? '')) problems.push(`${r.file}: expected failed (${want}), got ${r.status}: ${r.error}`);
      else failedOk++;
    } else if (r.status !== 'done') problems.push(`${r.file}: expected done, got ${r.status}: ${r.error}`);
    else doneOk++;
  }
  const dupCards = await q<{ n: number }>(sql`select count(*)::int as n from (select run_id from scorecards group by run_id having count(*) > 1) d`);
  const dupEvents = await q<{ n: number }>(
    sql`select count(*)::int as n from (select run_id, type, start_sec, end_sec, speaker from events group by 1, 2, 3, 4, 5 having count(*) > 1) d`,
  );
  const doneWithoutCard = await q<{ n: number }>(sql`select count(*)::int as n from analysis_runs r where r.status = 'done' and not exists (select 1 from scorecards s where s.run_id = r.id)`);
  const retried = runs.filter((r) => r.attempts > 1).length;
  if (dupCards[0].n) problems.push(`${dupCards[0].n} run(s) with more than one scorecard`);
  if (dupEvents[0].n) problems.push(`${dupEvents[0].n} duplicated event group(s)`);
  if (doneWithoutCard[0].n) problems.push(`${doneWithoutCard[0].n} done run(s) without a scorecard`);
  const leaked = runs.filter((r) => (r.error ?? '').includes('4111')).length;
  if (leaked) problems.push(`${leaked} stored error(s) carry transcript text`);

  // memory: median of the first and last quarter of the samples (sum of both workers' RSS)
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const qn = Math.max(1, Math.floor(rssSamples.length / 4));
  const rssFirst = med(rssSamples.slice(0, qn).map((s) => s.totalKb));
  const rssLast = med(rssSamples.slice(-qn).map((s) => s.totalKb));
  const rssMax = Math.max(...rssSamples.map((s) => s.totalKb));
  // per process that lived at least 4 minutes: RSS after its first 2 minutes (warm: caches, JIT, pools)
  // against its last minute; the largest growth of any such process
  let growth = { pid: 0, fromMb: 0, toMb: 0, minutes: 0 };
  for (const w of [...retired, ...workers]) {
    const life = w.rss.at(-1)?.sec ?? 0;
    if (life < 240) continue;
    const warm = med(w.rss.filter((x) => x.sec >= 120 && x.sec < 180).map((x) => x.kb));
    const end = med(w.rss.filter((x) => x.sec >= life - 60).map((x) => x.kb));
    if (!growth.pid || end - warm > (growth.toMb - growth.fromMb) * 1024) growth = { pid: w.proc.pid ?? 0, fromMb: warm / 1024, toMb: end / 1024, minutes: life / 60 };
  }
  problems.push(...crashes);

  const summary = [
    `| calls | poisoned | wall time | calls/min | faults (kill / Redis restart / PostgreSQL cut ${PG_CUT_SEC} s) | done once | failed with reason | runs with >1 attempt | problems | RSS both workers, first -> last quarter (max) |`,
    '|---|---|---|---|---|---|---|---|---|---|',
    `| ${runIds.length} x ${CALL_SEC} s | ${expectFail.size} | ${(wallSec / 60).toFixed(1)} min | ${((doneOk + failedOk) / (wallSec / 60)).toFixed(0)} | ${faults.kill} / ${faults.redis} / ${faults.pg} | ${doneOk} | ${failedOk} | ${retried} | ${problems.length} | ${(rssFirst / 1024).toFixed(0)} -> ${(rssLast / 1024).toFixed(0)} MB (${(rssMax / 1024).toFixed(0)}) |`,
  ].join('\n');
  process.stdout.write(`${summary}\n`);
  process.stdout.write(
    growth.pid
      ? `longest-lived worker(s): largest RSS change from minute 2-3 of its life to its last minute: ${growth.fromMb.toFixed(0)} -> ${growth.toMb.toFixed(0)} MB over ${growth.minutes.toFixed(1)} min${process.env.SOAK_HEAP_MB ? ` (V8 heap capped at ${process.env.SOAK_HEAP_MB} MB)` : ''}\n`
      : 'no worker lived 4 minutes (faults too frequent for a per-process memory figure)\n',
  );
  for (const p of problems.slice(0, 30)) process.stdout.write(`problem: ${p}\n`);
  if (problems.length) {
    for (const [i, w] of workers.entries()) process.stderr.write(`--- worker ${i} log tail\n${w.log.slice(-4000)}\n`);
  }
  await cleanup();
  process.exit(problems.length ? 1 : 0);
} catch (err) {
  say(`error: ${(err as Error).stack ?? String(err)}`);
  for (const [i, w] of workers.entries()) process.stderr.write(`--- worker ${i} log tail\n${w?.log.slice(-4000)}\n`);
  await cleanup();
  process.exit(1);
}
