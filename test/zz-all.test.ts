import { join } from 'node:path';
import { it } from 'vitest';
import { loadLexicons } from '../src/lexicon/loader.js';
import { loadDialogues, scoreDialogues, sixDetectorMean, pr } from './support/text-eval.js';
const root = join(import.meta.dirname, '..');
it('all', () => {
  const lex = loadLexicons(join(root, 'lexicons'));
  for (const set of ['dialogues', 'dialogues-blind', 'dialogues-blind2', 'dialogues-blind3']) {
    const s = scoreDialogues(loadDialogues(join(root, 'test/fixtures', set)), lex);
    const six = sixDetectorMean(s);
    const a = pr(s.all);
    console.log(`SET ${set.padEnd(18)} mean ${six.mean.toFixed(3)} ALL P=${a.p.toFixed(3)} R=${a.r.toFixed(3)} ` + six.groups.map((g) => `${g.name.slice(0, 8)} ${g.p.toFixed(2)}/${g.r.toFixed(2)}`).join(' '));
    if (process.env.MISSES) for (const m of s.misses) if (set === process.env.MISSES || (set !== 'dialogues-blind3')) console.log('  MISS', set, m.slice(0, 200));
  }
});
