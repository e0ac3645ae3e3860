import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';
import { runDialogue } from './support/text-eval.js';

/**
 * The seventh blind set (test/fixtures/dialogues-blind7/, issue 16): 40 dialogues (17 zh, 17 en, 6 code-switched),
 * each built around the hard cases issue 16 lists, phrased as differently as the writer could: late
 * self-identification and company plus name only ("you're through to dana at …", "its steph from …", 我是小雅
 * 中国移懂的在线客服), whisper hallucinations after the last words, closings followed by business or by the
 * customer's goodbye, escalation on neutral mentions (not a complaint, an old complaint sorted, insults, asking
 * for a friend) and threats phrased indirectly (a PAC code, "hearing from my solicitor", tiktok and the daily
 * mail, 一二三幺五), "i don't know" forms (idk, "couldn't tell you") beside the polite "i don't know whether …",
 * discourse like / you know, a bare hello / 喂 first. Written by a helper who read only the seed standards and
 * the third set's conventions; scored once on the code fixed for the sixth set.
 *
 * Labelling conventions as in the fourth to sixth sets (mapped here): a late greeting is labelled
 * `late_greeting` only; fillers and banned phrases once per agent segment.
 *
 * First measurement (lexicons 1.2-1.8): six-detector mean F1 **0.839** (greeting 0.97, closing 0.97,
 * self-identification 0.82, banned 0.84, fillers 0.84, escalation 0.59). Final, after general changes
 * (lexicons 1.2-1.9: "hiya", "through to" / "<greeting> its" as name cues, a brand right before 客服 in the
 * opening, stores and taxis, "i don't know whether / if you…" allowed, idk, "aren't my department", solicitors,
 * the press, PAC codes and "cancel the lot", 骗子 as an insult without a threat, asking for a friend as
 * neutral): **0.943**; the other sets unchanged or better (sixth 0.952 → 0.961). Not blind any more. Still
 * missed or counted against its labels: "wishing you a good afternoon", "its dave" after a brand, "going to the
 * one down the road"; by the project's conventions 嗯 / 那个 / 对吧 as fillers and repeat-contact complaints
 * (没人管, 打不通, "fourth time ive called").
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */

const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(
  here,
  lex,
  {
    name: 'seventh',
    folder: 'dialogues-blind7',
    counts: { zh: 17, en: 17, auto: 6 },
    hard: ['late-self-id', 'self-id-youre-through-to', 'hallucination-after-closing', 'hallucination-no-closing', 'closing-then-business', 'customer-goodbye-last', 'goodbye-other-sense', 'escalation-negated', 'escalation-old-resolved', 'escalation-insult-only', 'escalation-agent-offers-line', 'escalation-port', 'escalation-competitor', 'banned-idk', 'banned-polite-allowed', 'filler-like', 'filler-lookalikes', 'bare-hello', 'bare-wei'],
    floors: {
      greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
      missing_greeting: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      late_greeting: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      closing: { p: 0.98, r: 0.93 }, // 1.000 / 0.963
      missing_closing: { p: 0.88, r: 0.98 }, // 0.929 / 1.000
      self_identification: { p: 0.98, r: 0.93 }, // 1.000 / 0.967
      late_self_identification: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      missing_self_identification: { p: 0.78, r: 0.98 }, // 0.833 / 1.000
      banned_phrase: { p: 0.89, r: 0.98 }, // 0.941 / 1.000 (说吧什么事 as the opening: banned by blinds 36 and 41, not labelled here)
      filler: { p: 0.87, r: 0.98 }, // measured 0.929 / 1.000
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
