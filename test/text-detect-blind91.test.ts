import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The ninety-first blind set (test/fixtures/dialogues-blind91/, issue 16): 40 calls, a mixed day at a multi-client outsourced centre (a bank, a courier, a utility, a mobile operator, a clinic and a retailer; half the calls under 90 s), telephone-recogniser style, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * Held out: scored once on 480b484, the session's final detector code (round 26; both utterance classifiers trained on the sets up to 90), and left unchanged: six-detector mean F1 **0.974**, a held-out figure for that code. Not blind any more now that it has been read.
 *
 * Floors: 0.02 under the measured values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'ninety-first',
  folder: 'dialogues-blind91',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["no-punctuation","numbers-as-words","short-call"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.45 }, // measured 1.000 / 0.500
    closing: { p: 0.95, r: 0.91 }, // measured 1.000 / 0.967
    missing_closing: { p: 0.85, r: 0.95 }, // measured 0.909 / 1.000
    self_identification: { p: 0.92, r: 0.95 }, // measured 0.971 / 1.000
    late_self_identification: { p: 0.95, r: 0.61 }, // measured 1.000 / 0.667
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.87, r: 0.91 }, // measured 0.926 / 0.962
    filler: { p: 0.93, r: 0.94 }, // measured 0.955 / 0.969
    customer_escalation: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.95, // measured 0.974
});
