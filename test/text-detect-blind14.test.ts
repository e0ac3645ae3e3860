import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The fourteenth blind set (test/fixtures/dialogues-blind14/, issue 16): 40 dialogues with DIFFICULT CUSTOMERS
 * and complaint calls (20 zh, 4 of them in Traditional characters, 16 en, 4 code-switched): real escalations
 * beside everything that only looks like one (venting without a threat, a friend's complaint, a third party,
 * an old complaint resolved, cancelling after a move or a death, sarcasm, praise), written by a helper who read
 * only the seed standards and the third set's conventions, and scored once on lead at b7e039f (lexicons
 * 1.2-1.13 before the vent round).
 *
 * First measurement: six-detector mean F1 **0.890**, escalation precision **0.63** (18 false escalations of 49:
 * "called three times", "overcharged", "unbelievable", 受不了, 没人管, a friend's 投诉, 销户 after a move or a death,
 * a neighbour reported to the police) — the held-out finding of issue 16 (escalation precision 0.69) again.
 * Final, after general changes: venting alone (anger at the problem or the service, without a complaint, a
 * threat or a demand) is `kind: vent`, not an escalation, though an apology after it still answers a complaint;
 * threats the venting words had been catching by chance are now their own phrases (律师函, 一二三四五 hotline, 拒付,
 * NCC / 消保官, "talked to a lawyer", "i'll sue", "the manager right now", demanding the agent's ID); more neutral
 * and reason cues (不是要客诉, 帮朋友问问, 跟你们没关系, 已经没事了, 搬到…, 我妈妈上个月走了, "police on him"); banned
 * brush-offs of complaint calls (你要告就去告吧, 又不是我定的, "go ahead and complain", "you must have given us the
 * wrong"): **0.977** (escalation precision 0.95). Not blind any more.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'fourteenth',
  folder: 'dialogues-blind14',
  counts: { zh: 20, en: 16, auto: 4 },
  hard: ['Traditional characters', 'code-switched Mandarin/English', 'customer hangs up: no closing', 'manager demand'],
  floors: {
    greeting: { p: 0.95, r: 0.98 }, // measured 0.972 / 1.000
    missing_greeting: { p: 0.95, r: 0.75 }, // measured 1.000 / 0.800
    late_greeting: { p: 0.95, r: 0.75 }, // measured 1.000 / 0.800
    closing: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    self_identification: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    filler: { p: 0.98, r: 0.95 }, // measured 1.000 / 1.000
    customer_escalation: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.97, // measured 0.994
});
