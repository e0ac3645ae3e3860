/**
 * The test-call synthesizer must itself be right before anything is measured against its ground truth:
 * files come out in the promised codec/channels/rate, the truth is self-consistent and agrees with the signal,
 * and everything is deterministic by seed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { intersectSpans, mergeSpans, spanDuration, unionSpans } from '../src/core/spans.js';
import type { TimeSpan } from '../src/core/types.js';
import {
  CODEC_EXT,
  CODECS,
  TRUTH_PARAMS,
  buildCall,
  buildLongCall,
  codecAvailable,
  codecChannels,
  randomCallSpec,
  transcriptSidecar,
  type CallSpec,
  type Codec,
  type GroundTruth,
} from './support/callgen.js';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'callgen-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ProbeStream {
  codec_name: string;
  channels: number;
  sample_rate: string;
}
async function probe(file: string): Promise<{ stream: ProbeStream; durationSec: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file]);
  const j = JSON.parse(stdout) as { streams: ProbeStream[]; format: { duration: string } };
  return { stream: j.streams[0], durationSec: Number(j.format.duration) };
}

/** Decode one channel of a file to 8 kHz float samples. */
async function decodeChannel(file: string, channel: 0 | 1): Promise<Float32Array> {
  const { stdout } = await run(
    'ffmpeg',
    ['-v', 'error', '-nostdin', '-i', file, '-af', `pan=mono|c0=c${channel}`, '-ar', '8000', '-f', 'f32le', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 1 << 28 },
  );
  const b = stdout as Buffer;
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length - (b.length % 4)));
}

function levelDb(x: Float32Array, span: TimeSpan, sr = 8000): number {
  let acc = 0;
  const a = Math.floor(span.start * sr);
  const b = Math.min(x.length, Math.floor(span.end * sr));
  for (let i = a; i < b; i++) acc += x[i] * x[i];
  return 10 * Math.log10(acc / Math.max(1, b - a) + 1e-12);
}

const sorted = (xs: TimeSpan[]) => xs.every((s, i) => s.end > s.start && (i === 0 || s.start >= xs[i - 1].end));

function checkConsistency(t: GroundTruth): void {
  const D = t.durationSec;
  for (const list of [t.speech.agent, t.speech.customer, t.silence, t.hold]) {
    expect(sorted(list)).toBe(true);
    for (const s of list) {
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeLessThanOrEqual(D + 1e-6);
    }
  }
  // speech spans are split by pauses >= minPauseSec
  for (const list of [t.speech.agent, t.speech.customer])
    for (let i = 1; i < list.length; i++) expect(list[i].start - list[i - 1].end).toBeGreaterThanOrEqual(TRUTH_PARAMS.minPauseSec - 0.011);
  // dead air: long, and nothing on either channel, no hold
  const busy = unionSpans(t.speech.agent, t.speech.customer, t.hold);
  for (const s of t.silence) {
    expect(s.end - s.start).toBeGreaterThanOrEqual(TRUTH_PARAMS.minSilenceSec);
    expect(spanDuration(intersectSpans([s], busy))).toBeLessThan(0.002);
  }
  // talk-over: built from overlaps of both speech tracks
  const both = intersectSpans(t.speech.agent, t.speech.customer);
  for (const o of t.talkOver) {
    expect(o.end - o.start).toBeGreaterThanOrEqual(TRUTH_PARAMS.minTalkOverSec - 0.002);
    const inside = spanDuration(intersectSpans([o], both));
    expect(inside).toBeGreaterThan(0.5 * (o.end - o.start));
    // it starts and ends where both are speaking (backchannels are left out of talk-over, so not always at a piece's edge)
    expect(both.some((b) => b.start - 0.002 <= o.start && o.start < b.end)).toBe(true);
    expect(both.some((b) => b.start < o.end && o.end <= b.end + 0.002)).toBe(true);
  }
  // backchannels: short, inside the other side's turn
  for (const b of t.backchannels) {
    expect(b.end - b.start).toBeLessThanOrEqual(TRUTH_PARAMS.backchannelMaxSec + 1e-6);
    const other = mergeSpans(b.speaker === 'agent' ? t.speech.customer : t.speech.agent, TRUTH_PARAMS.turnMergeGapSec);
    expect(other.some((o) => o.start <= b.start + 0.002 && o.end >= b.end - 0.002)).toBe(true);
  }
  // hold never overlaps dead air, turns are time-ordered
  expect(spanDuration(intersectSpans(t.hold, t.silence))).toBe(0);
  for (let i = 1; i < t.turns.length; i++) expect(t.turns[i].start).toBeGreaterThanOrEqual(t.turns[i - 1].start);
}

/** A hand-placed call with every event at a known place. */
function fixedSpec(codec: Codec = 'pcm16'): CallSpec {
  return {
    durationSec: 60,
    seed: 42,
    impairments: { codec },
    turns: [
      { speaker: 'agent', at: 0.5, source: { kind: 'espeak', voice: 'en-us', text: 'Thank you for calling Acme, this is Sam, how can I help?' } },
      // customer answers, agent interrupts ~1.5 s before the end of it
      { speaker: 'customer', at: 5, source: { kind: 'asterisk', voice: 'fr', prompt: 'vm-tocallback' } },
      { speaker: 'agent', at: 7.3, source: { kind: 'asterisk', voice: 'en', prompt: 'one-moment-please' } },
      // hold 12..32 s
      { speaker: 'agent', at: 12, source: { kind: 'moh', file: 'macroform-cold_day.wav', durationSec: 20 } },
      { speaker: 'agent', at: 33, source: { kind: 'asterisk', voice: 'en', prompt: 'queue-thankyou' } },
      // dead air ~36..44
      { speaker: 'customer', at: 44, source: { kind: 'espeak', voice: 'cmn', text: '我家的宽带最近每天晚上都断线，重启过两次了还是一样。' } },
      // agent backchannel inside the customer's sentence
      { speaker: 'agent', at: 46, source: { kind: 'espeak', voice: 'en-us', text: 'okay' } },
      { speaker: 'agent', at: 53, source: { kind: 'asterisk', voice: 'en', prompt: 'goodbye' } },
    ],
  };
}

describe('buildCall on a hand-placed call', () => {
  it('places every event where the script says and the truth agrees with the signal', async () => {
    const file = path.join(dir, 'fixed.wav');
    const t = await buildCall(fixedSpec(), file);
    checkConsistency(t);
    const p = await probe(file);
    expect(p.stream).toMatchObject({ codec_name: 'pcm_s16le', channels: 2, sample_rate: '8000' });
    expect(p.durationSec).toBeCloseTo(60, 1);

    expect(t.hold).toHaveLength(1);
    expect(t.hold[0].start).toBeCloseTo(12, 2);
    expect(t.hold[0].end).toBeCloseTo(32, 2);
    expect(t.silence.some((s) => s.start > 33 && s.start < 37 && s.end > 43.5 && s.end < 45)).toBe(true);
    expect(t.talkOver.length).toBeGreaterThanOrEqual(1);
    expect(t.talkOver[0].speaker).toBe('agent');
    expect(t.talkOver[0].start).toBeGreaterThan(6.9);
    expect(t.backchannels).toEqual([expect.objectContaining({ speaker: 'agent' })]);
    expect(t.backchannels[0].start).toBeGreaterThan(45.9);

    // the signal: speech spans are loud on their own channel, dead air is quiet on both
    const [agent, customer] = await Promise.all([decodeChannel(file, 0), decodeChannel(file, 1)]);
    for (const s of t.speech.agent) expect(levelDb(agent, s)).toBeGreaterThan(-35);
    for (const s of t.speech.customer) expect(levelDb(customer, s)).toBeGreaterThan(-35);
    for (const s of t.silence) {
      expect(levelDb(agent, s)).toBeLessThan(-70);
      expect(levelDb(customer, s)).toBeLessThan(-70);
    }
    expect(levelDb(agent, t.hold[0])).toBeGreaterThan(-35);
    expect(levelDb(customer, t.hold[0])).toBeLessThan(-70);

    const sidecar = transcriptSidecar(t, 'en');
    expect(sidecar.segments[0]).toMatchObject({ speaker: 'agent', text: 'Thank you for calling Acme, this is Sam, how can I help?' });
    expect(sidecar.segments.find((s) => s.text === 'One moment, please.')).toBeDefined();
  });

  it('is deterministic by seed, and the seed changes the noise', async () => {
    const spec: CallSpec = { ...fixedSpec(), impairments: { noiseDb: { agent: -50, customer: -45 }, babble: { db: -18 }, crosstalk: { db: -25, delayMs: 3 } } };
    const a = path.join(dir, 'det-a.wav');
    const b = path.join(dir, 'det-b.wav');
    const c = path.join(dir, 'det-c.wav');
    const ta = await buildCall(spec, a);
    const tb = await buildCall(spec, b);
    await buildCall({ ...spec, seed: 43 }, c);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(ta).toEqual(tb);
    expect(readFileSync(a).equals(readFileSync(c))).toBe(false);
  });
});

describe('codecs', () => {
  const expected: Record<Codec, { codec: string; rate: string }> = {
    pcm16: { codec: 'pcm_s16le', rate: '8000' },
    mulaw: { codec: 'pcm_mulaw', rate: '8000' },
    alaw: { codec: 'pcm_alaw', rate: '8000' },
    gsm: { codec: 'gsm_ms', rate: '8000' },
    'gsm-stereo': { codec: 'pcm_s16le', rate: '8000' },
    'mp3-16k': { codec: 'mp3', rate: '8000' },
    opus: { codec: 'opus', rate: '48000' }, // Opus always decodes at 48 kHz
    amr: { codec: 'amr_nb', rate: '8000' },
    aac: { codec: 'aac', rate: '8000' },
    flac: { codec: 'flac', rate: '8000' },
  };
  const short: CallSpec = {
    durationSec: 6,
    seed: 1,
    turns: [
      { speaker: 'agent', at: 0.3, source: { kind: 'asterisk', voice: 'en', prompt: 'hello' } },
      { speaker: 'customer', at: 2, source: { kind: 'asterisk', voice: 'it', prompt: 'goodbye' } },
    ],
  };
  for (const codec of CODECS) {
    it(`writes ${codec}`, async () => {
      const file = path.join(dir, `codec-${codec}.${CODEC_EXT[codec]}`);
      const spec = { ...short, impairments: { codec } };
      if (!(await codecAvailable(codec))) {
        await expect(buildCall(spec, file)).rejects.toThrow(/encoder|cannot encode/);
        return;
      }
      const t = await buildCall(spec, file);
      const p = await probe(file);
      expect(p.stream.codec_name).toBe(expected[codec].codec);
      expect(p.stream.sample_rate).toBe(expected[codec].rate);
      expect(p.stream.channels).toBe(codecChannels(codec));
      expect(t.channels).toBe(codecChannels(codec));
      expect(p.durationSec).toBeGreaterThan(5.8);
      expect(p.durationSec).toBeLessThan(6.2);
      if (t.channels === 2) {
        // the channels stay apart: low-bitrate joint/coupled stereo must not leak one side into the other
        const [agent, customer] = await Promise.all([decodeChannel(file, 0), decodeChannel(file, 1)]);
        for (const s of t.speech.customer) expect(levelDb(agent, s)).toBeLessThan(levelDb(customer, s) - 30);
        for (const s of t.speech.agent) expect(levelDb(customer, s)).toBeLessThan(levelDb(agent, s) - 30);
      }
    });
  }

  it('writes 16 kHz when asked', async () => {
    const file = path.join(dir, 'wide.flac');
    const t = await buildCall({ ...short, impairments: { codec: 'flac', sampleRate: 16000 } }, file);
    expect((await probe(file)).stream).toMatchObject({ sample_rate: '16000', channels: 2 });
    expect(t.sampleRate).toBe(16000);
  });
});

describe('randomCallSpec', () => {
  it('makes varied, consistent calls with every kind of event across seeds', async () => {
    const totals = { silence: 0, talkOver: 0, backchannels: 0, hold: 0, voices: new Set<string>(), impaired: 0 };
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const spec = await randomCallSpec(seed, { durationSec: 150, hold: seed % 2 === 0 });
      const t = await buildCall(spec, path.join(dir, `random-${seed}.wav`));
      checkConsistency(t);
      expect(t.durationSec).toBe(150);
      // a conversation: both sides talk a fair share
      expect(spanDuration(t.speech.agent)).toBeGreaterThan(15);
      expect(spanDuration(t.speech.customer)).toBeGreaterThan(15);
      if (seed % 2 === 0) expect(t.hold.length).toBe(1);
      for (const h of t.hold) {
        expect(h.end - h.start).toBeGreaterThanOrEqual(19.9);
        expect(spanDuration(intersectSpans([h], t.speech.customer))).toBe(0);
      }
      totals.silence += t.silence.length;
      totals.talkOver += t.talkOver.length;
      totals.backchannels += t.backchannels.length;
      totals.hold += t.hold.length;
      for (const turn of t.turns) totals.voices.add(turn.source.replace(/\/.*$/, ''));
      if (Object.keys(t.impairments).some((k) => !['noiseDb', 'codec', 'sampleRate'].includes(k))) totals.impaired++;
    }
    expect(totals.silence).toBeGreaterThanOrEqual(4);
    expect(totals.talkOver).toBeGreaterThanOrEqual(6);
    expect(totals.backchannels).toBeGreaterThanOrEqual(4);
    expect(totals.hold).toBe(3);
    expect(totals.voices.size).toBeGreaterThanOrEqual(4);
    expect(totals.impaired).toBeGreaterThanOrEqual(3);
  });

  it('is deterministic by seed', async () => {
    const a = await randomCallSpec(99, { durationSec: 90 });
    const b = await randomCallSpec(99, { durationSec: 90 });
    const c = await randomCallSpec(100, { durationSec: 90 });
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('speaks Mandarin when asked', async () => {
    const spec = await randomCallSpec(5, { durationSec: 60, language: 'zh', impairments: 'none' });
    expect(spec.turns.filter((t) => t.source.kind !== 'moh' && t.source.kind !== 'tone').every((t) => t.source.kind === 'espeak' && t.source.voice === 'cmn')).toBe(true);
  });
});

describe('buildLongCall', () => {
  it('streams a long call and returns the truth of the whole', async () => {
    const file = path.join(dir, 'long.wav');
    const t = await buildLongCall(6, file, { seed: 3, codec: 'mulaw' });
    const p = await probe(file);
    expect(p.stream).toMatchObject({ codec_name: 'pcm_mulaw', channels: 2, sample_rate: '8000' });
    expect(p.durationSec).toBeCloseTo(360, 0);
    expect(t.durationSec).toBe(360);
    checkConsistency(t);
    expect(t.speech.agent.at(-1)!.end).toBeGreaterThan(240);
  });
});

describe('voices depend only on what is usable here', () => {
  it('a voice folder with no usable prompts (GSM files, no WAV/transcripts: another package owns sounds/es) is skipped, not crashed on', async () => {
    const sounds = mkdtempSync(path.join(tmpdir(), 'callgen-sounds-'));
    try {
      const { mkdirSync, symlinkSync, writeFileSync } = await import('node:fs');
      symlinkSync('/usr/share/asterisk/sounds/en', path.join(sounds, 'en'));
      mkdirSync(path.join(sounds, 'es'));
      for (const p of ['hello', 'goodbye', 'vm-intro', 'agent-pass', 'conf-thereare', 'demo-thanks'])
        writeFileSync(path.join(sounds, 'es', `${p}.gsm`), Buffer.alloc(3300, 0xd8));
      const script = `
        const cg = await import(${JSON.stringify(path.join(import.meta.dirname, 'support', 'callgen.ts'))});
        const specs = [];
        for (let seed = 1; seed <= 4; seed++) specs.push(await cg.randomCallSpec(seed, { durationSec: 20, language: "any" }));
        const voices = new Set(specs.flatMap((s) => s.turns.map((t) => t.source.kind === 'asterisk' ? t.source.voice : 'espeak')));
        console.log(JSON.stringify({ asteriskVoices: cg.ASTERISK_VOICES, voices: [...voices] }));`;
      const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, CALLGEN_SOUNDS_DIR: sounds },
        cwd: path.join(import.meta.dirname, '..'),
      });
      const out = JSON.parse(stdout.trim().split('\n').pop()!) as { asteriskVoices: string[]; voices: string[] };
      expect(out.asteriskVoices).toEqual(['en']);
      expect(out.voices).not.toContain('es');
      expect(out.voices).toContain('en');
    } finally {
      rmSync(sounds, { recursive: true, force: true });
    }
  }, 120_000);
});
