import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The sixty-fifth blind set (test/fixtures/dialogues-blind65/, issue 16): 40 calls, ten industries of the writer's choosing (courier, property, healthcare, travel, utilities, motor, education, insurance, food, appliances), inbound and outbound, half whisper-style and half recogniser-style, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: held out, scored once on a154ed2 (the twenty-third round's final code) before anything changed for
 * it: six-detector mean F1 **0.901** (banned-phrase recall the gap). With the banned-utterance classifier trained
 * without this set (docs/lexicons.md): **0.942**, the figure for a writer the code has not seen. After the general fixes it prompted, with the classifier trained on every set, this one included: **0.998**. Not blind any more now that
 * it has been read.
 *
 * Floors: 0.02 under the measured values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'sixty-fifth',
  folder: 'dialogues-blind65',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["whisper-punctuation", "no-punctuation", "outbound"],
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
    filler: { p: 0.95, r: 0.98 }, // measured 0.974 / 1.000
    customer_escalation: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.97, // measured 0.998
});
