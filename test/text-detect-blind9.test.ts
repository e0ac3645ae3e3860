import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The ninth blind set (test/fixtures/dialogues-blind9/, issue 16): 38 dialogues (18 zh, 14 en, 6 code-switched)
 * from any industry (a vet line, a library, a cemetery, a seed company, brokerage, a visa agency, debt
 * collection, ...), written by a helper who read only the seed standards and the third set's conventions, and
 * scored once on main at 1189d34 (lexicons 1.2-1.10, after the eighth set's round).
 *
 * Labelling conventions as in the fourth to eighth sets (mapped in test/support/blind-set.ts).
 *
 * First measurement: six-detector mean F1 **0.883** (greeting 1.00, closing 0.97, self-identification 0.79,
 * banned 0.77, fillers 0.91, escalation 0.84). Final, after general changes (lexicons 1.2-1.11: 客服 before a
 * staff number no longer cancels the brand before it, 课程顾问 and other roles, visa and study agencies, vets
 * and libraries, "from" after a name in the opening as the company, 关我们什么事 / 您听不懂吗 / 不是说了嘛 /
 * "no need to get snippy", 金管局, a lawyer sent to talk, the duty manager fetched, not renewing and moving the
 * account): **0.961**; the other sets unchanged. Not blind any more. Still missed: late introductions with
 * nothing saying they are late ("this is ahmed at dashbite support", 我是 grand harbour hotel 前台的 amy), a
 * closing made of 您放心 再见, blame as a brush-off (也可能是你自己没种好).
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'ninth',
  folder: 'dialogues-blind9',
  counts: { zh: 18, en: 14, auto: 6 },
  hard: ['late self-id', 'late greeting', 'insult without threat', 'agent offers complaint channel', 'cancel everything', 'closing not in final turn', 'Traditional characters', 'agent bare 喂 opening', 'discourse like / you know'],
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    closing: { p: 0.98, r: 0.94 }, // measured 1.000 / 0.966
    missing_closing: { p: 0.85, r: 0.98 }, // measured 0.900 / 1.000
    self_identification: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.98, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.98, r: 0.92 }, // measured 1.000 / 0.947
    filler: { p: 0.89, r: 0.98 }, // measured 0.941 / 1.000
    customer_escalation: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.96, // measured 0.986
});
