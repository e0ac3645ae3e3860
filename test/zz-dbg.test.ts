import { join } from 'node:path';
import { it } from 'vitest';
import { loadLexicons } from '../src/lexicon/loader.js';
import { loadDialogues, runDialogue } from '../test/support/text-eval.js';
const root = '/work/wt/textblind3';
it('dbg', () => {
  const lex = loadLexicons(join(root, 'lexicons'));
  const ids = (process.env.IDS ?? '').split(',');
  const types = (process.env.TYPES ?? '').split(',');
  for (const set of ['dialogues-blind3']) for (const d of loadDialogues(join(root, 'test/fixtures', set))) {
    if (!ids.some((i) => d.id.includes(i))) continue;
    for (const e of runDialogue(d, lex).events) if (types.some((t) => e.type.includes(t)))
      console.log(d.id, e.type, e.start, JSON.stringify({ ...e.details, evidence: undefined, text: undefined }).slice(0, 600));
  }
});
