import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loadLexicons } from '../src/lexicon/loader.js';
import { blindSetSuite } from './support/blind-set.js';
import { runDialogue } from './support/text-eval.js';

/**
 * The fourth blind set (test/fixtures/dialogues-blind4/, issue 16): 40 dialogues (17 zh, 17 en, 6 code-switched;
 * some in Traditional characters) in real-ASR style, written by a helper who read only the seed standards and the
 * third set's labelling conventions, never the detectors, the lexicons or the other dialogues: banks, telecoms,
 * e-commerce, insurance, utilities, airlines, couriers, a clinic, a 12345 hotline, a council, SaaS, streaming,
 * car rental, education. Staff numbers as words ("claims handler four two zero eight", 九十五号坐席), names as
 * nicknames (我是阿杰, 客服小美) and brands no sector word names (驰行租车), a late introduction flagged "by the
 * way", dismissive "whatever" / 随你 / 你自己看吧 / "cant help you with that" / 别的管不了, discourse "it's like",
 * 然后 然后, escalation to a newspaper, a health commission, number porting (攜碼), code-switched "cancel 全部", and
 * the hard negatives (a supervisor asked for to praise the agent, "我不是要 complain").
 *
 * Labelling conventions differ from the other sets in two ways, mapped here rather than relabelled: a late
 * greeting is labelled `late_greeting` only (the detectors report `greeting` and `late_greeting`, as the other
 * sets label them), and fillers and banned phrases are labelled once per agent segment (detections of those two
 * types are counted once per segment).
 *
 * First measurement (main at db0a09d, before any change prompted by this set): six-detector mean F1 0.890
 * (greeting 0.99, closing 1.00, self-identification 0.85, banned 0.80, fillers 0.92, escalation 0.78).
 * Final, after general changes (number words and 十/百/千 in staff numbers, role words before a number, 我是阿…,
 * forty more sector words for an organisation, a late-introduction cue, more dismissive phrases, discourse
 * "it's like", repeated connectives, regulators and the press, number porting, praise as a neutral cue): 0.983
 * (greeting 0.99, closing 1.00, self-identification 1.00, banned 0.96, fillers 1.00, escalation 0.95). Not blind
 * any more: a regression guard. What it still misses, and why not tuned away: "you can do that" and 那你发吧 as
 * dismissive answers (the same words are ordinary elsewhere), a greeting after a bare 喂 4 s in called late (the
 * project reports a greeting as late after 8 s, leaving room for one "hello?" on a bad line), and two customer
 * utterances the project's convention counts as complaints ("every time i call i get a different story",
 * 到现在还没来).
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */

const here = dirname(fileURLToPath(import.meta.url));
const lex = loadLexicons(join(here, '..', 'lexicons'));

blindSetSuite(
  here,
  lex,
  {
    name: 'fourth',
    folder: 'dialogues-blind4',
    counts: { zh: 17, en: 17, auto: 6 },
    hard: ['late-self-id', 'self-id-org-name', 'trailing-hallucination', 'closing-not-final', 'not-a-complaint', 'supervisor-for-praise-not-escalation', 'escalation-media', 'escalation-churn', 'banned-whatever', 'idk-polite-not-banned', 'filler-like', 'would-you-like-not-filler', 'nage-demonstrative', 'bare-wei-opening', 'traditional', 'asr-homophone', 'code-switch', 'late-greeting'],
    floors: {
      greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
      missing_greeting: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      late_greeting: { p: 0.98, r: 0.7 }, // 1.000 / 0.750 (three of four)
      closing: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      missing_closing: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      self_identification: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      late_self_identification: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      missing_self_identification: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      banned_phrase: { p: 0.91, r: 0.9 }, // 0.957 / 0.917 (没别的事我挂了: banned by blinds 38, 41 and 52, not labelled here)
      filler: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
      customer_escalation: { p: 0.95, r: 0.98 }, // measured 1.000 / 1.000
    },
    meanFloor: 0.97, // measured 0.987
  },
  (dialogues) => {
    it('a late introduction flagged "by the way" is late, with its time; a staff number in words is a staff number', () => {
      const late = runDialogue(dialogues.find((x) => x.id.startsWith('en-b4-03'))!, lex).events;
      expect(late.find((e) => e.type === 'late_self_identification')?.details?.atSec).toBeGreaterThan(15);
      expect(late.map((e) => e.type)).not.toContain('missing_self_identification');
      const words = runDialogue(dialogues.find((x) => x.id.startsWith('en-b4-15'))!, lex).events;
      expect(words.map((e) => e.type)).toContain('self_identification');
    });
  },
);
