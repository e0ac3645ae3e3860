import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import type { CallReport } from '../src/pipeline/report.js';
import { openStore } from '../src/store/index.js';
import { fullestFolder } from '../src/core/disk-full.js';

/**
 * A disk that fills up in the middle of a batch, for real: a small tmpfs mounted for the data folder (the
 * embedded database's writes fail with "could not extend file …: No space left on device") or for the report.
 * The batch stops at the first full disk with one message naming the folder and what to do, exit 4, the calls
 * not yet analysed listed as not analysed (no failure line each), nothing partial stored for the call in flight;
 * run again with room, it goes on from where it stopped.
 *
 * Mounting needs root (CAP_SYS_ADMIN), which this project's test VMs have; elsewhere the suite is skipped, saying why.
 */
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'src', 'cli', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'callqa-diskfull-'));
const calls = join(work, 'calls');
const N = 12;
const mounts: string[] = [];

/** A tmpfs of `size` at a new folder under work, or why not. */
function mountTmpfs(name: string, size: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount -t tmpfs: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`);
  mounts.push(dir);
  return dir;
}

/** Whether a full disk can be made here at all (root, a mount command that works). */
const cannotMount: string | undefined = (() => {
  try {
    const probe = mkdtempSync(join(tmpdir(), 'callqa-mount-probe-'));
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { encoding: 'utf8' });
    if (r.status !== 0) return `cannot mount a tmpfs (needs root): ${(r.stderr || r.error?.message || '').trim()}`;
    spawnSync('umount', [probe]);
    rmSync(probe, { recursive: true, force: true });
    return undefined;
  } catch (err) {
    return `cannot mount a tmpfs: ${(err as Error).message}`;
  }
})();
if (cannotMount) console.warn(`analyze-disk-full: skipped: ${cannotMount}`);

/** Fills the disk holding `dir` with one file, leaving about `leaveKb` kB free. */
function fill(dir: string, leaveKb: number): void {
  const s = statfsSync(dir);
  const freeKb = Math.floor((s.bavail * s.bsize) / 1024);
  execFileSync('fallocate', ['-l', `${(freeKb - leaveKb) * 1024}`, join(dir, 'filler')]);
}

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: work, env: { ...process.env, DATABASE_URL: '', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function runCounts(dataDir: string): Promise<{ byStatus: Record<string, number>; doneFiles: string[]; findingsOfUndone: number }> {
  const store = await openStore({ dataDir });
  try {
    const q = async <T>(s: ReturnType<typeof sql>) => ((await store.db.execute(s)) as unknown as { rows: T[] }).rows;
    const by = await q<{ status: string; n: number }>(sql`select status, count(*)::int as n from analysis_runs group by status`);
    const done = await q<{ file_name: string }>(sql`select r.file_name from recordings r join analysis_runs a on a.recording_id = r.id where a.status = 'done'`);
    // a run that did not finish has no findings, transcript or scorecard: nothing partial
    const [partial] = await q<{ n: number }>(sql`select
      (select count(*) from events e join analysis_runs a on a.id = e.run_id where a.status <> 'done')::int +
      (select count(*) from scorecards s join analysis_runs a on a.id = s.run_id where a.status <> 'done')::int +
      (select count(*) from stage_outputs o join analysis_runs a on a.id = o.run_id where a.status <> 'done')::int as n`);
    return { byStatus: Object.fromEntries(by.map((r) => [r.status, r.n])), doneFiles: done.map((r) => r.file_name), findingsOfUndone: partial!.n };
  } finally {
    await store.close();
  }
}

interface Report {
  calls: CallReport[];
  summary: { calls: number; failed: number; interrupted: boolean; notFinished: string[]; diskFull?: { folder: string; guessed?: true; error: string } };
}

beforeAll(() => {
  if (cannotMount) return;
  mkdirSync(calls);
  for (let i = 0; i < N; i++) {
    execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `sine=f=${200 + i * 37}:d=3`, '-ar', '8000', join(calls, `c${String(i).padStart(2, '0')}.wav`)]);
  }
}, 60_000);

afterAll(() => {
  for (const m of mounts) spawnSync('umount', [m]);
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(cannotMount !== undefined)('a disk that fills up mid-batch', () => {
  it('the data folder: stops at the first full write, one message naming the folder, exit 4, the rest not analysed; again with room, it goes on', async () => {
    const mnt = mountTmpfs('data-disk', '48m');
    const data = join(mnt, 'data');
    // a data folder (~40 MB, the database's template) with one call in it, then the disk filled to ~150 kB:
    // a few calls fit, the next one's writes do not
    const first = await cli(['analyze', '-q', '--no-transcribe', '--jobs', '1', '--data', data, join(calls, 'c00.wav')]);
    expect(first.code, first.stderr).toBe(0);
    fill(mnt, 150);

    const report = join(work, 'data-full.json'); // on another disk: it can still be written whole
    const r = await cli(['analyze', '--no-table', '--no-transcribe', '--jobs', '2', '--data', data, '--json', report, calls]);
    expect(r.code, r.stderr).toBe(4);
    // one message for the disk, naming the data folder and what to do; no failure line per call
    expect(r.stderr).toContain(`callqa: disk full: no space left in ${data} (the data folder) while analysing ${calls}/c`);
    expect(r.stderr).toMatch(/No space left on device/);
    expect(r.stderr).toContain('free space on that disk (or move the data folder to a disk with room and give --data), then run the same command again');
    expect(r.stderr.match(/disk full:/g)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/: failed: /);
    expect(r.stderr).not.toMatch(/^callqa: \S+\.wav: /m);
    const m = /the batch stopped: (\d+) of (\d+) file\(s\) finished \((\d+) analysed, 0 failed, 0 skipped\); (\d+) not analysed \((\d+) stopped part-way, (\d+) not started\), nothing of them stored as results: /.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const [finished, total, analysed, notAnalysed, partWay, notStarted] = m!.slice(1).map(Number) as [number, number, number, number, number, number];
    expect(total).toBe(N);
    expect(finished + notAnalysed).toBe(N);
    expect(partWay + notStarted).toBe(notAnalysed);
    expect(partWay).toBeGreaterThanOrEqual(1); // the call that hit the full disk
    expect(analysed).toBe(finished);
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(notAnalysed).toBeGreaterThanOrEqual(1);
    expect(r.stderr).toContain(`; report: ${report}`);

    // the report is whole and says why the batch stopped
    const doc = JSON.parse(readFileSync(report, 'utf8')) as Report;
    expect(doc.calls).toHaveLength(finished);
    expect(doc.calls.every((c) => c.status === 'done' || c.status === 'cached')).toBe(true);
    expect(doc.summary).toMatchObject({ calls: finished, failed: 0, interrupted: true, diskFull: { folder: data } });
    expect(doc.summary.diskFull).not.toHaveProperty('guessed'); // the database said so: no guess
    expect(doc.summary.diskFull!.error).toMatch(/No space left on device/);
    expect(doc.summary.notFinished).toHaveLength(notAnalysed);

    // what is stored: the finished calls' results, nothing of the others (at most a failed run, no findings)
    const stored = await runCounts(data);
    expect(stored.byStatus.done).toBe(finished);
    expect(stored.byStatus.running ?? 0).toBe(0);
    expect(stored.findingsOfUndone).toBe(0);
    for (const f of doc.summary.notFinished) expect(stored.doneFiles).not.toContain(f);

    // room again: the same command goes on from where it stopped
    rmSync(join(mnt, 'filler'));
    const again = await cli(['analyze', '--no-transcribe', '--jobs', '2', '--data', data, '--json', report, calls]);
    expect(again.code, again.stderr).toBe(0);
    const doc2 = JSON.parse(readFileSync(report, 'utf8')) as Report;
    expect(doc2.calls.filter((c) => c.status === 'cached')).toHaveLength(finished);
    expect(doc2.calls.filter((c) => c.status === 'done')).toHaveLength(N - finished);
  }, 180_000);

  it("the report's disk: stops there, says the report is incomplete and which folder is full, exit 4; the calls before it are stored", async () => {
    const mnt = mountTmpfs('report-disk', '40k'); // a call's report entry is ~14 kB: two or three fit
    const report = join(mnt, 'report.json');
    const data = join(work, 'data-report-full');
    const r = await cli(['analyze', '-q', '--no-transcribe', '--jobs', '1', '--data', data, '--json', report, calls]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain(`callqa: disk full: no space left in ${mnt} (the report's folder (--json)) while writing the report:`);
    expect(r.stderr).toContain(`callqa: the report ${report} is incomplete (not valid JSON): `);
    expect(r.stderr).toContain('(or give --json a path on a disk with room)');
    expect(r.stderr).not.toContain('; report: ');
    const m = /the batch stopped: (\d+) of (\d+) file\(s\) finished \((\d+) analysed, 0 failed, 0 skipped\); (\d+) not analysed \(0 stopped part-way, (\d+) not started\)/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const [finished, total, , notAnalysed] = m!.slice(1).map(Number) as [number, number, number, number];
    expect(total).toBe(N);
    expect(finished + notAnalysed).toBe(N);
    expect(notAnalysed).toBeGreaterThan(0);
    // the call whose entry did not fit is stored (it was analysed); the report cannot hold it, and says nothing false
    expect(() => JSON.parse(readFileSync(report, 'utf8'))).toThrow();
    const stored = await runCounts(data);
    expect(stored.byStatus.done).toBe(finished);
    expect(stored.byStatus.failed ?? 0).toBe(0);
  }, 180_000);

  it("the report's disk full from the start (not even its first line fits): the same stop, the folder named, exit 4, no call analysed", async () => {
    const mnt = mountTmpfs('report-disk-0', '64k');
    fill(mnt, 0);
    const report = join(mnt, 'report.json');
    const data = join(work, 'data-report-full-0');
    const r = await cli(['analyze', '-q', '--no-transcribe', '--jobs', '1', '--data', data, '--json', report, calls]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain(`callqa: disk full: no space left in ${mnt} (the report's folder (--json)) while writing the report:`);
    expect(r.stderr).toContain(`callqa: the report ${report} is incomplete (not valid JSON): `);
    expect(r.stderr).toContain(`the batch stopped: 0 of ${N} file(s) finished (0 analysed, 0 failed, 0 skipped); ${N} not analysed (0 stopped part-way, ${N} not started)`);
    expect(r.stderr).toContain('(or give --json a path on a disk with room)');
    const stored = await runCounts(data);
    expect(stored.byStatus.done ?? 0).toBe(0);
  }, 180_000);

  it('a report written to standard output (--json -) redirected to a full disk: the same stop, no stack trace, exit 4', async () => {
    const mnt = mountTmpfs('stdout-disk', '40k');
    const out = openSync(join(mnt, 'report.json'), 'w');
    const data = join(work, 'data-stdout-full');
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [BIN, 'analyze', '-q', '--no-transcribe', '--jobs', '1', '--data', data, '--json', '-', calls], {
        cwd: work,
        env: { ...process.env, DATABASE_URL: '' },
        stdio: ['ignore', out, 'pipe'],
      });
      let stderr = '';
      p.stderr!.on('data', (d) => (stderr += d));
      p.on('close', (code) => resolve({ code, stderr }));
    });
    closeSync(out);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain('callqa: disk full: no space left where standard output goes (the report, --json -) while writing the report: ');
    expect(r.stderr).toContain('callqa: the report - is incomplete (not valid JSON): ');
    expect(r.stderr).toContain('free space where standard output goes (or give --json a file on a disk with room)');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stderr).toMatch(/the batch stopped: \d+ of 12 file\(s\) finished \(\d+ analysed, 0 failed, 0 skipped\); [1-9]\d* not analysed/);
  }, 180_000);

  it('the temp folder (TMPDIR), where the audio is decoded for whisper: stops there, names it and says to set TMPDIR, exit 4', async () => {
    const tmp = mountTmpfs('temp-disk', '1m');
    fill(tmp, 8);
    // a model file that exists makes the audio stage keep the decoded channels for whisper, in the temp folder;
    // ffmpeg's write there fails first, so the model is never read
    const model = join(work, 'ggml-stand-in.bin');
    writeFileSync(model, '');
    const data = join(work, 'data-temp-full');
    const report = join(work, 'temp-full.json');
    const r = await cli(['analyze', '--no-table', '--jobs', '2', '--model', model, '--data', data, '--json', report, calls], { TMPDIR: tmp });
    expect(r.code, r.stderr).toBe(4);
    // the write that failed was on an open file, in a worker thread: the error ("ENOSPC: no space left on device,
    // write") says no path, so the folder is the fullest disk of those the batch writes to, and said to be a guess
    expect(r.stderr).toContain(
      `callqa: disk full: no space left on a disk this batch writes to (the error does not say which; most likely ${tmp} (the temp folder (TMPDIR)), the fullest of them) while analysing ${calls}/c`,
    );
    expect((JSON.parse(readFileSync(report, 'utf8')) as Report).summary.diskFull).toMatchObject({ folder: tmp, guessed: true });
    // --jobs 2: several calls in flight hit the full disk at once; one is the call the batch stopped at
    expect(r.stderr.match(/\(the batch stops here\)/g), r.stderr).toHaveLength(1);
    expect(r.stderr).toContain('(or set TMPDIR to a folder on a disk with room), then run the same command again');
    expect(r.stderr.match(/disk full:/g)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/: failed: /);
    const m = /the batch stopped: 0 of 12 file\(s\) finished \(0 analysed, 0 failed, 0 skipped\); 12 not analysed \((\d+) stopped part-way, (\d+) not started\)/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(0); // the batch did stop: not every call was tried
    const stored = await runCounts(data);
    expect(stored.byStatus.done ?? 0).toBe(0);
    expect(stored.findingsOfUndone).toBe(0);
  }, 180_000);

  it('the fullest disk, for an error that does not say where: one with no inode left is full, whatever bytes it has free', () => {
    const inodes = join(work, 'inode-disk');
    mkdirSync(inodes);
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m,nr_inodes=8', 'tmpfs', inodes], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    mounts.push(inodes);
    for (let i = 0; ; i++) {
      try {
        writeFileSync(join(inodes, `f${i}`), '');
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
        break;
      }
    }
    const small = mountTmpfs('small-disk', '1m'); // fewer bytes free than the other, but room for files
    expect(fullestFolder([{ folder: small, what: 'small' }, { folder: inodes, what: 'no inodes' }])).toEqual({ folder: inodes, what: 'no inodes' });
  });

  it('the cache folder: not a reason to stop (the cache is optional: nothing half-written is left in it), exit 0', async () => {
    const cache = mountTmpfs('cache-disk', '1m');
    fill(cache, 8);
    const data = join(work, 'data-cache-full');
    // the data folder first, with a cache that works (a new one is a copy of the cached template)
    const first = await cli(['analyze', '-q', '--no-transcribe', '--jobs', '1', '--data', data, join(calls, 'c00.wav')]);
    expect(first.code, first.stderr).toBe(0);
    const r = await cli(['analyze', '-q', '--no-transcribe', '--jobs', '2', '--data', data, calls], { CALLQA_CACHE_DIR: cache });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const stored = await runCounts(data);
    expect(stored.byStatus.done).toBe(N);
    // what could not be written is not there in part
    const left = execFileSync('find', [cache, '-type', 'f', '!', '-name', 'filler'], { encoding: 'utf8' }).trim();
    for (const f of left ? left.split('\n') : []) expect(() => JSON.parse(readFileSync(f, 'utf8')), f).not.toThrow();
  }, 180_000);
});

describe('words of a full disk that are no full disk', () => {
  it("a recording whose own name holds the words (ENOSPC.wav, a folder 'No space left on device') that fails is that file's failure: exit 1, the batch goes on", async () => {
    const dir = join(work, 'No space left on device');
    mkdirSync(dir, { recursive: true });
    // not audio: ffmpeg's error quotes the path, the failure line names the file
    writeFileSync(join(dir, 'ENOSPC.wav'), 'RIFF not really a wave file at all, just text');
    execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=300:d=3', '-ar', '8000', join(dir, 'good.wav')]);
    const data = join(work, 'data-named');
    const r = await cli(['analyze', '--no-table', '--no-transcribe', '--jobs', '1', '--data', data, join(dir, 'ENOSPC.wav'), join(dir, 'good.wav')]);
    expect(r.stderr).not.toContain('disk full');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('1 of 2 call(s) analysed, 1 failed');
  }, 120_000);
});
