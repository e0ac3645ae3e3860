import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The seventy-first blind set (test/fixtures/dialogues-blind71/, issue 16): 40 calls, insurance and pensions (car, health and life insurance claims and renewals, a social-security and housing-fund hotline), telephone-recogniser style, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * Round 23: scored once on 383ec47 (the code this session started from; the classifier trained on the sets up to 68)
 * before anything changed for it: six-detector mean F1 **0.928**. Then used for general fixes (look-alike tests in
 * test/text-detect-phrasing.test.ts) and in training the two utterance classifiers; not blind any more.
 *
 * Floors: 0.02 under the measured values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'seventy-first',
  folder: 'dialogues-blind71',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["no-punctuation","would-you-like-lookalike","customer-fillers-not-labelled"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.91, r: 0.95 }, // measured 0.968 / 1.000
    filler: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    customer_escalation: { p: 0.91, r: 0.95 }, // measured 0.968 / 1.000
  },
  meanFloor: 0.97, // measured 0.995
});
