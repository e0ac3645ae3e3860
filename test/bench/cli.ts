/**
 * `npm run bench:cli`: start-up, one short call, batch throughput with --jobs, and peak memory of the shipped
 * CLI (dist/, built first), each run a fresh process timed by GNU time (wall and peak RSS of the process,
 * worker threads included; ffmpeg is its own process).
 *
 * 1. In the same run, interleaved (BENCH_ROUNDS rounds, median wall, worst RSS): `node -e 0`, `callqa --help`,
 *    one short call (samples/en-billing-bad.ogg, 62 s, 8 kHz-class stereo, with its transcript) analysed on an
 *    existing data folder (--force, so it is really analysed) and on a new one.
 * 2. A folder of short 8 kHz stereo mu-law calls (BENCH_CALLS, default 24; each a sample at its own gain, with
 *    its transcript) on a new data folder, BENCH_JOBS_ROUNDS interleaved rounds (default 3, median): --jobs 1
 *    pinned to one core (taskset, where it works), --jobs 1, --jobs <cores>; and, as this machine's ceiling for
 *    running the calls side by side, <cores> independent single-core processes each analysing its share of the
 *    batch into its own folder, and <cores> copies of a plain floating-point loop against one. x realtime =
 *    audio / wall; CPU-s = user + system of the process and the children it waited for.
 * 3. Peak RSS: a 2-hour 8 kHz stereo call (--no-transcribe) on an existing folder, the same call beside a short
 *    one with --jobs 2 (the long call's stages on a worker thread), and batches of 40 and 320
 *    20-second calls (memory must not grow with the batch).
 * Inputs are made once under test/.cache/bench/cli/. Targets (issue 10): --help within 6x of bare node; one
 * short call on an existing folder < 1.5 s; --jobs >= 1.7x on 2 cores; >= 400x realtime; 2-hour call < 400 MB.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_CACHE, ROOT, fmt, runCapture, tasksetAvailable } from './lib/child.js';
import { updateResultsSection } from './lib/results.js';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const JOBS_ROUNDS = Math.max(1, Number(process.env.BENCH_JOBS_ROUNDS ?? 3));
const CALLS = Math.max(2, Number(process.env.BENCH_CALLS ?? 24));
const BIG = Math.max(CALLS, Number(process.env.BENCH_BIG ?? 320));
const CORES = availableParallelism();
const DIR = path.join(BENCH_CACHE, 'cli');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const SAMPLES = ['en-billing-bad.ogg', 'en-escalation-real-voice.ogg', 'en-support-good.mp3', 'zh-billing-good.ogg', 'zh-complaint-bad.ogg'];
const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';

interface Timed {
  wallSec: number;
  rssMb: number;
  /** user + system CPU seconds of the process and the children it waited for */
  cpuSec: number;
  code: number | null;
  stderr: string;
}

const TIME_FORMAT = ['-f', 'BENCH_TIME %e %M %U %S'];
function parseTimed(argv: string[], stderr: string, code: number | null): Timed {
  const m = /BENCH_TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
  if (!m) throw new Error(`no timing for ${argv.join(' ')}: ${stderr}`);
  return { wallSec: Number(m[1]), rssMb: Number(m[2]) / 1024, cpuSec: Number(m[3]) + Number(m[4]), code, stderr };
}

function timed(argv: string[], env: NodeJS.ProcessEnv = {}): Timed {
  const r = spawnSync('/usr/bin/time', [...TIME_FORMAT, ...argv], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  return parseTimed(argv, r.stderr ?? '', r.status);
}

/** The same as timed, without waiting (several run side by side). */
async function timedAsync(argv: string[]): Promise<Timed> {
  const r = await runCapture('/usr/bin/time', [...TIME_FORMAT, ...argv], { env: { ...process.env, DATABASE_URL: '' } });
  return parseTimed(argv, r.stderr, r.code);
}

/** Several runs started together: wall = the last to finish, CPU summed, peak RSS the largest. */
async function sideBySide(argvs: string[][]): Promise<Timed> {
  const rs = await Promise.all(argvs.map(timedAsync));
  return {
    wallSec: Math.max(...rs.map((r) => r.wallSec)),
    rssMb: Math.max(...rs.map((r) => r.rssMb)),
    cpuSec: rs.reduce((a, r) => a + r.cpuSec, 0),
    // a child killed by a signal has code null: still a failure
    code: rs.some((r) => r.code !== 0) ? (rs.find((r) => r.code !== 0)!.code ?? -1) : 0,
    stderr: rs.map((r) => r.stderr).join('\n'),
  };
}

/** A plain floating-point loop (no allocation, a 512 kB table): what two busy cores give two copies of simple work. */
const LOOP = 'const a=new Float64Array(65536);let s=0;for(let i=0;i<6e8;i++){const j=i&65535;a[j]=a[j]*0.5+i*1e-9;s+=a[(j*7)&65535];}if(s<0)console.log(s);';

function ff(args: string[]): void {
  const r = spawnSync(FFMPEG, ['-v', 'error', '-nostdin', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${r.stderr}`);
}

/** n calls: the samples in turn, each at its own gain (so each has its own bytes), 8 kHz stereo mu-law. */
function makeBatch(name: string, n: number, maxSec?: number): { dir: string; audioSec: number } {
  const dir = path.join(DIR, name);
  const done = path.join(dir, '.complete');
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < n; i++) {
      const s = SAMPLES[i % SAMPLES.length];
      const stem = `${String(i).padStart(4, '0')}-${s.replace(/\.\w+$/, '')}`;
      ff(['-i', path.join(ROOT, 'samples', s), ...(maxSec ? ['-t', String(maxSec)] : []), '-af', `volume=${(0.8 + 0.4 * ((i * 37) % 100) / 100).toFixed(3)}`, '-ac', '2', '-ar', '8000', '-c:a', 'pcm_mulaw', path.join(dir, `${stem}.wav`)]);
      if (!maxSec) copyFileSync(path.join(ROOT, 'samples', s.replace(/\.\w+$/, '.transcript.json')), path.join(dir, `${stem}.transcript.json`));
    }
    copyFileSync(path.join(ROOT, 'package.json'), done);
  }
  return { dir, audioSec: audioSecOf(dir) };
}

function audioSecOf(dir: string): number {
  let sec = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.wav'))) {
    const r = spawnSync(process.env.FFPROBE_PATH ?? 'ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path.join(dir, f)], { encoding: 'utf8' });
    sec += Number(r.stdout.trim()) || 0;
  }
  return sec;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)] + s[Math.ceil(m)]) / 2;
}

const analyze = (args: string[]) => [process.execPath, CLI, 'analyze', '-q', '--no-table', ...args];

console.log('Building dist/ (npm run build:server) ...');
const b = spawnSync('npm', ['run', '-s', 'build:server'], { cwd: ROOT, stdio: 'inherit' });
if (b.status !== 0) throw new Error('build failed');
mkdirSync(DIR, { recursive: true });
const tmp = mkdtempSync(path.join(tmpdir(), 'callqa-bench-cli-'));
const load0 = loadavg()[0];

// 1. start-up and one short call
const short = path.join(DIR, 'short');
mkdirSync(short, { recursive: true });
copyFileSync(path.join(ROOT, 'samples', 'en-billing-bad.ogg'), path.join(short, 'call.ogg'));
copyFileSync(path.join(ROOT, 'samples', 'en-billing-bad.transcript.json'), path.join(short, 'call.transcript.json'));
const existing = path.join(tmp, 'existing');
const warm = timed(analyze(['--data', existing, path.join(short, 'call.ogg')]));
if (warm.code !== 0) throw new Error(`analyze failed: ${warm.stderr}`);
const rows: Record<string, Timed[]> = { 'node -e 0': [], 'callqa --help': [], 'one short call, existing data folder': [], 'one short call, new data folder': [] };
for (let i = 0; i < ROUNDS; i++) {
  rows['node -e 0'].push(timed([process.execPath, '-e', '0']));
  rows['callqa --help'].push(timed([process.execPath, CLI, '--help']));
  rows['one short call, existing data folder'].push(timed(analyze(['--data', existing, '--force', path.join(short, 'call.ogg')])));
  rows['one short call, new data folder'].push(timed(analyze(['--data', path.join(tmp, `new-${i}`), path.join(short, 'call.ogg')])));
}
const med = (k: string) => median(rows[k].map((r) => r.wallSec));
const worst = (k: string) => Math.max(...rows[k].map((r) => r.rssMb));

// 2. batch throughput
console.log(`Preparing ${CALLS} short calls and the memory inputs (once) ...`);
const batch = makeBatch(`batch-${CALLS}`, CALLS);
const batchFiles = readdirSync(batch.dir)
  .filter((f) => f.endsWith('.wav'))
  .sort();
// the batch in shares (symbolic links), one per core (no more than there are calls), for the independent processes
const shares = Array.from({ length: Math.min(CORES, batchFiles.length) }, (_, k) => path.join(tmp, `share-${k}`));
// pinned to CPUs 0..n-1 only where taskset works for each of them (a process may be allowed other CPUs)
const pin = (await tasksetAvailable()) && shares.every((_, k) => spawnSync('taskset', ['-c', String(k), 'true']).status === 0);
const pinned = (core: number, argv: string[]) => (pin ? ['taskset', '-c', String(core), ...argv] : argv);
for (const d of shares) mkdirSync(d, { recursive: true });
batchFiles.forEach((f, i) => {
  const stem = f.replace(/\.wav$/, '');
  for (const name of [f, `${stem}.transcript.json`]) if (existsSync(path.join(batch.dir, name))) symlinkSync(path.join(batch.dir, name), path.join(shares[i % shares.length], name));
});
const jobsKinds = {
  pinned: pin ? '`--jobs 1` pinned to one core' : '`--jobs 1` (not pinned: taskset cannot pin here)',
  one: '`--jobs 1`',
  all: `\`--jobs ${CORES}\``,
  independent: `${shares.length} independent ${pin ? 'single-core ' : ''}processes, a share of the batch each (peak RSS: the largest one)`,
} as const;
const jobsRuns: Record<keyof typeof jobsKinds, Timed[]> = { pinned: [], one: [], all: [], independent: [] };
const loopRuns: { one: number[]; many: number[] } = { one: [], many: [] };
for (let i = 0; i < JOBS_ROUNDS; i++) {
  const data = (k: string) => ['--data', path.join(tmp, `batch-${k}-${i}`)];
  jobsRuns.pinned.push(timed(pinned(0, analyze([...data('p'), '--jobs', '1', batch.dir]))));
  jobsRuns.one.push(timed(analyze([...data('1'), '--jobs', '1', batch.dir])));
  jobsRuns.all.push(timed(analyze([...data('n'), '--jobs', String(CORES), batch.dir])));
  jobsRuns.independent.push(await sideBySide(shares.map((d, k) => pinned(k, analyze([...data(`i${k}`), '--jobs', '1', d])))));
  const loops = [timed([process.execPath, '-e', LOOP]), await sideBySide(shares.map((_, k) => pinned(k, [process.execPath, '-e', LOOP])))];
  if (loops.some((l) => l.code !== 0)) throw new Error(`the reference loop failed: ${loops.map((l) => l.stderr).join('\n')}`);
  loopRuns.one.push(loops[0].wallSec);
  loopRuns.many.push(loops[1].wallSec);
}
const jobsMed = (k: keyof typeof jobsKinds) => median(jobsRuns[k].map((t) => t.wallSec));

// 3. memory
const long = path.join(DIR, 'long-2h.wav');
if (!existsSync(long)) {
  ff(['-stream_loop', '-1', '-i', path.join(ROOT, 'samples', 'zh-complaint-bad.ogg'), '-t', '7200', '-ac', '2', '-ar', '8000', '-c:a', 'pcm_mulaw', `${long}.partial.wav`]);
  renameSync(`${long}.partial.wav`, long);
}
const longRun = timed(analyze(['--data', existing, '--no-transcribe', long]));
// the same 2-hour call beside a short one with --jobs 2: the long call's stages run on a worker thread
const pair = path.join(DIR, 'long-pair');
if (!existsSync(path.join(pair, 'short.wav'))) {
  mkdirSync(pair, { recursive: true });
  ff(['-i', path.join(ROOT, 'samples', 'zh-billing-good.ogg'), '-ac', '2', '-ar', '8000', '-c:a', 'pcm_mulaw', path.join(pair, 'short.wav')]);
}
rmSync(path.join(pair, 'long.wav'), { force: true });
symlinkSync(long, path.join(pair, 'long.wav'));
const longPairRun = timed(analyze(['--data', path.join(tmp, 'pair'), '--no-transcribe', '--jobs', '2', pair]));
const small = makeBatch('mem-40', 40, 20);
const big = makeBatch(`mem-${BIG}`, BIG, 20);
// on the existing folder: a new one's peak is the creating child's (~700 MB for a few seconds), not the batch's
const smallRun = timed(analyze(['--data', existing, '--no-transcribe', small.dir]));
const bigRun = timed(analyze(['--data', existing, '--no-transcribe', big.dir]));
rmSync(tmp, { recursive: true, force: true });

const md: string[] = [];
const out = (l: string) => {
  console.log(l);
  md.push(l);
};
out('\n## CLI benchmark (test/bench/cli.ts)\n');
out(`${CORES} cores, Node ${process.version}, load average ${load0.toFixed(1)} at the start; median of ${ROUNDS} interleaved fresh-process runs (wall), worst peak RSS (GNU time: the process or the largest child it waited for, so a new data folder shows the creating child's peak).\n`);
out('| run | wall s | vs node -e 0 | peak RSS MB |');
out('|---|---:|---:|---:|');
for (const k of Object.keys(rows)) out(`| ${k} | ${fmt(med(k))} | ${fmt(med(k) / med('node -e 0'), 1)}x | ${fmt(worst(k), 0)} |`);
out(`\n${CALLS} short 8 kHz stereo calls (${fmt(batch.audioSec / 60, 1)} min of audio, transcripts beside them), new data folder:\n`);
out(`${JOBS_ROUNDS} interleaved rounds, median wall; speed-up against the first row.\n`);
out('| run | wall s (range) | x realtime | speed-up | CPU-s | peak RSS MB |');
out('|---|---:|---:|---:|---:|---:|');
for (const k of Object.keys(jobsKinds) as (keyof typeof jobsKinds)[]) {
  const ts = jobsRuns[k].map((t) => t.wallSec);
  out(
    `| ${jobsKinds[k]} | ${fmt(jobsMed(k))} (${fmt(Math.min(...ts))}-${fmt(Math.max(...ts))}) | ${fmt(batch.audioSec / jobsMed(k), 0)} | ${fmt(jobsMed('pinned') / jobsMed(k))}x | ` +
      `${fmt(median(jobsRuns[k].map((t) => t.cpuSec)), 1)} | ${fmt(Math.max(...jobsRuns[k].map((t) => t.rssMb)), 0)} |`,
  );
}
out(`\n${shares.length} copies of a plain floating-point loop side by side against one: ${fmt((median(loopRuns.one) * shares.length) / median(loopRuns.many))}x (${fmt(median(loopRuns.many))} s against ${fmt(median(loopRuns.one))} s for one).`);
out('\nPeak memory of the whole analysis (--no-transcribe, default --jobs):\n');
out('| input | wall s | x realtime | peak RSS MB |');
out('|---|---:|---:|---:|');
out(`| one 2-hour call, existing data folder | ${fmt(longRun.wallSec)} | ${fmt(7200 / longRun.wallSec, 0)} | ${fmt(longRun.rssMb, 0)} |`);
out(`| the 2-hour call and a short one, \`--jobs 2\` (the long one on a worker thread), new data folder | ${fmt(longPairRun.wallSec)} | ${fmt(7200 / longPairRun.wallSec, 0)} | ${fmt(longPairRun.rssMb, 0)} |`);
out(`| 40 calls of 20 s, existing data folder | ${fmt(smallRun.wallSec)} | ${fmt(small.audioSec / smallRun.wallSec, 0)} | ${fmt(smallRun.rssMb, 0)} |`);
out(`| ${BIG} calls of 20 s, existing data folder | ${fmt(bigRun.wallSec)} | ${fmt(big.audioSec / bigRun.wallSec, 0)} | ${fmt(bigRun.rssMb, 0)} |`);
const speedUp = jobsMed('pinned') / jobsMed('all');
out(
  `\nTargets: --help within 6x of node: ${med('callqa --help') / med('node -e 0') <= 6 ? 'MET' : 'MISSED'}; one short call on an existing folder < 1.5 s: ${med('one short call, existing data folder') < 1.5 ? 'MET' : 'MISSED'}; ` +
    `--jobs ${CORES} >= 1.7x ${pin ? 'one core' : '--jobs 1 (not pinned)'}: ${speedUp >= 1.7 ? 'MET' : 'MISSED'} (${fmt(speedUp)}x; independent processes ${fmt(jobsMed('pinned') / jobsMed('independent'))}x); ` +
    `>= 400x realtime: ${batch.audioSec / jobsMed('all') >= 400 ? 'MET' : 'MISSED'}; 2-hour call < 400 MB: ${longRun.rssMb < 400 ? 'MET' : 'MISSED'}.`,
);
for (const r of [warm, longRun, longPairRun, smallRun, bigRun, ...Object.values(jobsRuns).flat()]) if (r.code !== 0) console.log(`(a run exited ${r.code}: ${r.stderr.slice(-500)})`);
updateResultsSection('cli', md.join('\n'));
