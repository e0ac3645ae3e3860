import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { frameScores, intersectSpans, spanDuration, subtractSpans } from '../src/core/spans.js';
import { buildCall, CODEC_EXT, HARD_LINES, hardLineCallSpec, mohFiles, type GroundTruth, type HardLine } from './support/callgen.js';
import { holdScores, pool, scoreCall, type CallScores } from './support/audio-eval.js';
import { variation } from './support/hard-varied.js';

/**
 * Accuracy on the hard lines of issue 16 (test/support/callgen.ts `hardLineCallSpec`): holds on noisy lines
 * (~20 dB SNR, GSM or clean) with music ~12 dB below the agent's speech, interrupted by PBX announcements in
 * another voice, after a noisy call start; hold music barely above the floor of a boosted, clipping
 * microphone; keypad (DTMF) tones typed by the customer while the agent talks and in dead air; DTX lines
 * (digital silence between utterances); a customer on a speakerphone. Random conversations and parameters
 * per seed. These seeds were not used to tune the detectors in the first round of issue 16; in the second
 * (speakerphone talk-over, hold ends) some of their calls were looked at, so the blind measure is now
 * test/bench/hard-lines-varied.ts with VARIED_SEED0=801, 901 and 1101 (README). Precision/recall printed and held to floors.
 */
const DIR = join(import.meta.dirname, '.cache', 'hard-lines');
const SEEDS = [301, 302];

interface Row {
  line: HardLine;
  seed: number;
  truth: GroundTruth;
  scores: CallScores;
}
const rows: Row[] = [];
/** the hold lines again through 16 kbit/s Opus, which redraws music's fine spectrum every frame, every music on hold file in turn */
const opusRows: Row[] = [];

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  for (const line of HARD_LINES)
    for (const seed of SEEDS) {
      const spec = await hardLineCallSpec(seed, line);
      const file = join(DIR, `${line}-${seed}.${CODEC_EXT[spec.impairments?.codec ?? 'pcm16']}`);
      const truth = await buildCall(spec, file);
      rows.push({ line, seed, truth, scores: await scoreCall(file, truth) });
    }
  const moh = mohFiles();
  let k = 0;
  for (const line of ['noisy-hold', 'clipping-hold'] as const)
    for (const seed of SEEDS) {
      const mohFile = moh.length ? moh[k++ % moh.length] : undefined;
      const spec = await hardLineCallSpec(seed, line, { codec: 'opus', ...(mohFile ? { mohFile } : {}) });
      const file = join(DIR, `${line}-${seed}-opus.${CODEC_EXT.opus}`);
      const truth = await buildCall(spec, file);
      opusRows.push({ line, seed, truth, scores: await scoreCall(file, truth) });
    }
}, 900_000);

const f = (x: number) => x.toFixed(3);
const of = (lines: HardLine[]) => rows.filter((r) => lines.includes(r.line));
const HOLD_LINES: HardLine[] = ['noisy-hold', 'clipping-hold'];

describe('hard lines: holds, keypad tones, DTX, speakerphone', () => {
  it('prints per-call results', () => {
    for (const r of rows) {
      const h = holdScores(r.scores.detected.hold, r.truth.hold);
      const span = (xs: { start: number; end: number }[]) => xs.map((x) => `${x.start.toFixed(1)}-${x.end.toFixed(1)}`).join(' ');
      console.log(
        `${r.line.padEnd(13)} ${r.seed} ${(r.truth.codec as string).padEnd(10)} hold ${h.tp}/${h.fp}/${h.fn} truth [${span(r.truth.hold)}] found [${span(r.scores.detected.hold)}]  ` +
          `talk-over ${r.scores.talkOver.tp}/${r.scores.talkOver.fp}/${r.scores.talkOver.fn}  dead air ${r.scores.silence.tp}/${r.scores.silence.fp}/${r.scores.silence.fn}`,
      );
    }
    expect(rows).toHaveLength(HARD_LINES.length * SEEDS.length);
  });

  it('hold on noisy and clipping lines: one hold per hold (announcements inside), F1 >= 0.9, edges within 1 s', () => {
    const hs = of(HOLD_LINES).map((r) => holdScores(r.scores.detected.hold, r.truth.hold));
    const p = pool(hs);
    const edges = hs.flatMap((h) => h.edgeErrSec);
    const within = edges.filter((e) => e <= 1).length / Math.max(1, edges.length);
    console.log(`hold (noisy, clipping lines): P ${f(p.precision)} R ${f(p.recall)} F1 ${f(p.f1)} (tp ${p.tp}, fp ${p.fp}, fn ${p.fn}); edges within 1 s ${f(within)} (${edges.length} edges)`);
    expect(p.tp + p.fn).toBeGreaterThanOrEqual(4);
    expect(p.f1).toBeGreaterThanOrEqual(0.95);
    expect(within).toBeGreaterThanOrEqual(0.9);
  });

  it('hold through 16 kbit/s Opus: music whose fine spectrum the codec redraws every frame is still hold, not dead air', () => {
    const hs = opusRows.map((r) => holdScores(r.scores.detected.hold, r.truth.hold));
    const p = pool(hs);
    const edges = hs.flatMap((h) => h.edgeErrSec);
    const within = edges.filter((e) => e <= 1).length / Math.max(1, edges.length);
    const holdSec = opusRows.reduce((s, r) => s + spanDuration(r.truth.hold), 0);
    const asDeadAir = opusRows.reduce((s, r) => s + spanDuration(intersectSpans(r.scores.detected.silence, r.truth.hold)), 0);
    console.log(`hold (opus): P ${f(p.precision)} R ${f(p.recall)} F1 ${f(p.f1)} (tp ${p.tp}, fp ${p.fp}, fn ${p.fn}); edges within 1 s ${f(within)} (${edges.length} edges); hold as dead air ${f(asDeadAir / holdSec)}`);
    expect(p.tp + p.fn).toBeGreaterThanOrEqual(4);
    expect(p.f1).toBeGreaterThanOrEqual(0.95);
    expect(within).toBeGreaterThanOrEqual(0.9);
    expect(asDeadAir / holdSec).toBeLessThanOrEqual(0.01);
  });

  it('announcements and music during hold are neither agent speech nor dead air', () => {
    const held = of(HOLD_LINES);
    const holdSec = held.reduce((s, r) => s + spanDuration(r.truth.hold), 0);
    const asSpeech = held.reduce((s, r) => s + spanDuration(intersectSpans(r.scores.timeline.channels[0].speech, r.truth.hold)), 0);
    const asDeadAir = held.reduce((s, r) => s + spanDuration(intersectSpans(r.scores.detected.silence, r.truth.hold)), 0);
    console.log(`hold time taken for agent speech: ${f(asSpeech / holdSec)}; for dead air: ${f(asDeadAir / holdSec)} (of ${holdSec.toFixed(0)} s)`);
    expect(asSpeech / holdSec).toBeLessThanOrEqual(0.01);
    expect(asDeadAir / holdSec).toBeLessThanOrEqual(0.01);
  });

  it('keypad tones are not speech', () => {
    // key presses while the customer is not also speaking (a backchannel can coincide with typing)
    const tonesAlone = (r: Row) => subtractSpans(r.truth.tones.customer, r.truth.speech.customer);
    const toneSec = rows.reduce((s, r) => s + spanDuration(tonesAlone(r)), 0);
    const asSpeech = rows.reduce((s, r) => s + spanDuration(intersectSpans(r.scores.timeline.channels[1].speech, tonesAlone(r))), 0);
    console.log(`keypad tone time taken for customer speech: ${f(asSpeech / Math.max(1e-9, toneSec))} (of ${toneSec.toFixed(1)} s)`);
    expect(toneSec).toBeGreaterThan(5);
    expect(asSpeech / toneSec).toBeLessThanOrEqual(0.02);
    // and the timeline shows them where they are (keys alone; pauses between keys inside a burst count)
    const found = frameScores(
      rows.flatMap((r, i) => (r.scores.timeline.channels[1].tones ?? []).map((x) => ({ start: x.start + i * 1e4, end: x.end + i * 1e4 }))),
      rows.flatMap((r, i) => r.truth.tones.customer.map((x) => ({ start: x.start + i * 1e4, end: x.end + i * 1e4 }))),
    );
    console.log(`keypad bursts on the timeline: frame P ${f(found.precision)} R ${f(found.recall)}`);
    expect(found.precision).toBeGreaterThanOrEqual(0.9);
    expect(found.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('talk-over precision (target > 0.95) and dead air on every kind of line', () => {
    const to = pool(rows.map((r) => r.scores.talkOver));
    const da = pool(rows.map((r) => r.scores.silence));
    console.log(`talk-over: P ${f(to.precision)} R ${f(to.recall)} (tp ${to.tp}, fp ${to.fp}, fn ${to.fn}); dead air: P ${f(da.precision)} R ${f(da.recall)} (tp ${da.tp}, fp ${da.fp}, fn ${da.fn})`);
    for (const line of HARD_LINES) {
      const l = pool(of([line]).map((r) => r.scores.talkOver));
      console.log(`  ${line}: talk-over P ${f(l.precision)} R ${f(l.recall)} (tp ${l.tp}, fp ${l.fp}, fn ${l.fn})`);
    }
    expect(to.tp + to.fn).toBeGreaterThan(10);
    expect(to.precision).toBeGreaterThanOrEqual(0.95);
    // 29 of 32 (was 30 before the room's tails were left out of talk-over: a 0.74 s overlap on speakerphone 302,
    // whose customer side already ended 0.23 s early, now reads 0.32 s; README, How the audio analysis works, issue 16's fourth round)
    expect(to.recall).toBeGreaterThanOrEqual(0.9);
    // speakerphone lines alone (9 events): 8/9 found, 1 false (a turn-grouping difference, not echo). The
    // varied sets measure speakerphones on 18 calls each (test/bench/hard-lines-varied.ts)
    const sp = pool(of(['speakerphone']).map((r) => r.scores.talkOver));
    expect(sp.precision).toBeGreaterThanOrEqual(0.88);
    expect(sp.recall).toBeGreaterThanOrEqual(0.88);
    expect(da.precision).toBeGreaterThanOrEqual(0.95);
    expect(da.recall).toBeGreaterThanOrEqual(0.95);
  });
});

/**
 * Hard cases kept from the varied sets (test/bench/hard-lines-varied.ts, the same seeds and overrides), each
 * once a wrong hold: a quiet passage of the music sinking into a noisy line's floor for 8-15 s (the hold was
 * split in two, the gap reported as dead air); a hold that opens with a few seconds of music and then a 12 s
 * announcement over it on a clipping line (found 12 s late); a slow, even voice (a recorded French prompt after a
 * noisy call start, a long synthetic Mandarin sentence) taken for an 8-12 s hold.
 */
describe('hard lines: the varied sets\' hard cases', () => {
  const CASES: { line: HardLine; seed: number; k: number; what: string }[] = [
    { line: 'noisy-hold', seed: 1506, k: 5, what: 'a 15 s quiet passage of the music inside a hold' },
    { line: 'noisy-hold', seed: 804, k: 3, what: 'an 8 s quiet passage, then an announcement, inside a hold' },
    { line: 'clipping-hold', seed: 1504, k: 3, what: 'a hold that opens with 4 s of music and a 12 s announcement' },
    { line: 'noisy-hold', seed: 1507, k: 6, what: 'a slow recorded voice after a noisy call start' },
    { line: 'noisy-hold', seed: 802, k: 1, what: 'a long, slow synthetic sentence' },
  ];
  /** GSM decodes a DTX line's digital silence to a faint noise of its own (once taken for the line's floor) */
  const DTX_CASES: typeof CASES = [
    { line: 'dtx', seed: 806, k: 5, what: 'GSM, DTX on the customer side: three interruptions under the agent' },
    { line: 'dtx', seed: 904, k: 3, what: 'GSM, DTX on both sides: the agent talking on in short pieces' },
  ];
  const cases: (Row & { what: string })[] = [];
  const dtxCases: (Row & { what: string })[] = [];
  beforeAll(async () => {
    mkdirSync(DIR, { recursive: true });
    for (const c of DTX_CASES) {
      const spec = await hardLineCallSpec(c.seed, c.line, variation(c.line, c.seed, c.k).opts);
      const file = join(DIR, `varied-${c.line}-${c.seed}.${CODEC_EXT[spec.impairments?.codec ?? 'pcm16']}`);
      const truth = await buildCall(spec, file);
      dtxCases.push({ line: c.line, seed: c.seed, what: c.what, truth, scores: await scoreCall(file, truth) });
    }
    for (const c of CASES) {
      const spec = await hardLineCallSpec(c.seed, c.line, variation(c.line, c.seed, c.k).opts);
      const file = join(DIR, `varied-${c.line}-${c.seed}.${CODEC_EXT[spec.impairments?.codec ?? 'pcm16']}`);
      const truth = await buildCall(spec, file);
      cases.push({ line: c.line, seed: c.seed, what: c.what, truth, scores: await scoreCall(file, truth) });
    }
  }, 300_000);

  it('talk-over on GSM-coded DTX lines: the customer cutting in under the agent is found, none invented', () => {
    for (const r of dtxCases) {
      console.log(`${r.line} ${r.seed} (${r.what}): talk-over tp/fp/fn ${r.scores.talkOver.tp}/${r.scores.talkOver.fp}/${r.scores.talkOver.fn}`);
      expect(r.scores.talkOver.fn, `${r.line} ${r.seed}`).toBe(0);
      expect(r.scores.talkOver.fp, `${r.line} ${r.seed}`).toBe(0);
    }
    expect(dtxCases).toHaveLength(DTX_CASES.length);
  });

  it('every hold found once, none invented, edges within 1 s', () => {
    const span = (xs: { start: number; end: number }[]) => xs.map((x) => `${x.start.toFixed(1)}-${x.end.toFixed(1)}`).join(' ');
    for (const r of cases) {
      const h = holdScores(r.scores.detected.hold, r.truth.hold);
      console.log(`${r.line} ${r.seed} (${r.what}): truth [${span(r.truth.hold)}] found [${span(r.scores.detected.hold)}], edge errors ${h.edgeErrSec.map((e) => e.toFixed(1)).join(' ')} s`);
      expect(h.tp, `${r.line} ${r.seed}`).toBe(r.truth.hold.length);
      expect(h.fp, `${r.line} ${r.seed}`).toBe(0);
      expect(Math.max(0, ...h.edgeErrSec), `${r.line} ${r.seed}`).toBeLessThanOrEqual(1);
      // nothing of the hold is reported as dead air
      expect(spanDuration(intersectSpans(r.scores.detected.silence, r.truth.hold)), `${r.line} ${r.seed}`).toBeLessThanOrEqual(0.5);
    }
    expect(cases).toHaveLength(CASES.length);
  });
});
