import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The twenty-third blind set (test/fixtures/dialogues-blind23/, issue 16): 40 calls on SHORT and abnormal calls (20 zh, 16 en, 4 code-switched): wrong numbers, silent lines, dropped calls, customers hanging up, IVR menus and voicemail before the agent, transfers, prank and abusive callers, written by a
 * helper who read only the seed standards and the third set's conventions, and labelled with fillers once per
 * occurrence.
 *
 * First measurement: six-detector mean F1 **0.914** (0.882 with the insult labels the brief wrongly asked for), measured on b322548; misses: an IVR menu or voicemail greeting (speaker unknown) taken for the agent's greeting and identification, an introduction given late beside the company ("okay this is carlos with swiftway couriers"), "didn't get to say", impatience with silent lines (再不说话挂了, 吵死了), "grow up", switching to a competitor. Final, after general changes: **0.982**. Not blind
 * any more.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'twenty-third',
  folder: 'dialogues-blind23',
  counts: { zh: 20, en: 16, auto: 4 },
  hard: ["'hi 您好' is one greeting", "'楼上那户' is not 那个", "'幺二三幺五' (12315) is the regulator hotline: escalation"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.70, r: 0.95 }, // measured 0.750 / 1.000
    closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.95, r: 0.90 }, // measured 1.000 / 0.950
    filler: { p: 0.92, r: 0.92 }, // measured 0.941 / 0.970
    customer_escalation: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.96, // measured 0.986
});
