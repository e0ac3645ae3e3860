import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The forty-seventh blind set (test/fixtures/dialogues-blind47/, issue 16): 40 calls, outbound sales, retention and renewal calls (20 zh, 20 en): pushy and honest agents, customers declining, comparing or threatening to leave, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: six-detector mean F1 **0.909** on c4c5e22 (the code before it was seen); **0.969** after the
 * general fixes of the same round (backchannel 嗯嗯, "it's <name> from <company>", threats, put-offs and banned wording the writers share). Not blind any more.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'forty-seventh',
  folder: 'dialogues-blind47',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["ordinary call", "self-identification in the second agent turn", "comparing prices is not escalation"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.95, r: 0.92 }, // measured 1.000 / 0.970
    missing_closing: { p: 0.82, r: 0.95 }, // measured 0.875 / 1.000
    self_identification: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.90, r: 0.79 }, // measured 0.957 / 0.846
    filler: { p: 0.95, r: 0.95 }, // measured 0.974 / 0.974
    customer_escalation: { p: 0.88, r: 0.95 }, // measured 0.933 / 1.000
  },
  meanFloor: 0.94, // measured 0.969
});
