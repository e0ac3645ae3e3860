import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The ninetieth blind set (test/fixtures/dialogues-blind90/, issue 16): 40 calls, telecom outbound sales and retention (plan upgrades, broadband bundles, win-back calls, loyalty offers; the customer answers first), telephone-recogniser style, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * Held out: scored once on ba684f8, round 25's final detector code (both utterance classifiers trained on the sets up to 86), before anything changed for it: six-detector mean F1 **0.941**, a held-out figure for that code. Then read for round 26: 0.968 with the classifiers retrained on the sets up to 90 and round 26's general fixes.
 *
 * Floors: 0.02 under the measured values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'ninetieth',
  folder: 'dialogues-blind90',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["no-punctuation","customer-busy","numbers-as-words"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.98, r: 0.00 }, // measured 1.000 / 0.000
    closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.88, r: 0.95 }, // measured 0.935 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.54 }, // measured 1.000 / 0.600
    banned_phrase: { p: 0.91, r: 0.95 }, // measured 0.967 / 1.000
    filler: { p: 0.95, r: 0.91 }, // measured 0.976 / 0.938
    customer_escalation: { p: 0.88, r: 0.95 }, // measured 0.931 / 1.000
  },
  meanFloor: 0.94, // measured 0.968
});
