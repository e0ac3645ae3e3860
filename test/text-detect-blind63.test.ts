import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The sixty-third blind set (test/fixtures/dialogues-blind63/, issue 16): 40 calls, an ordinary day at consumer centres: shopping, delivery, appliance repair, pharmacies and social security in Mandarin, retail banking, phone shops, energy, rail and airlines in the UK and US, whisper.cpp-style output, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: held out, scored once on 85e893f (the twenty-second round's final code, landed on main) before
 * anything changed for it: six-detector mean F1 **0.886**, a held-out figure for that code. After the twenty-third round's general fixes: **0.987**. Not blind any more now that
 * it has been read.
 *
 * Floors: 0.02 under the measured values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'sixty-third',
  folder: 'dialogues-blind63',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["plain-good-call", "uk", "us"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    filler: { p: 0.88, r: 0.95 }, // measured 0.939 / 1.000
    customer_escalation: { p: 0.95, r: 0.85 }, // measured 1.000 / 0.909
  },
  meanFloor: 0.96, // measured 0.987
});
