import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The sixty-sixth blind set (test/fixtures/dialogues-blind66/, issue 16): 40 calls, calls a QA team pulled for review (rude or careless agents, mis-selling, angry and threatening customers and near misses), whisper-style Chinese with Traditional characters and recogniser-style English, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: held out, scored once on a154ed2 (the twenty-third round's final code) before anything changed for
 * it: six-detector mean F1 **0.868** (banned-phrase recall the gap). With the banned-utterance classifier trained
 * without this set (docs/lexicons.md): **0.888**, the figure for a writer the code has not seen. After the general fixes it prompted, with the classifier trained on every set, this one included: **0.989**. Not blind any more now that
 * it has been read.
 *
 * Floors: 0.02 under the measured values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'sixty-sixth',
  folder: 'dialogues-blind66',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["no-punctuation", "plain-call", "escalation-near-miss"],
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
    banned_phrase: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    filler: { p: 0.91, r: 0.95 }, // measured 0.968 / 1.000
    customer_escalation: { p: 0.89, r: 0.89 }, // measured 0.950 / 0.950
  },
  meanFloor: 0.96, // measured 0.989
});
