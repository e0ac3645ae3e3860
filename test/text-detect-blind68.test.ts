import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The sixty-eighth blind set (test/fixtures/dialogues-blind68/, issue 16): 40 calls, smaller businesses' customer lines (a regional airline, gyms, an estate agency, dentists, a software subscription, furniture delivery, university admissions, a taxi firm), recogniser-style Mandarin and whisper-style English, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: held out, scored once on b33fa42 (the classifier and the fixes after blinds 65-66, before anything
 * changed for it): six-detector mean F1 **0.924**, a held-out figure for that code (both held-out sets: 0.961 and 0.924). After the general fixes it prompted (roles before a 小/阿 name, the company between greeting and offer of help) and
 * with the classifier retrained on every set, this one included: **0.969**. Not blind any more now that
 * it has been read.
 *
 * Floors: 0.02 under the measured values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'sixty-eighth',
  folder: 'dialogues-blind68',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["whisper-punctuation", "no-punctuation", "asr-homophones"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.75 }, // measured 1.000 / 0.800
    missing_self_identification: { p: 0.80, r: 0.95 }, // measured 0.857 / 1.000
    banned_phrase: { p: 0.91, r: 0.95 }, // measured 0.963 / 1.000
    filler: { p: 0.96, r: 0.98 }, // measured 0.982 / 1.000
    customer_escalation: { p: 0.81, r: 0.81 }, // measured 0.867 / 0.867
  },
  meanFloor: 0.94, // measured 0.969
});
