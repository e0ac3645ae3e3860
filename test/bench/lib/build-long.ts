/**
 * Child process: build the long benchmark call and its ground truth (callgen's generator holds ~360 MB
 * itself, so it never runs in the process whose memory is measured).
 *   node --import tsx test/bench/lib/build-long.ts <outFile> <minutes> <codec>
 */
import { writeFileSync, renameSync } from 'node:fs';
import { buildLongCall, type LongCallOptions } from '../../support/callgen.js';

const [outFile, minutesArg, codecArg] = process.argv.slice(2);
const minutes = Number(minutesArg ?? 60);
const codec = (codecArg ?? 'mulaw') as NonNullable<LongCallOptions['codec']>;
const tmp = outFile.replace(/(\.\w+)$/, '.partial$1');
const t0 = performance.now();
let lastPct = -10;
const truth = await buildLongCall(minutes, tmp, {
  codec,
  sampleRate: 8000,
  seed: 7,
  onProgress: (done, total) => {
    const pct = Math.floor((100 * done) / total);
    if (pct - lastPct >= 10) {
      lastPct = pct;
      process.stderr.write(`  building long call: ${pct}%\n`);
    }
  },
});
writeFileSync(`${outFile}.truth.json`, JSON.stringify(truth));
renameSync(tmp, outFile);
console.log(JSON.stringify({ ok: true, seconds: (performance.now() - t0) / 1000, durationSec: truth.durationSec }));
