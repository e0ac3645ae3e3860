import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { intersectSpans, spanDuration } from '../src/core/spans.js';
import { holdScores, pool, scoreCall, type CallScores } from './support/audio-eval.js';
import { buildCall, CODEC_EXT, mohFiles, prng, type CallSpec, type Codec, type GroundTruth, type Turn } from './support/callgen.js';

/**
 * Keypad tones are no hold. An agent dialling a transfer or a conference number sends DTMF on the agent's own
 * channel, the hold detector's channel; a call that is only key presses (a customer in an IVR, recorded on both
 * channels alike) has nothing else on it. Steady dual tones look like a hold tone to a detector that only asks
 * "steady and tonal?": before keypad frames were taken out of the hold evidence, such a call showed a 13 s hold.
 * Calls from real voices (asterisk prompts), real music on hold, DTMF at random digits, cadences and levels,
 * through several codecs; the truth's holds are the music alone.
 */
const DIR = join(import.meta.dirname, '.cache', 'keypad-hold');
const SEEDS = [11, 12, 13, 14, 15, 16];
const CODECS: Codec[] = ['pcm16', 'mulaw', 'alaw', 'opus', 'pcm16', 'mulaw'];
const PROMPTS = ['hello', 'dir-welcome', 'transfer', 'queue-thankyou', 'one-moment-please', 'auth-thankyou'];

interface Row {
  seed: number;
  truth: GroundTruth;
  scores: CallScores;
}
const rows: Row[] = [];
let keysOnly: CallScores | null = null;
let keysOnlyTruth: GroundTruth | null = null;

function digits(rand: () => number, n: number): string {
  const keys = '0123456789*#';
  return Array.from({ length: n }, () => keys[Math.floor(rand() * keys.length)]).join('');
}

/** agent greets, dials a number (keys on the agent's channel), puts the customer on hold (music), comes back; the customer types an account number */
function spec(seed: number, codec: Codec): CallSpec {
  const rand = prng(seed);
  const u = (a: number, b: number) => a + (b - a) * rand();
  const moh = mohFiles();
  const turns: Turn[] = [];
  const say = (speaker: 'agent' | 'customer', at: number, prompt: string) => turns.push({ speaker, at, source: { kind: 'asterisk', voice: 'en', prompt } });
  say('agent', 0.5, PROMPTS[seed % PROMPTS.length]!);
  say('customer', 3, 'demo-thanks');
  // the customer types a number while the agent waits
  turns.push({ speaker: 'customer', at: 9, source: { kind: 'dtmf', digits: digits(rand, 6 + Math.floor(rand() * 4)), onSec: u(0.08, 0.2), offSec: u(0.06, 0.25) }, levelDb: u(-22, -10) });
  say('agent', 11, 'pls-hold-while-try');
  // the agent dials a transfer: keys on the agent's channel, then music on hold
  turns.push({ speaker: 'agent', at: 15, source: { kind: 'dtmf', digits: digits(rand, 7 + Math.floor(rand() * 5)), onSec: u(0.08, 0.2), offSec: u(0.06, 0.25) }, levelDb: u(-20, -8) });
  if (moh.length) turns.push({ speaker: 'agent', at: 21, source: { kind: 'moh', file: moh[seed % moh.length]!, durationSec: 15, offsetSec: u(0, 20) } });
  else turns.push({ speaker: 'agent', at: 21, source: { kind: 'tone', freqHz: [440, 480], onSec: 2, offSec: 4, durationSec: 15 } });
  say('agent', 37.5, 'queue-thankyou');
  // and dials again after the hold (a conference leg)
  turns.push({ speaker: 'agent', at: 41, source: { kind: 'dtmf', digits: digits(rand, 5 + Math.floor(rand() * 6)), onSec: u(0.08, 0.2), offSec: u(0.06, 0.25) }, levelDb: u(-20, -8) });
  say('agent', 46, 'vm-goodbye');
  return { durationSec: 50, turns, impairments: { codec, noiseDb: { agent: u(-62, -50), customer: u(-62, -50) } }, seed };
}

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  for (const [i, seed] of SEEDS.entries()) {
    const s = spec(seed, CODECS[i]!);
    const file = join(DIR, `call-${seed}.${CODEC_EXT[s.impairments!.codec!]}`);
    const truth = await buildCall(s, file);
    rows.push({ seed, truth, scores: await scoreCall(file, truth) });
  }
  // only key presses, loud (sox's full-scale sines), the same on both channels (a recorder that wrote one line
  // twice): four blocks of a four-key sequence typed four times, 5 s apart
  const sox = (args: string[]) => {
    const r = spawnSync('sox', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`sox ${args.join(' ')}: ${r.stderr}`);
  };
  const parts: string[] = [];
  for (const [row, col] of [[697, 1209], [770, 1336], [852, 1477], [941, 1336]] as const) {
    const key = join(DIR, `key-${row}-${col}.wav`);
    sox(['-n', '-r', '8000', '-c', '1', key, 'synth', '0.12', 'sine', String(row), 'sine', String(col), 'remix', '1,2']);
    const gap = join(DIR, `gap.wav`);
    sox(['-n', '-r', '8000', '-c', '1', gap, 'trim', '0', '0.1']);
    parts.push(key, gap);
  }
  const seq = join(DIR, 'seq.wav');
  sox([...parts, seq]);
  const block = join(DIR, 'block.wav');
  sox([seq, block, 'repeat', '3']);
  const quiet = join(DIR, 'quiet.wav');
  sox(['-n', '-r', '8000', '-c', '1', quiet, 'trim', '0', '5']);
  const line = join(DIR, 'keys-line.wav');
  sox([quiet, block, quiet, block, quiet, block, quiet, block, quiet, line]);
  const file = join(DIR, 'keys-only.wav');
  sox(['-M', line, line, '-e', 'mu-law', file]);
  const keySpans = [0, 1, 2, 3].map((k) => ({ start: 5 + k * (5 + 3.52), end: 5 + k * (5 + 3.52) + 3.52 }));
  keysOnlyTruth = { ...(await buildCall({ durationSec: 1, turns: [], seed: 99 }, join(DIR, 'empty.wav'))), durationSec: 39.08, hold: [], tones: { agent: keySpans, customer: keySpans } };
  keysOnly = await scoreCall(file, keysOnlyTruth);
}, 600_000);

describe('keypad tones are not hold', () => {
  it('the agent dialling before and after a hold: one hold per hold, none on the keys', () => {
    const hs = rows.map((r) => holdScores(r.scores.detected.hold, r.truth.hold));
    const p = pool(hs);
    const keySec = rows.reduce((s, r) => s + spanDuration(r.truth.tones.agent), 0);
    const keysAsHold = rows.reduce((s, r) => s + spanDuration(intersectSpans(r.scores.detected.hold, r.truth.tones.agent)), 0);
    for (const r of rows) console.log(`seed ${r.seed} ${r.truth.codec}: hold truth ${r.truth.hold.map((h) => `${h.start.toFixed(1)}-${h.end.toFixed(1)}`).join(' ')} found ${r.scores.detected.hold.map((h) => `${h.start.toFixed(1)}-${h.end.toFixed(1)}`).join(' ') || '-'}`);
    console.log(`hold beside keypad tones: P ${p.precision.toFixed(3)} R ${p.recall.toFixed(3)} (tp ${p.tp}, fp ${p.fp}, fn ${p.fn}); keypad time taken for hold ${(keysAsHold / keySec).toFixed(3)} of ${keySec.toFixed(1)} s`);
    expect(p.tp + p.fn).toBe(rows.length);
    expect(p.precision).toBe(1);
    expect(p.recall).toBe(1);
    expect(keysAsHold / keySec).toBeLessThanOrEqual(0.02);
  });

  it('a call of key presses alone: no hold, no speech, no dead air ended by the keys', () => {
    const tl = keysOnly!.timeline;
    console.log(`keys only: channels ${tl.channels.length}, hold ${keysOnly!.detected.hold.length}, speech ${tl.channels.map((c) => spanDuration(c.speech).toFixed(1)).join('/')} s`);
    expect(keysOnly!.detected.hold).toEqual([]);
    for (const c of tl.channels) expect(spanDuration(c.speech)).toBeLessThanOrEqual(0.5);
  });
});
