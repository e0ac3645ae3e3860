import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The sixty-ninth blind set (test/fixtures/dialogues-blind69/, issue 16): 40 calls, public-sector and regulated lines (tax, pensions, passports and visas, water, rail, a hospital switchboard, a university, a consumer-rights helpline), whisper.cpp style, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * Held out: scored once on f4afcab, the session's final code (the classifier's weights trained on the sets up to 68), and
 * left unchanged: six-detector mean F1 **0.957**, a held-out figure for that code. Not blind any more now that it has been
 * read.
 *
 * Floors: 0.02 under the measured values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'sixty-ninth',
  folder: 'dialogues-blind69',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["plain-call", "whisper-homophone", "hurried-customer"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.95, r: 0.91 }, // measured 1.000 / 0.969
    missing_closing: { p: 0.83, r: 0.95 }, // measured 0.889 / 1.000
    self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.79, r: 0.79 }, // measured 0.846 / 0.846
    filler: { p: 0.92, r: 0.95 }, // measured 0.947 / 0.973
    customer_escalation: { p: 0.87, r: 0.95 }, // measured 0.929 / 1.000
  },
  meanFloor: 0.93, // measured 0.957
});
