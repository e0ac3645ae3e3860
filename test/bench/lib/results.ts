import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './child.js';

export const RESULTS_MD = path.join(ROOT, 'test/bench/RESULTS.md');

/** Replace (or append) the section between `<!-- name:start -->` and `<!-- name:end -->` in RESULTS.md. */
export function updateResultsSection(name: string, markdown: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  let doc = existsSync(RESULTS_MD)
    ? readFileSync(RESULTS_MD, 'utf8')
    : '# Benchmark results\n\nWritten by `npm run bench` (test/bench/audio.ts, test/bench/vad-compare.ts); each script rewrites its own section.\n';
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) doc = doc.slice(0, i) + block + doc.slice(j + end.length);
  else doc = `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(RESULTS_MD, doc);
}
