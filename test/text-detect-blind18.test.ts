import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The eighteenth blind set (test/fixtures/dialogues-blind18/, issue 16): 40 calls to the PLATFORM ECONOMY's service
 * lines (28 zh: food delivery and riders, ride-hailing, live-stream shopping, second-hand marketplaces, sharing,
 * online travel, online education, parcel stations, community group-buying, game top-ups, 3 in Traditional
 * characters; 8 en; 4 code-switched), written by a helper who read only the seed standards and the third set's
 * conventions, and scored once on lead at 5b53af1 (lexicons 1.2-1.15).
 *
 * First measurement: six-detector mean F1 **0.853**, the lowest first figure so far (banned recall 0.50: pushing
 * the customer to the rider, the merchant or the group leader, 怪谁呢, 下单前咋不看看; closing 0.90: "thanks for
 * riding with", 感谢您对…的信任, 注意安全; fillers 0.85: an agent's 嗯 as an acknowledgement). Final, after general
 * changes (those; 站长小吴 / 班主任 as names, 驿站 / 课堂 / 旅游 as organisations; 嗯 before an acknowledgement or as a
 * whole utterance is no filler; 转人工 after a robot is a request, not an escalation; a rider's 申诉 is an appeal):
 * **0.962**. Not blind any more. Still counted against the labels: complaining about a rider or a driver to the
 * platform (投诉 there is the request), sarcasm ("every driver with a four point nine is a saint, right?").
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'eighteenth',
  folder: 'dialogues-blind18',
  counts: { zh: 28, en: 8, auto: 4 },
  hard: ['呃 filler', 'Traditional characters', 'venting without a threat', 'driver is the caller'],
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    self_identification: { p: 0.98, r: 0.91 }, // measured 1.000 / 0.960
    late_self_identification: { p: 0.95, r: 0.78 }, // measured 1.000 / 0.833
    missing_self_identification: { p: 0.77, r: 0.98 }, // measured 0.818 / 1.000
    banned_phrase: { p: 0.98, r: 0.87 }, // measured 1.000 / 0.917
    filler: { p: 0.90, r: 0.98 }, // measured 0.958 / 1.000
    customer_escalation: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.96, // measured 0.981
});
