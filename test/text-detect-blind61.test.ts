import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The sixty-first blind set (test/fixtures/dialogues-blind61/, issue 16): 40 calls, hard calls: debt collection, gym and membership cancellations, letting agents, retention and telemarketing that oversells (20 zh, 20 en), telephone-recogniser output without punctuation, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement (round twenty-two, scored once on 7e96386, the code this session began with, before anything changed
 * for it): six-detector mean F1 **0.849**. After the round's general fixes: **0.979**. Not blind any more now that
 * it has been read.
 *
 * Floors: 0.02 under the measured values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'sixty-first',
  folder: 'dialogues-blind61',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["plain-call", "late-self-id", "no-closing"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.91, r: 0.95 }, // measured 0.966 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.80 }, // measured 1.000 / 0.857
    banned_phrase: { p: 0.95, r: 0.95 }, // measured 0.977 / 0.977
    filler: { p: 0.88, r: 0.98 }, // measured 0.905 / 1.000
    customer_escalation: { p: 0.89, r: 0.95 }, // measured 0.947 / 1.000
  },
  meanFloor: 0.95, // measured 0.979
});
