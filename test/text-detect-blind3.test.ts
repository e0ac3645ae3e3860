import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLexicons } from '../src/lexicon/loader.js';
import { LABELLED, sixOnly } from './support/blind-set.js';
import { formatScore, loadDialogues, pr, runDialogue, scoreDialogues, sixDetectorMean } from './support/text-eval.js';

/**
 * The third blind set (test/fixtures/dialogues-blind3/, issue 16): 46 dialogues (22 zh, 19 en, 5 code-switched)
 * in real-ASR style, written and committed before the detectors, the lexicons and the other sets' dialogues were
 * read: banks, telecoms, e-commerce, insurance, utilities, airlines, couriers; whisper homophones (宁好, 公号,
 * 来点, 在见), Traditional characters, numbers as words, English ASR spellings (dunno, gonna, youre), whisper
 * hallucinations on trailing silence, agents who do everything right in unusual words, and hard negatives (the
 * seed scripts' own 没听清楚 / 不太明白, 不知道您…吗, "i dont know if youre aware", "would you like", "do you
 * know your account number", neutral mentions of complaints, insults without a threat, a single add-on cancelled).
 *
 * Only the six detectors issue 16 measures are labelled (greeting, closing, self-identification incl. late and
 * missing, banned phrases, fillers, customer escalation), by the seed standards' meaning (each label's `why`);
 * politeness, apology, thanks, hold etiquette and speech rate are not labelled here and not scored.
 *
 * First measurement (lexicons and detectors of main at a434170, before any change prompted by this set):
 * six-detector mean F1 0.884 (greeting 0.98, closing 1.00, self-identification 0.76, banned 0.89, fillers 0.91,
 * escalation 0.76; P/R over the labelled types 0.90/0.89). Misses: self-identification by company plus name in
 * several phrasings ("my names tom", "im jess", "rachel here", 我是客户经理刘佳, 我是小美, 我係…Jason, 工号 in a
 * greeting without 您好-style wording), a late one reported as missing, a greeting opening with 下午好 感谢致电;
 * escalation on neutral phrases ("nobody told me", 到现在还没, 太慢了, an old 投訴) and missing "formal complaint",
 * a conditional 不用你们的了 and code-switched threats; "gonna" as a banned phrase; 对吧 as a filler.
 *
 * Final (lexicons 1.3-1.5.0, after the changes prompted by this set: apostrophe-less English, more ways to give
 * one's name and company, 下午好/感谢致电, negated and code-switched escalation, problem reports that are not
 * escalations, 'i'm gonna' not slang, one English word enough to match English in a Chinese utterance, 我是 +
 * a Latin-letter name): mean 0.978 (greeting 1.00, closing 1.00, self-identification 0.96, banned 1.00,
 * fillers 0.94, escalation 0.97; P/R 0.98/0.98). Not blind any more: a regression guard. What it still misses,
 * and why not tuned away: Cantonese 我係客戶經理 (no Cantonese forms in the lexicons), a late
 * "by the way im sarah with northgate bank" (the loose "i'm" cue counts in the opening window only), "just
 * like" as a filler; 对吧 ending a confirmation question counted as a filler and 到现在还没发货 as a complaint
 * (the project's convention, kept: the authored set labels such a report as an escalation).
 *
 * Floors: 0.02 under the final values (0.05 where one dialogue moves a type by more).
 */

const here = dirname(fileURLToPath(import.meta.url));
const dialogues = loadDialogues(join(here, 'fixtures', 'dialogues-blind3'));
const lex = loadLexicons(join(here, '..', 'lexicons'));

const FLOORS: Record<string, { p: number; r: number }> = {
  greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
  missing_greeting: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
  late_greeting: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
  closing: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
  missing_closing: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
  self_identification: { p: 0.98, r: 0.95 }, // 1.000 / 0.975
  late_self_identification: { p: 0.98, r: 0.98 }, // 1.000 / 1.000 (0.500 before the late-introduction cue of the fourth set's round)
  missing_self_identification: { p: 0.78, r: 0.98 }, // 0.800 / 1.000
  banned_phrase: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
  filler: { p: 0.92, r: 0.92 }, // 0.941 / 0.941
  customer_escalation: { p: 0.92, r: 0.98 }, // 0.944 / 1.000
};
const MEAN_FLOOR = 0.96; // measured 0.982

describe('text detectors on the third blind set (issue 16)', () => {
  it(`has the set (${dialogues.length} dialogues) in both languages with the hard cases`, () => {
    expect(dialogues.filter((d) => d.id.startsWith('zh-')).length).toBeGreaterThanOrEqual(18);
    expect(dialogues.filter((d) => d.id.startsWith('en-')).length).toBeGreaterThanOrEqual(16);
    expect(dialogues.filter((d) => d.id.startsWith('mx-')).length).toBeGreaterThanOrEqual(4);
    const hard = new Set(dialogues.flatMap((d) => d.hardCases));
    for (const h of ['late-self-id', 'self-id-company-name', 'hallucination-sidecar', 'closing-not-final', 'customer-goodbye', 'goodbye-other-sense', 'escalation-neutral', 'insult-no-threat', 'escalation-competitor', 'escalation-cancel-all', 'banned-idk', 'idk-allowed', 'idk-allowed-zh', 'fillers-like', 'like-not-filler', 'filler-word-in-context', 'bare-hello', 'bare-wei', 'traditional', 'asr-homophone', 'code-switching', 'late-greeting']) {
      expect(hard, h).toContain(h);
    }
    for (const d of dialogues) for (const x of d.expected) {
      expect(LABELLED, `${d.id} ${x.type}`).toContain(x.type);
      if (x.seg !== undefined) expect(d.segments[x.seg], `${d.id} ${x.type}`).toBeDefined();
    }
  });

  it('prints precision and recall per detector and holds them above the floors', () => {
    // banned phrases once per agent segment: this set never labels two in one segment (its writer labelled the
    // utterance, as the later sets say outright), so 我不知道 你自己去营业厅问吧 is one label, not a miss and an extra
    const score = sixOnly(scoreDialogues(dialogues, lex, undefined, ['banned_phrase']));
    const six = sixDetectorMean(score);
    console.log(formatScore(`text detectors over ${dialogues.length} dialogues of the third blind set (six detectors' types only):`, score));
    console.log(`six-detector mean F1 ${six.mean.toFixed(3)}: ` + six.groups.map((g) => `${g.name} P=${g.p.toFixed(2)} R=${g.r.toFixed(2)} F1=${g.f1.toFixed(2)}`).join(', '));
    for (const [type, c] of score.perType) {
      const { p, r } = pr(c);
      expect.soft(p, `${type} precision`).toBeGreaterThanOrEqual(FLOORS[type].p);
      expect.soft(r, `${type} recall`).toBeGreaterThanOrEqual(FLOORS[type].r);
    }
    expect(six.mean).toBeGreaterThanOrEqual(MEAN_FLOOR);
  });

  it('reports the late self-identification with its time, and neither missing nor in time', () => {
    const d = dialogues.find((x) => x.id === 'zh-b3-03-ecommerce-late-selfid')!;
    const events = runDialogue(d, lex).events;
    const late = events.find((e) => e.type === 'late_self_identification');
    expect(late?.details?.atSec).toBeGreaterThan(15);
    expect(events.map((e) => e.type)).not.toContain('missing_self_identification');
    expect(events.map((e) => e.type)).not.toContain('self_identification');
  });
});
