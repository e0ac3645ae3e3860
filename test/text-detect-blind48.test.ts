import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The forty-eighth blind set (test/fixtures/dialogues-blind48/, issue 16): 40 calls, a complaints desk (20 zh, 20 en): call-backs, escalations, apologies, venting, supervisors taking over, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: six-detector mean F1 **0.961** on c4c5e22 (the code before it was seen); **0.993** after the
 * general fixes of the same round (backchannel 嗯嗯, "it's <name> from <company>", threats, put-offs and banned wording the writers share). Not blind any more.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'forty-eighth',
  folder: 'dialogues-blind48',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["ordinary call", "callback about an earlier promise", "goodwill credit accepted"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.95, r: 0.98 }, // measured 0.973 / 1.000
    missing_greeting: { p: 0.95, r: 0.70 }, // measured 1.000 / 0.750
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.95, r: 0.91 }, // measured 1.000 / 0.962
    filler: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    customer_escalation: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.97, // measured 0.993
});
