import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { frameScores } from '../src/core/spans.js';
import { buildCall, buildLongCall, CODEC_EXT, randomCallSpec, type Codec, type GroundTruth } from './support/callgen.js';
import { pool, scoreCall, type CallScores } from './support/audio-eval.js';

/**
 * Accuracy of the audio analysis on generated calls with known ground truth: real human voices (asterisk
 * prompts: several speakers) and espeak-ng, Mandarin and English, through random telephone impairments
 * (noise floors per side, one side 15-20 dB quieter, crosstalk, line echo, headset babble, AGC pumping) and
 * codecs (mu-law, A-law, GSM, MP3, Opus, AAC, FLAC). Precision and recall are printed and held to floors.
 */
const DIR = join(import.meta.dirname, '.cache', 'accuracy');
const SEEDS = Array.from({ length: 14 }, (_, i) => 501 + i);

interface Row {
  seed: number;
  codec: Codec;
  truth: GroundTruth;
  scores: CallScores;
}
const rows: Row[] = [];

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  for (const seed of SEEDS) {
    const spec = await randomCallSpec(seed, { randomCodec: true, durationSec: 100 + (seed % 5) * 20 });
    const codec = spec.impairments?.codec ?? 'pcm16';
    const file = join(DIR, `call-${seed}.${CODEC_EXT[codec]}`);
    const truth = await buildCall(spec, file);
    rows.push({ seed, codec, truth, scores: await scoreCall(file, truth) });
  }
}, 600_000);

const f = (x: number) => x.toFixed(3);

describe('audio analysis accuracy on generated calls with ground truth', () => {
  it('prints per-call and pooled precision/recall', () => {
    const lines = rows.map((r) => {
      const s = r.scores;
      const imp = Object.keys(r.truth.impairments).filter((k) => k !== 'codec' && k !== 'sampleRate' && k !== 'noiseDb');
      return `seed ${r.seed} ${r.codec.padEnd(10)} speech A ${f(s.speech.agent.precision)}/${f(s.speech.agent.recall)} C ${f(s.speech.customer.precision)}/${f(s.speech.customer.recall)}  dead-air tp/fp/fn ${s.silence.tp}/${s.silence.fp}/${s.silence.fn}  talk-over ${s.talkOver.tp}/${s.talkOver.fp}/${s.talkOver.fn}  hold ${s.hold.tp}/${s.hold.fp}/${s.hold.fn}  [${imp.join(',')}]`;
    });
    console.log(`\n${lines.join('\n')}`);
    expect(rows).toHaveLength(SEEDS.length);
  });

  // Floors just under what is measured (speech P 0.971/0.980, R 0.976/0.973; dead air P 1.00 R 0.933 = 14/15;
  // talk-over P 0.981 = 52/53, R 0.981 = 52/53; hold 9/9): the calls are deterministic by seed, so a regression fails.
  it('speech frames per channel: pooled F1 >= 0.965, precision >= 0.96, recall >= 0.965', () => {
    const pooled = (side: 'agent' | 'customer') => {
      const det = rows.flatMap((r, i) => r.scores.timeline.channels.find((c) => c.speaker === side)!.speech.map((x) => ({ start: x.start + i * 10_000, end: x.end + i * 10_000 })));
      const ref = rows.flatMap((r, i) => r.truth.speech[side].map((x) => ({ start: x.start + i * 10_000, end: x.end + i * 10_000 })));
      return frameScores(det, ref);
    };
    const a = pooled('agent');
    const c = pooled('customer');
    console.log(`speech frames: agent P ${f(a.precision)} R ${f(a.recall)} F1 ${f(a.f1)}; customer P ${f(c.precision)} R ${f(c.recall)} F1 ${f(c.f1)}`);
    for (const x of [a, c]) {
      expect(x.precision).toBeGreaterThanOrEqual(0.96);
      expect(x.recall).toBeGreaterThanOrEqual(0.965);
      expect(x.f1).toBeGreaterThanOrEqual(0.965);
    }
  });

  it('dead air events: precision >= 0.95, recall >= 0.9', () => {
    const p = pool(rows.map((r) => r.scores.silence));
    console.log(`dead air: P ${f(p.precision)} R ${f(p.recall)} F1 ${f(p.f1)} (tp ${p.tp}, fp ${p.fp}, fn ${p.fn})`);
    expect(p.tp + p.fn).toBeGreaterThan(10);
    expect(p.precision).toBeGreaterThanOrEqual(0.95);
    expect(p.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('talk-over events: precision >= 0.96, recall >= 0.96', () => {
    const p = pool(rows.map((r) => r.scores.talkOver));
    console.log(`talk-over: P ${f(p.precision)} R ${f(p.recall)} F1 ${f(p.f1)} (tp ${p.tp}, fp ${p.fp}, fn ${p.fn})`);
    expect(p.tp + p.fn).toBeGreaterThan(20);
    expect(p.precision).toBeGreaterThanOrEqual(0.96);
    expect(p.recall).toBeGreaterThanOrEqual(0.96);
  });

  it('hold events: precision >= 0.88, recall >= 0.88 (one error in 9 holds allowed)', () => {
    const p = pool(rows.map((r) => r.scores.hold));
    console.log(`hold: P ${f(p.precision)} R ${f(p.recall)} F1 ${f(p.f1)} (tp ${p.tp}, fp ${p.fp}, fn ${p.fn})`);
    expect(p.tp + p.fn).toBeGreaterThan(3);
    expect(p.precision).toBeGreaterThanOrEqual(0.88);
    expect(p.recall).toBeGreaterThanOrEqual(0.88);
  });
});

describe('a long call whose line changes (20 minutes of 2-5 minute segments, each with its own impairments)', () => {
  // measured: speech F1 0.954 / 0.974, dead air 1.00/1.00, talk-over P 0.914 R 1.00, hold 1.00/1.00
  it('keeps speech F1 >= 0.94 / 0.96, dead air F1 >= 0.9, talk-over F1 >= 0.9, hold P/R >= 0.9', async () => {
    const file = join(DIR, 'long-20min.wav');
    const truth = await buildLongCall(20, file, { seed: 42, codec: 'mulaw' });
    const s = await scoreCall(file, truth);
    console.log(
      `long call: speech agent F1 ${f(s.speech.agent.f1)} customer F1 ${f(s.speech.customer.f1)}; dead air P ${f(s.silence.precision)} R ${f(s.silence.recall)}; ` +
        `talk-over P ${f(s.talkOver.precision)} R ${f(s.talkOver.recall)}; hold P ${f(s.hold.precision)} R ${f(s.hold.recall)}`,
    );
    expect(s.speech.agent.f1).toBeGreaterThanOrEqual(0.94);
    expect(s.speech.customer.f1).toBeGreaterThanOrEqual(0.96);
    expect(s.silence.f1).toBeGreaterThanOrEqual(0.9);
    expect(s.talkOver.f1).toBeGreaterThanOrEqual(0.9);
    expect(s.hold.precision).toBeGreaterThanOrEqual(0.9);
    expect(s.hold.recall).toBeGreaterThanOrEqual(0.9);
  }, 300_000);
});

describe('the shipped sample calls against their ground truth', () => {
  const SAMPLES = join(import.meta.dirname, '..', 'samples');
  for (const name of ['zh-billing-good.ogg', 'zh-complaint-bad.ogg', 'en-support-good.mp3', 'en-escalation-real-voice.ogg', 'en-billing-bad.ogg']) {
    it(`${name}: every dead air, talk-over and hold found, none invented; speech F1 >= 0.9 per side`, async () => {
      const { readFileSync } = await import('node:fs');
      const truth = JSON.parse(readFileSync(join(SAMPLES, name.replace(/\.(ogg|mp3)$/, '.truth.json')), 'utf8')) as GroundTruth;
      const s = await scoreCall(join(SAMPLES, name), truth);
      console.log(`${name}: speech agent P ${f(s.speech.agent.precision)} R ${f(s.speech.agent.recall)}, customer P ${f(s.speech.customer.precision)} R ${f(s.speech.customer.recall)}`);
      for (const k of ['silence', 'talkOver', 'hold'] as const) {
        expect(s[k].fp, `${k} false positives`).toBe(0);
        expect(s[k].fn, `${k} misses`).toBe(0);
      }
      expect(s.speech.agent.f1).toBeGreaterThanOrEqual(0.9);
      expect(s.speech.customer.f1).toBeGreaterThanOrEqual(0.9);
    }, 60_000);
  }
});
