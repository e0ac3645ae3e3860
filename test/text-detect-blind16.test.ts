import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';

/**
 * The sixteenth blind set (test/fixtures/dialogues-blind16/, issue 16): 40 calls to PUBLIC-SERVICE and regulated
 * hotlines (30 zh: 12345, 社保, 医保, 12366, 公积金, 122, hospitals, utilities, banks, operators, Taipei 1999 and
 * Hong Kong 1823 among them, 4 in Traditional characters; 6 en: councils, a DMV, a tax line, NHS 111; 4
 * code-switched), written by a helper who read only the seed standards and the third set's conventions, and
 * scored once on lead at a2992f7 (lexicons 1.2-1.14).
 *
 * First measurement: six-detector mean F1 **0.902** (self-identification 0.82: 坐席六二号, 95598 我是326号客服代表,
 * 1823 我係編號五八二嘅接線生; banned 0.86: 我们只负责登记, 您这记性也太差了, 难道是我用的, 行 你反映吧; escalation
 * 0.81). Final, after general changes (hotline numbers and 热线 as the organisation in the opening, 坐席 / 接线生 as
 * a staff-id cue there, 攻号 / 公号 as 工号; the brush-offs and blame above; 市长信箱, 立委 / 人大代表 / 纪委, 陈情 /
 * 上访 as escalation targets): **0.949**. Not blind any more. Still counted against the labels, and not fixed
 * because it needs to know what the line is for: a citizen calling 12345 or a complaints line to complain about
 * a landlord, a property company or a gym (投诉, 12345 are the request there, not a threat to the agent; escalation
 * precision 0.73), and an agent's 嗯 opening a turn (labelled a filler by the authored, first and second sets,
 * not by this one).
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */
const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(here, lex, {
  name: 'sixteenth',
  folder: 'dialogues-blind16',
  counts: { zh: 30, en: 6, auto: 4 },
  hard: ['closing asks for a service rating', 'self-identification without any greeting word', 'two escalation turns (法院起诉, 纪委举报)', '这是规定 你懂不懂 (004 忌语)'],
  floors: {
    greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    late_greeting: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    closing: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    missing_closing: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    self_identification: { p: 0.92, r: 0.98 }, // measured 0.962 / 1.000
    late_self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    missing_self_identification: { p: 0.95, r: 0.83 }, // measured 1.000 / 0.875
    banned_phrase: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
    filler: { p: 0.92, r: 0.98 }, // measured 0.970 / 1.000
    customer_escalation: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
  },
  meanFloor: 0.97, // measured 0.993
});
