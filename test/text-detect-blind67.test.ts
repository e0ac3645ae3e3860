import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The sixty-seventh blind set (test/fixtures/dialogues-blind67/, issue 16): 40 calls, an ordinary week at an outsourced centre serving a bank's card line, a mobile network, an online retailer, a car insurer, a city utility and a hospital group, mostly whisper style with some recogniser style and code-switching, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: held out, scored once on b33fa42 (the classifier and the fixes after blinds 65-66, before anything
 * changed for it): six-detector mean F1 **0.961**, a held-out figure for that code (both held-out sets: 0.961 and 0.924). After the general fixes it prompted (roles before a 小/阿 name, the company between greeting and offer of help) and
 * with the classifier retrained on every set, this one included: **0.989**. Not blind any more now that
 * it has been read.
 *
 * Floors: 0.02 under the measured values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'sixty-seventh',
  folder: 'dialogues-blind67',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["whisper-punctuation", "no-punctuation", "numbers-as-words"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.91, r: 0.95 }, // measured 0.964 / 1.000
    filler: { p: 0.93, r: 0.98 }, // measured 0.950 / 1.000
    customer_escalation: { p: 0.90, r: 0.95 }, // measured 0.952 / 1.000
  },
  meanFloor: 0.96, // measured 0.989
});
