import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';
import { runDialogue } from './support/text-eval.js';

/**
 * The fifth blind set (test/fixtures/dialogues-blind5/, issue 16): 40 dialogues (16 zh, 16 en, 8 code-switched;
 * Traditional characters, Taiwanese, Cantonese-influenced and northeastern Mandarin; US, UK, Indian and
 * Australian English; Singlish) written by a helper who read only the seed standards and the third set's
 * conventions: pharmacy, pensions, rail, mobile games, property management, hotels, tax, EV charging, lottery,
 * admissions, food delivery, pet insurance, utilities, appliance repair, a gym. Scored once on the code that had
 * just been fixed for the fourth set, so it measures how far those fixes carried to unseen phrasing.
 *
 * Labelling conventions as in the fourth set (mapped here): a late greeting is labelled `late_greeting` only;
 * fillers and banned phrases once per agent segment.
 *
 * First measurement (after the fourth set's round, lexicons 1.2-1.6): six-detector mean F1 **0.852** (greeting
 * 1.00, closing 0.95, self-identification 0.73, banned 0.69, fillers 0.91, escalation 0.83): the fourth set's
 * fixes carried little. Self-identification missed a surname outside the list (我是林…), roles before a name
 * (我是理赔顾问…, 我是管家…, 技术顾问小秦), two-digit staff numbers (工号零九), organisations named by sector words
 * not yet listed (充电, 铁路, 招生办, hotline, helpline) and "i did not introduce myself"; a company named again
 * later completed a late identification on its own. Final, after general changes (lexicons 1.2-1.7: a hundred
 * more surnames with their look-alike words excepted, roles, 工号 alone in the opening, more sectors and
 * helplines, a later utterance must give a name or a staff number): **0.965** (self-identification 1.00,
 * closing 1.00, banned 0.90, fillers 0.91, escalation 0.97), the other five sets unchanged or better. Not blind
 * any more: a regression guard. Still missed or counted against its labels: a code-switched "这个不是我们的
 * problem", a quoted "not my problem", and by the project's conventions 对吧, 额 and discourse "like" as fillers
 * and "unbelievable" as a complaint.
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */

const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(
  here,
  lex,
  {
    name: 'fifth',
    folder: 'dialogues-blind5',
    counts: { zh: 16, en: 16, auto: 8 },
    hard: ['late-self-id', 'late-greeting', 'not-a-complaint', 'praise-manager', 'past-resolved-complaint', 'quoting-banned-phrase', 'nage-demonstrative', 'would-you-like', 'whisper-hallucination', 'bare-wei-opening', 'traditional', 'cantonese', 'singlish', 'indian-english', 'code-switch', 'homophone', 'close-then-continue'],
    floors: {
      greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
      missing_greeting: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      late_greeting: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      closing: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      missing_closing: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      self_identification: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      late_self_identification: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      missing_self_identification: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      banned_phrase: { p: 0.85, r: 0.9 }, // 0.875 / 0.933
      filler: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
      customer_escalation: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
    },
    meanFloor: 0.96, // measured 0.984
  },
  (dialogues) => {
    it('a company named again later completes no identification; a name given late does', () => {
      for (const d of dialogues) {
        const late = runDialogue(d, lex).events.find((e) => e.type === 'late_self_identification');
        if (late) expect(d.expected.map((x) => x.type), d.id).toContain('late_self_identification');
      }
    });
  },
);
