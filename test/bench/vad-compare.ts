/**
 * callqa's voice activity beside WebRTC VAD (libfvad/WASM) and Silero VAD v5 (ONNX) on the same generated
 * test calls with known ground truth. Run by `npm run bench` after the audio benchmark, or alone:
 *   npx tsx test/bench/vad-compare.ts        (env VAD_CALLS=20, VAD_SEED0=1001)
 *
 * Method
 * - Calls: randomCallSpec(seed, { randomCodec: true }) for seeds VAD_SEED0 .. VAD_SEED0+N-1, built once with
 *   callgen's buildCall and cached under test/.cache/bench/vad/. Each call is 1.5-4 min of real voices
 *   (asterisk prompts) or espeak-ng, with random noise floors, a quiet side, crosstalk, line echo, babble, AGC
 *   pumping, hold music/tones, and a random 8 kHz stereo codec (pcm16, mu-law, A-law, GSM, mp3 16k, opus,
 *   aac, flac).
 * - Decoding: every call is decoded ONCE with callqa's decodePcm (ffmpeg -> 16 kHz s16le stereo), in memory;
 *   the x-realtime column times the VAD only (call duration / VAD seconds for both channels, one thread),
 *   decode time is reported separately. For callqa "VAD" = frame features (FeatureExtractor, what
 *   extractFeatures does on the stream) + detectVoiceActivity (leak removal, levels, hold).
 * - WebRTC VAD: per channel, 30 ms frames at 16 kHz, modes 1 and 3. Silero v5: per channel, 512-sample
 *   chunks + 64-sample context (the reference wrapper's framing), threshold 0.5, hysteresis to 0.35,
 *   single-threaded onnxruntime. Both get the same smoothing as callqa's own: gaps < 0.25 s bridged,
 *   islands < 0.12 s dropped. Neither has hold detection: music on hold counted as speech is their miss.
 * - Scores: speech P/R/F1 over speech time (seconds), pooled over all calls and both channels, against the
 *   clean-source truth (20 ms resolution of the spans). Talk-over: each VAD's timeline through callqa's
 *   detectTalkOver (same params as the product: min 0.5 s, backchannels <= 1.2 s, turn gap 0.7 s), events
 *   matched to truth with eventScores (>= 30% overlap of the shorter), pooled P/R/F1.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodePcm } from '../../src/audio/ffmpeg.js';
import { FeatureExtractor } from '../../src/audio/features.js';
import { detectVoiceActivity } from '../../src/audio/vad.js';
import { eventScores, intersectSpans, mergeSpans, spanDuration } from '../../src/core/spans.js';
import type { SpeechTimeline, TimeSpan } from '../../src/core/types.js';
import { detectTalkOver } from '../../src/detect/talk-over.js';
import { AUDIO_PARAMS, pool } from '../support/audio-eval.js';
import { CODEC_EXT, buildCall, randomCallSpec, type GroundTruth } from '../support/callgen.js';
import { BENCH_CACHE, ROOT, fmt } from './lib/child.js';
import { updateResultsSection } from './lib/results.js';
import { SileroVad, WebRtcVad } from './lib/vads.js';

const N = Number(process.env.VAD_CALLS ?? 20);
const SEED0 = Number(process.env.VAD_SEED0 ?? 1001);
const RATE = 16000;
const DIR = path.join(BENCH_CACHE, 'vad');

interface Call {
  seed: number;
  file: string;
  truth: GroundTruth;
}

async function ensureCalls(): Promise<Call[]> {
  mkdirSync(DIR, { recursive: true });
  const calls: Call[] = [];
  for (let seed = SEED0; seed < SEED0 + N; seed++) {
    const truthFile = path.join(DIR, `call-${seed}.truth.json`);
    if (existsSync(truthFile)) {
      const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as GroundTruth;
      const file = path.join(DIR, `call-${seed}.${CODEC_EXT[truth.codec]}`);
      if (existsSync(file)) {
        calls.push({ seed, file, truth });
        continue;
      }
    }
    const spec = await randomCallSpec(seed, { randomCodec: true });
    const file = path.join(DIR, `call-${seed}.${CODEC_EXT[spec.impairments?.codec ?? 'pcm16']}`);
    process.stderr.write(`  building test call ${seed} (${spec.impairments?.codec}, ${spec.durationSec} s)\n`);
    const truth = await buildCall(spec, file);
    writeFileSync(truthFile, JSON.stringify(truth));
    calls.push({ seed, file, truth });
  }
  return calls;
}

async function decodeStereo(file: string): Promise<{ left: Int16Array; right: Int16Array; interleaved: Buffer; seconds: number }> {
  const t0 = performance.now();
  const { stdout, done } = decodePcm(file, file, { sampleRate: RATE, channels: 2 });
  const chunks: Buffer[] = [];
  const consume = (async () => {
    for await (const c of stdout) chunks.push(c as Buffer);
  })();
  await Promise.all([consume, done]);
  const interleaved = Buffer.concat(chunks);
  const pcm = new Int16Array(interleaved.buffer, interleaved.byteOffset, interleaved.length >> 1);
  const n = pcm.length >> 1;
  const left = new Int16Array(n);
  const right = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    left[i] = pcm[2 * i];
    right[i] = pcm[2 * i + 1];
  }
  return { left, right, interleaved, seconds: (performance.now() - t0) / 1000 };
}

interface Acc {
  tp: number;
  det: number;
  ref: number;
  vadSec: number;
  audioSec: number;
  talkOver: { tp: number; fp: number; fn: number }[];
}

const newAcc = (): Acc => ({ tp: 0, det: 0, ref: 0, vadSec: 0, audioSec: 0, talkOver: [] });

function score(acc: Acc, agent: TimeSpan[], customer: TimeSpan[], hold: TimeSpan[], truth: GroundTruth, vadSec: number, tails: [TimeSpan[], TimeSpan[]] = [[], []]): void {
  for (const [det, ref] of [
    [agent, truth.speech.agent],
    [customer, truth.speech.customer],
  ] as const) {
    const d = mergeSpans(det);
    const r = mergeSpans(ref);
    acc.tp += spanDuration(intersectSpans(d, r));
    acc.det += spanDuration(d);
    acc.ref += spanDuration(r);
  }
  const tl: SpeechTimeline = {
    durationSec: truth.durationSec,
    channels: [
      { speaker: 'agent', speech: agent, tails: tails[0] },
      { speaker: 'customer', speech: customer, tails: tails[1] },
    ],
    hold,
  };
  const to = (detectTalkOver(tl, AUDIO_PARAMS) ?? []).filter((e) => e.type === 'talk_over').map((e) => ({ start: e.start, end: e.end }));
  acc.talkOver.push(eventScores(to, truth.talkOver));
  acc.vadSec += vadSec;
  acc.audioSec += truth.durationSec;
}

function callqaVad(interleaved: Buffer): { agent: TimeSpan[]; customer: TimeSpan[]; hold: TimeSpan[]; tails: [TimeSpan[], TimeSpan[]]; seconds: number } {
  const t0 = performance.now();
  const fx = new FeatureExtractor(RATE, 2);
  const CHUNK = 65536; // like the ffmpeg pipe's chunks
  for (let o = 0; o < interleaved.length; o += CHUNK) fx.push(interleaved.subarray(o, Math.min(interleaved.length, o + CHUNK)));
  const f = fx.finish();
  const v = detectVoiceActivity(f, { holdMinSec: AUDIO_PARAMS.holdMinSec }, 0);
  const seconds = (performance.now() - t0) / 1000;
  // (a room's decaying tails, which callqa leaves out of talk-over, go with its timeline)
  return { agent: v.channels[0]?.speech ?? [], customer: v.dualMono ? [] : (v.channels[1]?.speech ?? []), hold: v.hold, tails: [v.channels[0]?.tails ?? [], v.dualMono ? [] : (v.channels[1]?.tails ?? [])], seconds };
}

const calls = await ensureCalls();
const names = ['callqa (detectVoiceActivity)', 'WebRTC VAD mode 3 (fvad, 30 ms)', 'WebRTC VAD mode 1 (fvad, 30 ms)', 'Silero VAD v5 (thr 0.5)'] as const;
const acc = Object.fromEntries(names.map((n) => [n, newAcc()])) as Record<(typeof names)[number], Acc>;
const webrtc3 = await WebRtcVad.create(3, RATE, 30);
const webrtc1 = await WebRtcVad.create(1, RATE, 30);
const silero = await SileroVad.create(0.5);
let decodeSec = 0;
let audioSec = 0;
const perCall: string[] = [];
for (const call of calls) {
  const { left, right, interleaved, seconds } = await decodeStereo(call.file);
  decodeSec += seconds;
  audioSec += call.truth.durationSec;
  const to: string[] = [];
  const q = callqaVad(interleaved);
  score(acc[names[0]], q.agent, q.customer, q.hold, call.truth, q.seconds, q.tails);
  for (const [name, vad] of [
    [names[1], webrtc3],
    [names[2], webrtc1],
  ] as const) {
    const t0 = performance.now();
    const a = vad.run(left);
    const c = vad.run(right);
    score(acc[name], a, c, [], call.truth, (performance.now() - t0) / 1000);
  }
  {
    const t0 = performance.now();
    const a = await silero.run(left);
    const c = await silero.run(right);
    score(acc[names[3]], a, c, [], call.truth, (performance.now() - t0) / 1000);
  }
  for (const n of names) {
    const e = acc[n].talkOver[acc[n].talkOver.length - 1];
    to.push(`${e.tp}/${e.tp + e.fn}${e.fp ? ` +${e.fp}fp` : ''}`);
  }
  const imp = call.truth.impairments;
  const tags = [imp.codec, imp.gainDb && 'quiet-side', imp.crosstalk && 'xtalk', imp.echo && 'echo', imp.babble && 'babble', imp.agcPumping && 'agc', call.truth.hold.length && 'hold'].filter(Boolean).join(' ');
  perCall.push(`| ${call.seed} | ${call.truth.durationSec} | ${tags} | ${to.join(' | ')} |`);
  process.stderr.write(`  call ${call.seed} done (${tags})\n`);
}
webrtc3.free();
webrtc1.free();
await silero.release();

const lines: string[] = [];
lines.push('| VAD | speech P | speech R | F1 | talk-over P | talk-over R | talk-over F1 | x-realtime (VAD only) |');
lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const n of names) {
  const a = acc[n];
  const p = a.det ? a.tp / a.det : 0;
  const r = a.ref ? a.tp / a.ref : 0;
  const f1 = p + r ? (2 * p * r) / (p + r) : 0;
  const t = pool(a.talkOver);
  lines.push(`| ${n} | ${fmt(p, 3)} | ${fmt(r, 3)} | ${fmt(f1, 3)} | ${fmt(t.precision, 3)} | ${fmt(t.recall, 3)} | ${fmt(t.f1, 3)} | ${fmt(a.audioSec / a.vadSec, 0)} |`);
}
const table = lines.join('\n');
const truthTo = calls.reduce((s, c) => s + c.truth.talkOver.length, 0);
const summary =
  `${calls.length} calls (seeds ${SEED0}-${SEED0 + calls.length - 1}, randomCodec), ${(audioSec / 60).toFixed(1)} min of stereo audio, ${truthTo} true talk-overs. ` +
  `Decode (ffmpeg -> 16 kHz stereo s16le, shared by all VADs, not in x-realtime): ${fmt(audioSec / decodeSec, 0)}x realtime. Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`;
console.log(`\n## VAD comparison\n\n${summary}\n\n${table}\n`);
console.log(`Per call, talk-over hits/true (+false positives), columns in the order above:\n`);
console.log(`| seed | s | impairments | ${names.map((n) => n.split(' (')[0].replace('WebRTC VAD ', 'WebRTC ')).join(' | ')} |`);
console.log(`|---|---:|---|${names.map(() => '---').join('|')}|`);
for (const l of perCall) console.log(l);

const method = readFileSync(new URL(import.meta.url), 'utf8')
  .split('\n')
  .slice(0, 30)
  .join('\n')
  .match(/ \* Method\n([\s\S]*?)\n \*\//)?.[1]
  ?.split('\n')
  .map((l) => l.replace(/^ \* ?/, ''))
  .join('\n');
updateResultsSection(
  'vad-compare',
  `## VAD comparison (test/bench/vad-compare.ts)\n\n${summary}\n\n${table}\n\n### Method\n\n${method ?? ''}\n\n<details><summary>Per call talk-over hits/true (+false positives)</summary>\n\n| seed | s | impairments | ${names.join(' | ')} |\n|---|---:|---|${names.map(() => '---').join('|')}|\n${perCall.join('\n')}\n\n</details>\n`,
);
console.log(`\nWritten to ${path.relative(ROOT, path.join(ROOT, 'test/bench/RESULTS.md'))}`);
