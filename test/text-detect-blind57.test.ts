import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The fifty-seventh blind set (test/fixtures/dialogues-blind57/, issue 16): 40 calls, an ordinary day at a mainland Chinese and a UK/US centre of one consumer-electronics maker (20 zh, 20 en), whisper-style, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: six-detector mean F1 **0.953** on db3e54f, the session's final code, scored once when it arrived
 * and left unchanged (no lexicon or detector change since): a held-out figure for that code. Misses: banned recall 0.79
 * ("you must've missed him", 肯定是你用的方法不对, 我刚才不是已经跟您说了吗), a churn to a named brand (我去买美的的), a
 * late greeting after a "hello" to an IVR-confused caller. Not blind any more now that it has been read.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'fifty-seventh',
  folder: 'dialogues-blind57',
  counts: { zh: 20, en: 20, auto: 0 },
  hard: ["ordinary", "filler-count", "would-you-like"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.95, r: 0.95 }, // measured 0.972 / 0.972
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.45 }, // measured 1.000 / 0.500
    closing: { p: 0.91, r: 0.95 }, // measured 0.968 / 1.000
    missing_closing: { p: 0.95, r: 0.85 }, // measured 1.000 / 0.900
    self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.95, r: 0.73 }, // measured 1.000 / 0.786
    filler: { p: 0.88, r: 0.95 }, // measured 0.933 / 1.000
    customer_escalation: { p: 0.88, r: 0.88 }, // measured 0.933 / 0.933
  },
  meanFloor: 0.93, // measured 0.953
});
