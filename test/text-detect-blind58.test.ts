import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The fifty-eighth blind set (test/fixtures/dialogues-blind58/, issue 16): 40 calls, an ordinary day at bank and insurance centres in mainland China and the US/UK (20 zh, 20 en), telephone-recogniser output, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: six-detector mean F1 **0.970** on db3e54f, the session's final code, scored once when it arrived
 * and left unchanged (no lexicon or detector change since): a held-out figure for that code. Misses: banned recall 0.73
 * ("if you keep yelling at me im going to end this call", "you shouldnt have given your card to that website",
 * 没什么好问的). Not blind any more now that it has been read.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'fifty-eighth',
  folder: 'dialogues-blind58',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["ordinary", "no-punctuation", "filler-erm"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.95, r: 0.67 }, // measured 1.000 / 0.727
    filler: { p: 0.95, r: 0.90 }, // measured 1.000 / 0.955
    customer_escalation: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.95, // measured 0.970
});
