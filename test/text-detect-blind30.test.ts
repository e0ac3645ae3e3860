import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The thirtieth blind set (test/fixtures/dialogues-blind30/, issue 16): 40 calls on an ORDINARY DAY at English-speaking contact centres (36 en from the US, UK, Ireland, Australia and Canada; 4 zh): retail banks, mobile and broadband, energy, insurers, airlines, retailers, mostly routine calls, written by a helper who
 * read only the seed standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: six-detector mean F1 **0.901**, on the code after the thirty-first set's round (lexicons 1.2-1.21); misses: blaming the customer for not reading the terms, "can you speak properly", "i can't stop you", a PUK code heard as a PAC code, a decided switch and a neighbour's trip to the ombudsman taken for threats, "this is marcus with skyline air" given late after an IVR message; still counted against its labels: "what can i do for you" as a greeting (other writers and seed 003's 开篇语 count it). Final, after general changes: **0.961**. Not blind any
 * more.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'thirtieth',
  folder: 'dialogues-blind30',
  counts: { zh: 4, en: 36, auto: 0 },
  hard: ["agent 'uh-huh' is a backchannel, not the filler 'uh'", "'just so you know' is not the filler 'you know'", "customer 'unbelievable. fine' is venting"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.92, r: 0.98 }, // measured 0.947 / 1.000
    missing_greeting: { p: 0.95, r: 0.45 }, // measured 1.000 / 0.500
    late_greeting: { p: 0.61, r: 0.95 }, // measured 0.667 / 1.000
    closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.91, r: 0.95 }, // measured 0.967 / 1.000
    late_self_identification: { p: 0.82, r: 0.95 }, // measured 0.875 / 1.000
    missing_self_identification: { p: 0.95, r: 0.45 }, // measured 1.000 / 0.500
    banned_phrase: { p: 0.89, r: 0.95 }, // measured 0.947 / 1.000
    filler: { p: 0.88, r: 0.98 }, // measured 0.902 / 1.000
    customer_escalation: { p: 0.87, r: 0.95 }, // measured 0.929 / 1.000
  },
  meanFloor: 0.94, // measured 0.961
});
