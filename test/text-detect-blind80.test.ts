import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The eightieth blind set (test/fixtures/dialogues-blind80/, issue 16): 40 calls, couriers, food delivery and ride-hailing (lost parcels, late deliveries, rider and driver complaints, refunds, app accounts), telephone-recogniser style, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * Round 24: scored once on 0ac04d0 (the session's starting code) before anything changed for it: six-detector mean F1 **0.928**; after the general fixes of round 24 0.953, and 0.964 with both classifiers retrained on the sets up to 86 and the fixes of round 25.
 *
 * Floors: 0.02 under the measured values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'eightieth',
  folder: 'dialogues-blind80',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["no-punctuation","hold","numbers-as-words"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.45 }, // measured 1.000 / 0.500
    closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.87, r: 0.95 }, // measured 0.923 / 1.000
    filler: { p: 0.96, r: 0.80 }, // measured 0.981 / 0.823
    customer_escalation: { p: 0.83, r: 0.95 }, // measured 0.885 / 1.000
  },
  meanFloor: 0.94, // measured 0.964
});
