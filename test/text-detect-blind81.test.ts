import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The eighty-first blind set (test/fixtures/dialogues-blind81/, issue 16): 40 calls, education, training courses, subscriptions and gyms (refunds, cancellations, pushy outbound sales and renewals), telephone-recogniser style, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * Round 24: scored once on 0ac04d0 (the session's starting code) before anything changed for it: six-detector mean F1 **0.907** (with the filler labels' guessed details key dropped; 0.901 with it); after the general fixes of round 24 0.961, and 0.973 with both classifiers retrained on the sets up to 86 and the fixes of round 25.
 *
 * Floors: 0.02 under the measured values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'eighty-first',
  folder: 'dialogues-blind81',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["no-punctuation","regional-phrasing","neutral-cancellation"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.70 }, // measured 1.000 / 0.750
    closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.90, r: 0.95 }, // measured 0.955 / 1.000
    filler: { p: 0.96, r: 0.84 }, // measured 0.982 / 0.862
    customer_escalation: { p: 0.85, r: 0.95 }, // measured 0.909 / 1.000
  },
  meanFloor: 0.95, // measured 0.973
});
