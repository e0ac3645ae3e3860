import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The twenty-first blind set (test/fixtures/dialogues-blind21/, issue 16): 40 calls on TECHNICAL SUPPORT and IT/telecom helpdesks (26 en from the US, UK, Ireland, India and South Africa; 10 zh; 4 code-switched): outages, router resets, licences, lockouts, transfers between teams, holds, callbacks, written by a
 * helper who read only the seed standards and the third set's conventions, and labelled with fillers once per
 * occurrence.
 *
 * First measurement: six-detector mean F1 **0.921** (0.911 with the insult labels the brief wrongly asked for: see the folder README), measured on 63f3bd6 with lexicons 1.2-1.17; misses: shirking ("that's on your end not ours", "that's kind of on you"), ComReg and ICASA as the recogniser writes them ("calm reg", "i kasa"), a neighbour's or son's advice to complain turned down, discourse "like", backchannels (uh-huh, mm-hmm) counted as fillers, "myself rahul" (Indian English). Final, after general changes: **0.985**. Not blind
 * any more.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'twenty-first',
  folder: 'dialogues-blind21',
  counts: { zh: 10, en: 26, auto: 4 },
  hard: ["customer 'i mean' is not labelled", "'alright fair enough' is not banned", "'不好意思让您久等了' 不是禁语"],
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
    banned_phrase: { p: 0.95, r: 0.90 }, // measured 1.000 / 0.952
    filler: { p: 0.90, r: 0.98 }, // measured 0.920 / 1.000
    customer_escalation: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.96, // measured 0.989
});
