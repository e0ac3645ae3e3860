import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The twentieth blind set (test/fixtures/dialogues-blind20/, issue 16): 40 calls on BANKS, CARDS, INSURANCE and
 * WEALTH (24 zh, two of them Hong Kong Cantonese; 12 en; 4 code-switched): card disputes, polite and abusive
 * collections, claims, policy lapses, wealth-product sales, fraud checks; written by a helper who read only the seed
 * standards and the third set's conventions, labelled with fillers once per occurrence.
 *
 * First measurement: six-detector mean F1 **0.896** (0.889 with the insult labels the brief wrongly asked for: see
 * the folder README), on the code after the twelfth round (lexicons 1.2-1.18); misses: promises of a return or of
 * no risk (这款是保本的 肯定能拿到, 稳赚不赔, "basically guaranteed six percent", 诈单 in 001), an abusive collector
 * (别跟我扯这些没用的, threats to tell the employer, "stop making excuses"), questions about a regulator or the
 * police and news read about one taken for threats, a card centre's name. Final, after general changes:
 * **0.969**. Not blind any more.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'twentieth',
  folder: 'dialogues-blind20',
  counts: { zh: 24, en: 12, auto: 4 },
  hard: ["'complain 到银保监会' is a code-switched regulator threat: escalation", "client's SFC mention is neutral, not an escalation", "'这是规定 你懂不懂' is the 004 服务忌语 ② pattern"],
  fillersPerOccurrence: true,
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.95, r: 0.92 }, // measured 1.000 / 0.970
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.61, r: 0.95 }, // measured 0.667 / 1.000
    banned_phrase: { p: 0.91, r: 0.91 }, // measured 0.963 / 0.963
    filler: { p: 0.87, r: 0.87 }, // measured 0.929 / 0.929
    customer_escalation: { p: 0.89, r: 0.95 }, // measured 0.941 / 1.000
  },
  meanFloor: 0.95, // measured 0.973
});
