import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The tenth blind set (test/fixtures/dialogues-blind10/, issue 16): 40 dialogues (30 zh, 4 of them in Traditional
 * characters, 6 en, 4 code-switched) from MAINSTREAM Mandarin contact centres (credit-card centres, mobile
 * operators, e-commerce after-sales, insurance claims, express delivery, utilities, airlines and hotels,
 * broadband), written by a helper who read only the seed standards and the third set's conventions, and
 * scored once on main at 4223963 (lexicons 1.2-1.11).
 *
 * First measurement: six-detector mean F1 **0.923** (greeting 1.00, closing 0.97, self-identification 0.95,
 * banned 0.77, fillers 0.96, escalation 0.88). Final, after general changes (`(a|b|)` alternatives in lexicon
 * phrases; the impatient repetition in its shapes (我跟您说过了, 刚才跟您说了 said as a sentence), 你自己去…,
 * 你投诉吧 / 有本事就去投诉, 不归我们客服管, 您自己没看短信吗; 洞 and 拐 as digits; 我就 cancel 这张卡, 这号我不用了,
 * Cantonese 搵你哋 manager; a cancellation for an ordinary reason (moving, a bereavement) is not a churn threat;
 * 要不要报警 and 帮我换一家 are not threats; "it's in customs" is no name; a tag 对吧 is no filler):
 * **0.991**; the other sets unchanged or better. Not blind any more. Still reported against the labels: a
 * customer's 你什么态度 with no threat (labelled neutral here, a complaint in other sets), an agent's 嗯 at the start
 * of an answer, and 请问还有其他可以帮您的吗 → 没有了 拜拜 → 再见 taken as the agent's closing (labelled missing
 * here: the closing is not in the final turn).
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'tenth',
  folder: 'dialogues-blind10',
  counts: { zh: 30, en: 6, auto: 4 },
  hard: ['Traditional characters', '"I already told you" banned', '工号 read digit by digit with 幺 (幺零四七二)', 'hesitation 那个 vs demonstrative 那个短信 in the next agent turn', '"Thank you for watching." hallucination after silence is not a closing', 'identification with Arabic digits 工号 8862 after 15 s'],
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    closing: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.98, r: 0.95 }, // measured 1.000 / 1.000
    self_identification: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    filler: { p: 0.95, r: 0.98 }, // measured 0.974 / 1.000
    customer_escalation: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.97, // measured 0.998
});
