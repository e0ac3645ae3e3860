import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The eighty-second blind set (test/fixtures/dialogues-blind82/, issue 16): 40 calls, hotels, airlines and travel agencies (changes, cancellations, lost luggage, overbooking; Hong Kong and Taiwan Mandarin, British, American and Indian English; transfers), telephone-recogniser style, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * Round 24: scored once on 0ac04d0 (the session's starting code) before anything changed for it: six-detector mean F1 **0.941** (with the filler labels' guessed details key dropped; 0.933 with it); after the general fixes of round 24 0.969, and 0.975 with both classifiers retrained on the sets up to 86 and the fixes of round 25.
 *
 * Floors: 0.02 under the measured values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'eighty-second',
  folder: 'dialogues-blind82',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["no-punctuation","numbers-as-words","neutral-complaint-mention"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.98, r: 0.00 }, // measured 1.000 / 0.000
    closing: { p: 0.95, r: 0.92 }, // measured 1.000 / 0.971
    missing_closing: { p: 0.78, r: 0.95 }, // measured 0.833 / 1.000
    self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.91, r: 0.95 }, // measured 0.966 / 1.000
    filler: { p: 0.95, r: 0.93 }, // measured 0.979 / 0.960
    customer_escalation: { p: 0.87, r: 0.95 }, // measured 0.920 / 1.000
  },
  meanFloor: 0.95, // measured 0.975
});
