/**
 * `npm run bench`: throughput and memory of callqa's WHOLE audio analysis on a long 8 kHz stereo call.
 *
 * 1. Build (cached under test/.cache/bench/) a 60-minute 8 kHz stereo call with callgen's buildLongCall, in a
 *    separate child process (the generator itself needs ~360 MB, which must not pollute the measurement).
 * 2. In a fresh `node --import tsx` child process per run, time probe + extractFeatures (streamed ffmpeg
 *    decode to 16 kHz + frame features) + detectVoiceActivity + the detectors (dead air, hold, talk-over,
 *    talk metrics) and read the process's peak RSS (process.resourceUsage().maxRSS, /proc VmHWM). ffmpeg
 *    runs as its own process: its CPU is counted in "CPU s (all)" (GNU time over the child tree), its
 *    memory is not in the Node RSS column.
 * 3. The same pinned to one core with `taskset -c 0` (Node, its threads and ffmpeg all share CPU 0).
 * 4. If a target is missed (>= 300x realtime on one core, < 300 MB RSS) or BENCH_PROFILE=1: profile the
 *    analysis with `node --cpu-prof` and print the top self-time functions.
 * 5. Then run test/bench/vad-compare.ts (callqa's VAD vs WebRTC VAD vs Silero VAD), unless BENCH_SKIP_VAD=1.
 *
 * Env: BENCH_MINUTES (default 60), BENCH_CODEC (mulaw | pcm16 | alaw | flac; default mulaw), BENCH_RUNS (2).
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BENCH_CACHE, ROOT, fmt, runCapture, runTsChild, tasksetAvailable } from './lib/child.js';
import { topSelf } from './lib/cpuprofile.js';
import { updateResultsSection } from './lib/results.js';

const MINUTES = Number(process.env.BENCH_MINUTES ?? 60);
const CODEC = process.env.BENCH_CODEC ?? 'mulaw';
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 2));
const TARGET_X = 300;
const TARGET_RSS_MB = 300;

interface Measure {
  durationSec: number;
  codec: string;
  sampleRate: number;
  channels: number;
  probeSec: number;
  extractSec: number;
  vadSec: number;
  detectSec: number;
  wallSec: number;
  cpuSec: number;
  maxRssMb: number;
  vmHwmMb: number | null;
  rssAtStartMb: number | null;
  events: Record<string, number>;
  talkRatio: number | null;
  /** user+sys of the whole child tree (node + ffmpeg + ffprobe), from GNU time */
  treeCpuSec?: number;
}

async function ensureLongCall(): Promise<string> {
  mkdirSync(BENCH_CACHE, { recursive: true });
  const file = path.join(BENCH_CACHE, `long-${MINUTES}min-8k-${CODEC}.${CODEC === 'flac' ? 'flac' : 'wav'}`);
  if (existsSync(file) && existsSync(`${file}.truth.json`)) return file;
  console.log(`Building the ${MINUTES}-minute 8 kHz stereo ${CODEC} call (once, cached in ${path.relative(ROOT, BENCH_CACHE)}) ...`);
  const r = await runTsChild<{ seconds: number }>('lib/build-long.ts', [file, String(MINUTES), CODEC]);
  console.log(`  built in ${r.seconds.toFixed(0)} s`);
  return file;
}

/** One measured run in a fresh process, wrapped in GNU time (if present) for the CPU of the whole tree. */
async function measure(file: string, pin: boolean): Promise<Measure> {
  const script = path.join(ROOT, 'test/bench/lib/measure-audio.ts');
  const node = [process.execPath, '--import', 'tsx', script, file];
  const hasTime = existsSync('/usr/bin/time');
  const timed = hasTime ? ['/usr/bin/time', '-f', 'TREE_CPU %U %S', ...node] : node;
  const argv = pin ? ['taskset', '-c', '0', ...timed] : timed;
  const r = await runCapture(argv[0], argv.slice(1));
  if (r.code !== 0) throw new Error(`measure-audio failed (${r.code}):\n${r.stderr}`);
  const m = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Measure;
  const t = /TREE_CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (t) m.treeCpuSec = Number(t[1]) + Number(t[2]);
  return m;
}

function best(runs: Measure[]): Measure {
  // fastest run's timings, worst run's memory
  const fastest = [...runs].sort((a, b) => a.wallSec - b.wallSec)[0];
  return { ...fastest, maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)), vmHwmMb: Math.max(...runs.map((r) => r.vmHwmMb ?? 0)) || null };
}

async function profile(file: string): Promise<void> {
  const dir = path.join(BENCH_CACHE, 'prof');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log('\nProfiling (node --cpu-prof, one core) ...');
  await runTsChild<Measure>('lib/measure-audio.ts', [file], { pinCpu0: await tasksetAvailable(), nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] });
  const prof = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (!prof.length) return console.log('  no profile written');
  const { totalMs, hot } = topSelf(path.join(dir, prof[0]), ROOT, 15);
  console.log(`\nTop self time (${(totalMs / 1000).toFixed(1)} s sampled in the Node process; profile: ${path.relative(ROOT, path.join(dir, prof[0]))})\n`);
  console.log('| self ms | self % | function | where |');
  console.log('|---:|---:|---|---|');
  for (const h of hot) console.log(`| ${h.selfMs.toFixed(0)} | ${h.selfPct.toFixed(1)} | ${h.fn} | ${h.where} |`);
}

const file = await ensureLongCall();
const rows: { label: string; m: Measure }[] = [];
const pinOk = await tasksetAvailable();
for (const pin of pinOk ? [false, true] : [false]) {
  const runs: Measure[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(file, pin));
  rows.push({ label: pin ? '1 core (taskset -c 0)' : 'all cores', m: best(runs) });
}

const m0 = rows[0].m;
const md: string[] = [];
const out = (line: string) => {
  console.log(line);
  md.push(line);
};
out(`\n## Audio analysis benchmark (test/bench/audio.ts)\n`);
out(
  `Input: ${path.relative(ROOT, file)} — ${(m0.durationSec / 60).toFixed(1)} min, ${m0.codec}, ${m0.sampleRate} Hz, ${m0.channels} ch. ` +
    `Whole analysis = probe + streamed decode (ffmpeg -> 16 kHz s16le) + frame features + VAD (leak removal, hold) + detectors. ` +
    `Best of ${RUNS} fresh-process runs; Node ${process.version}.\n`,
);
out('| run | wall s | x-realtime | probe s | decode+features s | VAD s | detectors s | CPU s (node) | CPU s (node+ffmpeg) | peak RSS MB (node) |');
out('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const { label, m } of rows)
  out(
    `| ${label} | ${fmt(m.wallSec)} | ${fmt(m.durationSec / m.wallSec, 0)} | ${fmt(m.probeSec)} | ${fmt(m.extractSec)} | ${fmt(m.vadSec)} | ${fmt(m.detectSec, 3)} | ${fmt(m.cpuSec)} | ${fmt(m.treeCpuSec)} | ${fmt(Math.max(m.maxRssMb, m.vmHwmMb ?? 0), 0)} |`,
  );
out(`\nEvents found: ${JSON.stringify(m0.events)}, talk ratio ${m0.talkRatio}`);

const oneCore = rows.find((r) => r.label.startsWith('1 core'))?.m ?? m0;
const xOne = oneCore.durationSec / oneCore.wallSec;
const rss = Math.max(...rows.map((r) => Math.max(r.m.maxRssMb, r.m.vmHwmMb ?? 0)));
const okX = xOne >= TARGET_X;
const okRss = rss < TARGET_RSS_MB;
out(
  `\nTargets: >= ${TARGET_X}x realtime on one core: ${okX ? 'MET' : 'MISSED'} (${xOne.toFixed(0)}x${pinOk ? '' : ', taskset unavailable: unpinned'}); ` +
    `< ${TARGET_RSS_MB} MB RSS: ${okRss ? 'MET' : 'MISSED'} (${rss.toFixed(0)} MB).`,
);
updateResultsSection('audio', md.join('\n'));
if (!okX || !okRss || process.env.BENCH_PROFILE === '1') await profile(file);

const others = ['text.ts', 'asr.ts'].filter((f) => existsSync(path.join(ROOT, 'test/bench', f)));
if (others.length) console.log(`\nNote: other benchmarks exist, run them separately: ${others.map((f) => `npx tsx test/bench/${f}`).join(', ')}`);

if (process.env.BENCH_SKIP_VAD !== '1') {
  console.log('\nRunning test/bench/vad-compare.ts ...');
  const r = await runCapture(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/bench/vad-compare.ts')], { inherit: true });
  process.stdout.write(r.stdout);
  if (r.code !== 0) process.exitCode = 1;
}
