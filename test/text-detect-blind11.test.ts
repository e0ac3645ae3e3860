import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The eleventh blind set (test/fixtures/dialogues-blind11/, issue 16): 40 dialogues (26 en, 8 zh, 6 code-switched:
 * Singapore, Malaysia, Hong Kong) from MAINSTREAM English-language contact centres (telecoms and broadband,
 * utilities, airlines, car insurance, banking and cards, retail returns, clinics, tech support), written by a
 * helper who read only the seed standards and the third set's conventions, and scored once on main at 4223963
 * (lexicons 1.2-1.11).
 *
 * First measurement: six-detector mean F1 **0.977** (greeting 1.00, closing 1.00, self-identification 0.97,
 * banned 0.97, fillers 1.00, escalation 0.92). Final, after the tenth set's general changes and "hurry up" /
 * "i've got other lines ringing", "not making a complaint", "if it happens again i'm gone", medical practices as
 * organisations, "the police are here" (after an accident) and moving out as a reason to cancel: **1.000**. Not
 * blind any more.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'eleventh',
  folder: 'dialogues-blind11',
  counts: { zh: 8, en: 26, auto: 6 },
  hard: ['only the customer says goodbye -> missing closing', `customer "i'm not complaining" is not an escalation`, `"that's not my department" is banned (推诿)`, "the agent's last turn is a transfer hand-off, not a closing", 'organisation at 0.5 s, name + staff number only at ~20 s -> late self-identification'],
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.98, r: 0.95 }, // measured 1.000 / 1.000
    filler: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    customer_escalation: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.98, // measured 1.000
});
