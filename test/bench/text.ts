/**
 * Text throughput with the full lexicons, in three parts (method and numbers: README "Benchmarks", RESULTS.md "text").
 *
 * 1. Matching (issue 16's figure, method unchanged): ~2 MB of the labelled dialogues as one stream, one
 *    matchTranscript pass over every segment (all categories, fuzzy on) after a 2,000-segment warm-up; and
 *    runTextDetectors end to end on call-sized pieces (one dialogue set per call).
 * 2. What an analysis pays for text per call: the same work the pipeline does for each call, on ~1 MB of varied calls
 *    that never repeat an utterance verbatim (test/support/text-corpus.ts: both languages, Traditional, ASR
 *    spacing, ...): normaliseText per segment (the sidecar / whisper reader), the hallucination guard (a
 *    matching pass over the hallucination category, transcribe stage) and runTextDetectors (detect stage).
 * 3. Start-up, paid once per process before the first call: loading and validating the lexicons, building the
 *    automata, and the first call (lazy tables, cold JIT). Measured in a fresh child process.
 *
 * Every figure is MB of transcript text (UTF-8) per CPU-second of this process (user + system: the one-core
 * throughput, which a shared, loaded machine distorts least) beside wall time, and the load average.
 * Run: npx tsx test/bench/text.ts [--dist]   (--dist: the compiled modules the CLI ships, `npm run build:server` first)
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TranscriptSegment } from '../../src/core/types.js';
import { updateResultsSection } from './lib/results.js';

type Normalise = typeof import('../../src/core/normalise.js');
type Detect = typeof import('../../src/detect/text/index.js');
type Loader = typeof import('../../src/lexicon/loader.js');
type Guard = typeof import('../../src/transcribe/hallucinations.js');
type Corpus = typeof import('../support/text-corpus.js');

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dist = process.argv.includes('--dist');
const mod = async <T>(p: string): Promise<T> => (await import(join(root, dist ? 'dist' : 'src', `${p}.${dist ? 'js' : 'ts'}`))) as T;
const { normaliseText } = await mod<Normalise>('core/normalise');
const { DEFAULT_TEXT_PARAMS, matcherFor, runTextDetectors } = await mod<Detect>('detect/text/index');
const { loadLexicons } = await mod<Loader>('lexicon/loader');
const { dropHallucinations } = await mod<Guard>('transcribe/hallucinations');

const cpuSec = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;
function timed<T>(f: () => T): { value: T; wallSec: number; cpuSec: number } {
  const t = performance.now();
  const c = process.cpuUsage();
  const value = f();
  return { value, wallSec: (performance.now() - t) / 1000, cpuSec: cpuSec(process.cpuUsage(c)) };
}
const utf8 = (segs: readonly { text: string }[]) => segs.reduce((n, s) => n + Buffer.byteLength(s.text, 'utf8'), 0);
const MiB = 1024 * 1024;
const fmt = (x: number) => x.toFixed(2);
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

// ---- 3. start-up, in a fresh child process (this one's JIT and caches are warm by the time it is measured) ----
// the corpus generator is imported only where it is used: its converters and tables would otherwise sit in the heap
// while part 1 is timed, and part 1 keeps issue 16's method
const corpus = () => import('../support/text-corpus.js') as Promise<Corpus>;
if (process.argv.includes('--startup-child')) {
  const { variedCalls } = await corpus();
  const lexT = timed(() => loadLexicons(join(root, 'lexicons')));
  const lex = lexT.value;
  const buildT = timed(() => matcherFor(lex));
  const firstCall = variedCalls(lex, { seed: 7, targetBytes: 6_000 }).flat();
  const firstT = timed(() => {
    const segments = firstCall.map((s) => ({ ...s, normText: normaliseText(s.text) }));
    const guarded = dropHallucinations({ engine: 'sidecar-json', language: 'auto', segments }, lex, DEFAULT_TEXT_PARAMS.hallucinationCoverage);
    return runTextDetectors(
      { transcript: guarded.transcript, durationSec: segments[segments.length - 1].end + 1, holdSpans: [], language: 'auto' },
      lex,
      DEFAULT_TEXT_PARAMS,
    );
  });
  const ms = (t: { cpuSec: number; wallSec: number }) => ({ cpuMs: Math.round(t.cpuSec * 1000), wallMs: Math.round(t.wallSec * 1000) });
  console.log(JSON.stringify({ lexicons: ms(lexT), automata: ms(buildT), firstCall: { ...ms(firstT), kb: utf8(firstCall) / 1024 } }));
  process.exit(0);
}
const loadStart = load();

// ---- 1. matching, issue 16's method ----
const dir = join(here, '..', 'fixtures', 'dialogues');
const base: TranscriptSegment[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { segments: Omit<TranscriptSegment, 'normText'>[] }).segments)
  .map((s) => ({ ...s, normText: normaliseText(s.text) }));
const segments: TranscriptSegment[] = [];
let bytes = 0;
for (let round = 0; bytes < 2 * MiB; round++) {
  for (const s of base) {
    segments.push({ ...s, start: s.start + round * 200, end: s.end + round * 200 });
    bytes += Buffer.byteLength(s.text, 'utf8');
  }
}
const mb = bytes / MiB;
const lex = loadLexicons(join(root, 'lexicons'));
const matcher = matcherFor(lex);
matcher.matchTranscript(segments.slice(0, 2000)); // warm caches (pinyin, stems)
const matchT = timed(() => matcher.matchTranscript(segments).length);
const e2eT = timed(() => {
  for (let i = 0; i < segments.length; i += base.length) {
    const chunk = segments.slice(i, i + base.length);
    runTextDetectors(
      { transcript: { engine: 'sidecar-json', language: 'auto', segments: chunk }, durationSec: chunk[chunk.length - 1].end + 1, holdSpans: [], language: 'auto' },
      lex,
      DEFAULT_TEXT_PARAMS,
    );
  }
});
console.log(
  `text matching: ${fmt(mb / matchT.wallSec)} MB/s of transcript wall, ${fmt(mb / matchT.cpuSec)} MB per CPU-second ` +
    `(${fmt(mb)} MB, ${segments.length} segments, ${lex.entries.length} entries, ${matchT.value} hits, lexicons ${lex.version}); ` +
    `all text detectors: ${fmt(mb / e2eT.wallSec)} MB/s wall, ${fmt(mb / e2eT.cpuSec)} MB per CPU-second`,
);

// ---- 2. per call, as the pipeline does it, on varied calls ----
const { variedCalls } = await corpus();
const calls = variedCalls(lex, { seed: 16, targetBytes: MiB, perCall: 40 }).map((c) => c.map(({ normText: _, ...s }) => s));
const callMb = calls.reduce((n, c) => n + utf8(c), 0) / MiB;
const warm = calls.slice(0, 5);
const perCall = (list: typeof calls) => {
  let events = 0;
  for (const raw of list) {
    const segs: TranscriptSegment[] = raw.map((s) => ({ ...s, normText: normaliseText(s.text) })); // sidecar / whisper reader
    const guarded = dropHallucinations({ engine: 'sidecar-json', language: 'auto', segments: segs }, lex, DEFAULT_TEXT_PARAMS.hallucinationCoverage);
    const durationSec = segs[segs.length - 1].end + 1;
    events += runTextDetectors({ transcript: guarded.transcript, durationSec, holdSpans: [], language: 'auto' }, lex, DEFAULT_TEXT_PARAMS).events.length;
  }
  return events;
};
perCall(warm);
const callT = timed(() => perCall(calls));
const kbPerCall = (callMb * 1024) / calls.length;
console.log(
  `per call as the pipeline does it (normaliseText, hallucination guard, all text detectors) on ${fmt(callMb)} MB of varied calls ` +
    `(${calls.length} calls, ${kbPerCall.toFixed(1)} KB each, ${callT.value} events): ${fmt(callMb / callT.wallSec)} MB/s wall, ` +
    `${fmt(callMb / callT.cpuSec)} MB per CPU-second (${((callT.cpuSec / calls.length) * 1000).toFixed(2)} CPU-ms per call)`,
);
const child = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--startup-child', ...(dist ? ['--dist'] : [])], {
  encoding: 'utf8',
});
const st = JSON.parse(child.trim().split('\n').pop()!) as Record<'lexicons' | 'automata' | 'firstCall', { cpuMs: number; wallMs: number; kb?: number }>;
console.log(
  `start-up once per process (fresh child): lexicons loaded and validated ${st.lexicons.cpuMs} CPU-ms, automata built ` +
    `${st.automata.cpuMs} CPU-ms, first ${st.firstCall.kb!.toFixed(1)} KB call ${st.firstCall.cpuMs} CPU-ms ` +
    `(wall ${st.lexicons.wallMs} / ${st.automata.wallMs} / ${st.firstCall.wallMs} ms)`,
);
const loadEnd = load();
console.log(`load average ${loadStart} at start, ${loadEnd} at end; modules: ${dist ? 'dist/ (compiled, as the CLI runs)' : 'src/ through tsx'}`);

if (process.argv.includes('--write')) {
  updateResultsSection(
    `text-${dist ? 'dist' : 'tsx'}`,
    [
      `### Text (${dist ? 'compiled dist/, as the CLI runs' : 'src/ through tsx'}): \`npx tsx test/bench/text.ts${dist ? ' --dist' : ''} --write\``,
      '',
      `${new Date().toISOString().slice(0, 16)}Z, load average ${loadStart} → ${loadEnd} (1/5/15 min; 2 cores shared). MB of transcript (UTF-8) per CPU-second of the process; wall beside it.`,
      '',
      '| part | MB per CPU-second | MB/s wall | notes |',
      '|---|---:|---:|---|',
      `| matching, 2 MB dialogue stream (issue 16's method) | ${fmt(mb / matchT.cpuSec)} | ${fmt(mb / matchT.wallSec)} | ${matchT.value} hits |`,
      `| all text detectors, same text | ${fmt(mb / e2eT.cpuSec)} | ${fmt(mb / e2eT.wallSec)} | |`,
      `| per call as the pipeline does it, varied calls | ${fmt(callMb / callT.cpuSec)} | ${fmt(callMb / callT.wallSec)} | ${calls.length} calls of ${kbPerCall.toFixed(1)} KB, ${((callT.cpuSec / calls.length) * 1000).toFixed(2)} CPU-ms each |`,
      '',
      `Start-up once per process (fresh child process): lexicons loaded and validated ${st.lexicons.cpuMs} CPU-ms, automata built ${st.automata.cpuMs} CPU-ms, first ${st.firstCall.kb!.toFixed(1)} KB call ${st.firstCall.cpuMs} CPU-ms.`,
    ].join('\n'),
  );
}
