import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The seventeenth blind set (test/fixtures/dialogues-blind17/, issue 16): 40 calls with agents UNDER PRESSURE (end
 * of shift, long queues, abusive callers, outages; 22 en from US, UK, Irish, Australian, Indian, Filipino and South
 * African agents, 14 zh, 4 code-switched), built around banned phrases in many shapes and their polite look-alikes
 * (56 banned labels), written by a helper who read only the seed standards and the third set's conventions, and
 * scored once on lead at a2992f7 (lexicons 1.2-1.14).
 *
 * First measurement: six-detector mean F1 **0.890**, banned recall **0.39** (22 of 56: "as i've said twice now",
 * "i'm literally off in five minutes", "it's not rocket science", "did you even unplug it", "that's just how it
 * is", "you'd have seen that if you'd checked", "we're not a charity", 我快下班了 您快点说, 你怎么连这个都不会, 找主管也是
 * 一样的, 您问我我问谁啊). Final, after general changes (those shapes and their kin, with "how many times has it
 * dropped" and "let me finish setting that up" allowed; churn to another bank, closing all my cards; icasa; "so
 * you" is not a fuzzy "sue you"; fibre companies): **0.975** (banned 0.98 / 0.98). Not blind any more.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'seventeenth',
  folder: 'dialogues-blind17',
  counts: { zh: 14, en: 22, auto: 4 },
  hard: ['身份在客户追问后才报', '非常抱歉让您久等了 (礼貌对照)', '这个是 policy 我也没办法 (这是规定)', 'um / 呃 fillers in mixed speech'],
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.98, r: 0.95 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
    self_identification: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.96, r: 0.96 }, // measured 0.982 / 0.982
    filler: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    customer_escalation: { p: 0.92, r: 0.95 }, // measured 0.943 / 1.000
  },
  meanFloor: 0.97, // measured 0.992
});
