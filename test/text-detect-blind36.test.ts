import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The thirty-sixth blind set (test/fixtures/dialogues-blind36/, issue 16): 40 calls on the calls a QA supervisor FLAGS for review (20 zh, 20 en): complaints, rude or careless agents, long holds, transfer loops, callbacks gone wrong, threats against venting, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: six-detector mean F1 **0.918** on 1d936cd (**0.975** after the seventeenth round, 1 Dec, which used it as a development set), the session's final code, scored once when it arrived; nothing has been changed for it yet, so first and final are the same: a held-out figure for that code. Misses: escalation precision 0.60 (投诉有用吗, 不想投诉了, a staff number asked "to note it", someone else's old BBB complaint), banned precision 0.80. Not changed for yet, so it still measures unseen phrasing; it is not blind any
 * more.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'thirty-sixth',
  folder: 'dialogues-blind36',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["fcc complaint threat is a regulator escalation", "\"sat on hold for forty minutes\" is venting", "\"let me talk to your manager\" is escalation"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.80, r: 0.95 }, // measured 0.857 / 1.000
    filler: { p: 0.89, r: 0.95 }, // measured 0.939 / 1.000
    customer_escalation: { p: 0.87, r: 0.95 }, // measured 0.923 / 1.000
  },
  meanFloor: 0.95, // measured 0.975
});
