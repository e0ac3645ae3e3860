/**
 * A varied set of issue 16's hard lines, beyond the test's own (test/audio-hard-lines.test.ts), to measure
 * talk-over and hold on rooms, codecs and music the test never sees:
 *   npx tsx test/bench/hard-lines-varied.ts            (env VARIED_SEED0=701, VARIED_N=1 multiplies the set,
 *                                                       VARIED_LINES=speakerphone,dtx picks kinds of line,
 *                                                       VARIED_JSON=out.json writes the per-call results)
 *
 * Method
 * - Calls: callgen's hardLineCallSpec on seeds VARIED_SEED0.. (701..: looked at while fixing issue 16's second
 *   round; 801..: the blind set, measured before and after without being looked at first; 901..: a second blind
 *   set, built before the third round; 1101..: a third, built and scored before the fourth round (speakerphone
 *   talk-over) changed anything; 1301.. with VARIED_N=3: the fourth round's development calls; 1501..: a fourth blind set, built and scored before the sixth round), with per-call
 *   overrides drawn from the seed: speakerphone rooms from sox's `reverb` (Freeverb: reverberance 30-95 %,
 *   room scale 20-100 %, HF damping 10-90 %, pre-delay 0-30 ms, direct-to-reverberant -6..+4 dB) for two calls
 *   in three, the built-in Schroeder room with RT60 0.25-1.4 s for the third; the loudspeaker echo of the agent
 *   at -8..-26 dB after 20-250 ms; hold music cycling over every file of asterisk-moh-opsound-wav; the codec
 *   cycling over eight stereo codecs (pcm16, mu-law, A-law, GSM, mp3 16k, Opus, AAC, FLAC). Built once and
 *   cached under test/.cache/bench/hard-varied/.
 * - Scores: as the test (test/support/audio-eval.ts): talk-over events matched to truth (>= 30 % overlap),
 *   pooled P/R per kind of line; holds matched one to one (a split hold costs precision), edge errors of the
 *   matched holds; dead air pooled.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { holdScores, pool, scoreCall, type CallScores } from '../support/audio-eval.js';
import { CODEC_EXT, buildCall, hardLineCallSpec, type GroundTruth, type HardLine } from '../support/callgen.js';
import { variation } from '../support/hard-varied.js';
import { BENCH_CACHE } from './lib/child.js';

const SEED0 = Number(process.env.VARIED_SEED0 ?? 701);
const MULT = Number(process.env.VARIED_N ?? 1);
const DIR = path.join(BENCH_CACHE, 'hard-varied');
const LINES = process.env.VARIED_LINES?.split(',');
const PLAN = (
  [
    ['speakerphone', 18],
    ['noisy-hold', 8],
    ['clipping-hold', 8],
    ['dtx', 6],
    ['keypad', 6],
  ] as [HardLine, number][]
).filter(([line]) => !LINES || LINES.includes(line));

interface Row {
  line: HardLine;
  seed: number;
  label: string;
  truth: GroundTruth;
  scores: CallScores;
}

async function main(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const rows: Row[] = [];
  for (const [line, n] of PLAN)
    for (let k = 0; k < n * MULT; k++) {
      const seed = SEED0 + k;
      const { opts, label } = variation(line, seed, k);
      const spec = await hardLineCallSpec(seed, line, opts);
      const base = path.join(DIR, `${line}-${seed}`);
      const file = `${base}.${CODEC_EXT[spec.impairments?.codec ?? 'pcm16']}`;
      const key = JSON.stringify(opts);
      let truth: GroundTruth;
      if (existsSync(`${base}.truth.json`) && existsSync(file) && readFileSync(`${base}.key`, 'utf8') === key) truth = JSON.parse(readFileSync(`${base}.truth.json`, 'utf8')) as GroundTruth;
      else {
        truth = await buildCall(spec, file);
        writeFileSync(`${base}.truth.json`, JSON.stringify(truth));
        writeFileSync(`${base}.key`, key);
      }
      rows.push({ line, seed, label, truth, scores: await scoreCall(file, truth) });
    }
  const f = (x: number) => x.toFixed(3);
  const span = (xs: { start: number; end: number }[]) => xs.map((x) => `${x.start.toFixed(1)}-${x.end.toFixed(1)}`).join(' ');
  for (const r of rows) {
    const h = holdScores(r.scores.detected.hold, r.truth.hold);
    const to = r.scores.talkOver;
    const fps = r.scores.detected.talkOver.filter((d) => !r.truth.talkOver.some((t) => Math.min(d.end, t.end) - Math.max(d.start, t.start) > 0));
    console.log(
      `${r.line.padEnd(13)} ${r.seed} ${String(r.truth.codec).padEnd(10)} ${r.label.padEnd(48)} talk-over ${to.tp}/${to.fp}/${to.fn}` +
        (fps.length ? ` [fp ${span(fps)}]` : '') +
        (r.truth.hold.length || r.scores.detected.hold.length ? `  hold ${h.tp}/${h.fp}/${h.fn} truth [${span(r.truth.hold)}] found [${span(r.scores.detected.hold)}]` : '') +
        `  dead air ${r.scores.silence.tp}/${r.scores.silence.fp}/${r.scores.silence.fn}`,
    );
  }
  const summary: Record<string, unknown> = {};
  for (const [line] of PLAN) {
    const rs = rows.filter((r) => r.line === line);
    const to = pool(rs.map((r) => r.scores.talkOver));
    const da = pool(rs.map((r) => r.scores.silence));
    let holdText = '';
    if (line === 'noisy-hold' || line === 'clipping-hold') {
      const hs = rs.map((r) => holdScores(r.scores.detected.hold, r.truth.hold));
      const hp = pool(hs);
      const edges = hs.flatMap((h) => h.edgeErrSec);
      const within = edges.filter((e) => e <= 1).length / Math.max(1, edges.length);
      holdText = ` | hold P ${f(hp.precision)} R ${f(hp.recall)} F1 ${f(hp.f1)} (tp ${hp.tp} fp ${hp.fp} fn ${hp.fn}), edges within 1 s ${f(within)} of ${edges.length}, worst ${Math.max(0, ...edges).toFixed(1)} s`;
      summary[`${line}.hold`] = { ...hp, within1s: within, edges: edges.length };
    }
    console.log(`${line.padEnd(13)} ${rs.length} calls: talk-over P ${f(to.precision)} R ${f(to.recall)} (tp ${to.tp} fp ${to.fp} fn ${to.fn}) | dead air P ${f(da.precision)} R ${f(da.recall)}${holdText}`);
    summary[`${line}.talkOver`] = to;
    summary[`${line}.deadAir`] = da;
  }
  const sp = rows.filter((r) => r.line === 'speakerphone');
  for (const [name, sel] of [
    ['speakerphone, sox rooms', sp.filter((r) => r.label.startsWith('sox'))],
    ['speakerphone, schroeder', sp.filter((r) => r.label.startsWith('schroeder'))],
  ] as const) {
    const to = pool(sel.map((r) => r.scores.talkOver));
    console.log(`  ${name}: talk-over P ${f(to.precision)} R ${f(to.recall)} (tp ${to.tp} fp ${to.fp} fn ${to.fn})`);
  }
  const all = pool(rows.map((r) => r.scores.talkOver));
  console.log(`all ${rows.length} calls: talk-over P ${f(all.precision)} R ${f(all.recall)} (tp ${all.tp} fp ${all.fp} fn ${all.fn})`);
  if (process.env.VARIED_JSON)
    writeFileSync(
      process.env.VARIED_JSON,
      JSON.stringify({ summary, calls: rows.map((r) => ({ line: r.line, seed: r.seed, label: r.label, talkOver: r.scores.talkOver, detected: r.scores.detected, truthHold: r.truth.hold, truthTalkOver: r.truth.talkOver })) }, null, 1),
    );
}

await main();
