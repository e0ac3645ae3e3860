/**
 * Prints the per-detector precision/recall and the six-detector mean for the labelled dialogue sets:
 *   npx tsx test/support/text-measure.ts [dialogues|dialogues-blind|dialogues-blind2 ...] [--misses]
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../../src/lexicon/loader.js';
import { formatScore, loadDialogues, scoreDialogues, sixDetectorMean } from './text-eval.js';

const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', '..', 'lexicons'));
const args = process.argv.slice(2);
const misses = args.includes('--misses');
const sets = args.filter((a) => !a.startsWith('--'));
for (const set of sets.length ? sets : ['dialogues', 'dialogues-blind', 'dialogues-blind2']) {
  const ds = loadDialogues(join(here, '..', 'fixtures', set));
  const s = scoreDialogues(ds, lex);
  const text = formatScore(`${set} (${ds.length} dialogues)`, s);
  console.log(misses ? text : text.split('\ndifferences:')[0]);
  const m = sixDetectorMean(s);
  console.log(`six-detector mean F1 = ${m.mean.toFixed(3)}  ` + m.groups.map((g) => `${g.name}=${g.f1.toFixed(2)}`).join(' ') + '\n');
}
