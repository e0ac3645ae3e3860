import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The twenty-eighth blind set (test/fixtures/dialogues-blind28/, issue 16): 40 calls on an ORDINARY DAY in an outsourced contact centre serving many clients (20 zh, 20 en): utilities, telecoms, banks, collections, insurers, retail, travel, healthcare and government lines, good, average and poor calls as a QA team samples them, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: six-detector mean F1 **0.906**, on eda0248 (lexicons 1.2-1.19; the first set of the fourteenth round, written from a brief without the insult mistake); misses: a supervisor refused ("managers don't take calls"), "wait like everyone else", "don't borrow", 找领导也没用, 快说; "see you" heard as "sue you", a past refund, a supervisor given up and a friend's advice turned down taken for escalations; comparisons with like ("like your original", "roam like home") taken for fillers. Final, after general changes: **0.998**. Not blind any
 * more.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'twenty-eighth',
  folder: 'dialogues-blind28',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["'of com' is ASR for Ofcom, the regulator: escalation", "'would you like me to text you' is not a filler", "'yep bye' is a bare bye, not a closing"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    filler: { p: 0.95, r: 0.98 }, // measured 0.972 / 1.000
    customer_escalation: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.97, // measured 0.998
});
