/**
 * Matching throughput with the full lexicons: MB of transcript text per second through the lexicon matcher
 * (one pass over every segment, all categories, fuzzy included), and through runTextDetectors end to end.
 * Run: npx tsx test/bench/text.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normaliseText } from '../../src/core/normalise.js';
import type { TranscriptSegment } from '../../src/core/types.js';
import { DEFAULT_TEXT_PARAMS, matcherFor, runTextDetectors } from '../../src/detect/text/index.js';
import { loadLexicons } from '../../src/lexicon/loader.js';

const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', '..', 'lexicons'));
const dir = join(here, '..', 'fixtures', 'dialogues');
const base: TranscriptSegment[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { segments: Omit<TranscriptSegment, 'normText'>[] }).segments)
  .map((s) => ({ ...s, normText: normaliseText(s.text) }));

// ~2 MB of transcript: the labelled dialogues repeated as one long call stream, times shifted
const targetBytes = 2 * 1024 * 1024;
const segments: TranscriptSegment[] = [];
let bytes = 0;
for (let round = 0; bytes < targetBytes; round++) {
  for (const s of base) {
    segments.push({ ...s, start: s.start + round * 200, end: s.end + round * 200 });
    bytes += Buffer.byteLength(s.text, 'utf8');
  }
}
const mb = bytes / (1024 * 1024);
const matcher = matcherFor(lex);
matcher.matchTranscript(segments.slice(0, 2000)); // warm caches (pinyin, stems)

// wall time and this process's CPU time (user + system): on a shared, loaded machine the CPU figure is the
// one-core throughput; the wall figure is what a user waits
const cpuSec = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;
let t = performance.now();
let c0 = process.cpuUsage();
const hits = matcher.matchTranscript(segments).length;
const matchSec = (performance.now() - t) / 1000;
const matchCpuSec = cpuSec(process.cpuUsage(c0));

// end to end on call-sized transcripts (one dialogue per call)
t = performance.now();
c0 = process.cpuUsage();
for (let i = 0; i < segments.length; i += base.length) {
  const chunk = segments.slice(i, i + base.length);
  runTextDetectors(
    { transcript: { engine: 'sidecar-json', language: 'auto', segments: chunk }, durationSec: chunk[chunk.length - 1].end + 1, holdSpans: [], language: 'auto' },
    lex,
    DEFAULT_TEXT_PARAMS,
  );
}
const e2eSec = (performance.now() - t) / 1000;
const e2eCpuSec = cpuSec(process.cpuUsage(c0));
console.log(
  `text matching: ${(mb / matchSec).toFixed(2)} MB/s of transcript wall, ${(mb / matchCpuSec).toFixed(2)} MB per CPU-second ` +
    `(${mb.toFixed(2)} MB, ${segments.length} segments, ${lex.entries.length} entries, ${hits} hits, lexicons ${lex.version}); ` +
    `all text detectors: ${(mb / e2eSec).toFixed(2)} MB/s wall, ${(mb / e2eCpuSec).toFixed(2)} MB per CPU-second`,
);
