import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The thirteenth blind set (test/fixtures/dialogues-blind13/, issue 16): 40 dialogues (18 en from outsourced
 * centres in Manila, Bangalore, Cape Town, Glasgow, Lagos and Texas; 16 zh from centres in several provinces,
 * Taiwan, Hong Kong and Singapore, with regional words; 6 code-switched), written by a helper who read only
 * the seed standards and the third set's conventions, and scored once on lead at 090efd6 (lexicons 1.2-1.12).
 *
 * First measurement: six-detector mean F1 **0.895** (greeting 1.00, closing 0.90, self-identification 0.93,
 * banned 0.76, fillers 0.92, escalation 0.86). Final, after general changes (Cantonese and Sichuanese
 * brush-offs and blame: 我唔知喎, 你自己冇睇, 莫得办法, 领导忙得很; 您老是打断我; Scots and Nigerian English: "that's
 * no ma department", "it's your fault not ours", "not our job"; closings with 祝你…愉快 / 唔该晒, "have a blessed
 * afternoon", "thank you for banking with"; "the paper form has said goodbye" is no farewell; churn in
 * Cantonese (转台, 转去第二间) and Glaswegian ("taking the lot elsewhere"); posting on dcard / ptt / 小红书; the
 * department of insurance; 通信 / 电讯 as organisations; "thanks for calling, you're speaking with …" names no
 * company; a bare "hello hello" is not banned; 喔 is a sentence particle, not a filler): **0.986**. Not blind any
 * more. Still missed: "is it me that used your data" (a rhetorical rebuke); still counted against the labels: an
 * agent's 嗯 and "hmm", "this is ridiculous" alone.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'thirteenth',
  folder: 'dialogues-blind13',
  counts: { zh: 16, en: 18, auto: 6 },
  hard: ['supervisor demand', "only the customer's goodbye", 'old resolved complaint', "bare 'hello?' then straight to business: missing greeting, not banned", "指责客户 in Cantonese '你自己冇睇啫'"],
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    self_identification: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    banned_phrase: { p: 0.98, r: 0.92 }, // measured 1.000 / 0.960
    filler: { p: 0.91, r: 0.98 }, // measured 0.969 / 1.000
    customer_escalation: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.97, // measured 0.994
});
