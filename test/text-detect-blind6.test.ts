import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';
import { runDialogue } from './support/text-eval.js';

/**
 * The sixth blind set (test/fixtures/dialogues-blind6/, issue 16): 40 dialogues (17 zh, 17 en, 6 code-switched),
 * half of them OUTBOUND calls (telemarketing and upsell, collections, renewals, appointment and delivery
 * confirmations, surveys, security callbacks; 001's telemarketing scorecard is about these) and half inbound
 * kinds the other sets lack (12345/311 hotlines, university IT desks, a hospital line, a car dealership, airline
 * loyalty, fraud lines, marketplace seller support, streaming billing, lost-and-found), written by a helper who
 * read only the seed standards and the third set's conventions, and scored once on the code fixed for the fifth.
 *
 * Labelling conventions as in the fourth and fifth sets (mapped here): a late greeting is labelled
 * `late_greeting` only; fillers and banned phrases once per agent segment.
 *
 * First measurement (after the fifth set's round, lexicons 1.2-1.7): six-detector mean F1 **0.827**
 * (greeting 0.98, closing 0.93, self-identification 0.68, banned 0.69, fillers 0.93, escalation 0.76): brand-only
 * organisations (DBS, Shopee, 京东, 东航), units named by kind (信息化中心), roles before a name (配送员小郑,
 * 值班的吴老师), "driver two one four", "my staff id is", outbound closings ("thank you for your time"),
 * collectors' threats and brush-offs (那是你自己的问题, 没有我挂了, "that's your choice"), churn to a named
 * competitor and code-switched regulators. Final, after general changes (lexicons 1.2-1.8): **0.952**; the other
 * six sets unchanged. Not blind any more: a regression guard. Still missed: a name after a pause (我是服务顾问
 * 杨帆), 这边是 + an English name, "i'm taking both cars to the toyota place" (a competitor by its brand), 你打吧
 * (ordinary words elsewhere).
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */

const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(
  here,
  lex,
  {
    name: 'sixth',
    folder: 'dialogues-blind6',
    counts: { zh: 17, en: 17, auto: 6 },
    hard: ['outbound', 'collections', 'survey', 'security-callback', 'late-self-id', 'late-greeting', 'neutral-lookalike', 'polite-remove-vs-threat', 'agent-quotes-customer', 'demonstrative-nage', 'would-you-like', 'whisper-hallucination', 'bare-wei', 'traditional-characters', 'code-switch', 'asr-homophone', 'closing-then-more'],
    floors: {
      greeting: { p: 0.95, r: 0.98 }, // measured 0.970 / 1.000
      missing_greeting: { p: 0.98, r: 0.83 }, // 1.000 / 0.875
      late_greeting: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      closing: { p: 0.94, r: 0.98 }, // 0.966 / 1.000
      missing_closing: { p: 0.98, r: 0.87 }, // 1.000 / 0.917
      self_identification: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
      late_self_identification: { p: 0.98, r: 0.95 }, // measured 1.000 / 1.000
      // 0.889 since round twenty-two: auto-b6-04's "hi 您好 IT service desk 这边是 Kevin" had been read as an introduction by
      // accident ("hi its" stemmed to "hi it" and matched "hi … IT"); "its" is no longer stemmed to "it"
      missing_self_identification: { p: 0.86, r: 0.98 }, // measured 0.889 / 1.000
      banned_phrase: { p: 0.93, r: 0.93 }, // 0.955 / 0.955
      filler: { p: 0.86, r: 0.98 }, // measured 0.913 / 1.000
      customer_escalation: { p: 0.95, r: 0.95 }, // measured 1.000 / 1.000
    },
    meanFloor: 0.96, // measured 0.980
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
