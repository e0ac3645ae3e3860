import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The fifteenth blind set (test/fixtures/dialogues-blind15/, issue 16): 40 OUTBOUND calls and callbacks (22 zh,
 * 4 of them in Traditional characters, 14 en, 4 code-switched): telemarketing, collections, renewals,
 * confirmations, surveys, fraud checks; written by a helper who read only the seed standards and the third
 * set's conventions, and scored once on lead at b7e039f (lexicons 1.2-1.13 before the vent round).
 *
 * First measurement: six-detector mean F1 **0.873** (banned recall 0.47: pushy sellers' and collectors'
 * rhetoric; closing 0.93: "thanks for confirming" … the customer's "thanks bye" … "bye" taken as a closing).
 * Final, after general changes: a farewell is completed only by thanks or a courtesy said in the same run of
 * agent speech; pushiness and blame (您连听都不听怎么知道不需要, 还好意思说没钱, 借的时候怎么不想想, 到时候别后悔,
 * 谁会去找您, "how do you know you … if you haven't even heard", "not hanging up until you let me finish",
 * "your loss" but not "sorry for your loss"); 喂 in 喂食器 is no 喂; outbound threats (律师函, 骚扰, 检举 / NCC,
 * 工号我记下了, "i'll sue"): **0.981**. Not blind any more.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'fifteenth',
  folder: 'dialogues-blind15',
  counts: { zh: 22, en: 14, auto: 4 },
  hard: ['greeting at ~11 s (late)', 'Traditional characters', 'identification at ~20 s (late)', "call ends on the customer's threat", 'old complaint mentioned as resolved is no escalation'],
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    self_identification: { p: 0.91, r: 0.91 }, // measured 0.962 / 0.962
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.78, r: 0.78 }, // measured 0.833 / 0.833
    banned_phrase: { p: 0.98, r: 0.92 }, // measured 1.000 / 0.947
    filler: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    customer_escalation: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.96, // measured 0.987
});
