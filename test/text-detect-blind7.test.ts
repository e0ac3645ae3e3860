import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLexicons } from '../src/lexicon/loader.js';
import { SIX_DETECTORS, formatScore, loadDialogues, pr, runDialogue, scoreDialogues, sixDetectorMean, type Dialogue, type Score } from './support/text-eval.js';

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
const dialogues: Dialogue[] = loadDialogues(join(here, 'fixtures', 'dialogues-blind7')).map((d) => ({
  ...d,
  expected: [...d.expected, ...d.expected.filter((e) => e.type === 'late_greeting').map((e) => ({ ...e, type: 'greeting' }))],
}));
const lex = loadLexicons(join(here, '..', 'lexicons'));
const LABELLED = new Set(Object.values(SIX_DETECTORS).flat());
const PER_SEGMENT = ['filler', 'banned_phrase'];

function sixOnly(s: Score): Score {
  const perType = new Map([...s.perType].filter(([t]) => LABELLED.has(t)));
  const all = [...perType.values()].reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
  const misses = s.misses.filter((m) => [...LABELLED].some((t) => new RegExp(`: (missed|extra) ${t}( |$)`).test(m)));
  return { perType, all, misses };
}

const FLOORS: Record<string, { p: number; r: number }> = {
  greeting: { p: 0.98, r: 0.98 }, // measured 1.000 / 1.000
  missing_greeting: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
  late_greeting: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
  closing: { p: 0.98, r: 0.93 }, // 1.000 / 0.963
  missing_closing: { p: 0.88, r: 0.98 }, // 0.929 / 1.000
  self_identification: { p: 0.98, r: 0.93 }, // 1.000 / 0.967
  late_self_identification: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
  missing_self_identification: { p: 0.78, r: 0.98 }, // 0.833 / 1.000
  banned_phrase: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
  filler: { p: 0.7, r: 0.98 }, // 0.722 / 1.000
  customer_escalation: { p: 0.78, r: 0.9 }, // 0.810 / 0.944
};
const MEAN_FLOOR = 0.92; // measured 0.943
const HARD = ['late-self-id', 'self-id-youre-through-to', 'hallucination-after-closing', 'hallucination-no-closing', 'closing-then-business', 'customer-goodbye-last', 'goodbye-other-sense', 'escalation-negated', 'escalation-old-resolved', 'escalation-insult-only', 'escalation-agent-offers-line', 'escalation-port', 'escalation-competitor', 'banned-idk', 'banned-polite-allowed', 'filler-like', 'filler-lookalikes', 'bare-hello', 'bare-wei'];

describe('text detectors on the seventh blind set (issue 16)', () => {
  it(`has the set (${dialogues.length} dialogues) in both languages with the hard cases`, () => {
    expect(dialogues.filter((d) => d.id.startsWith('zh-')).length).toBeGreaterThanOrEqual(17);
    expect(dialogues.filter((d) => d.id.startsWith('en-')).length).toBeGreaterThanOrEqual(17);
    expect(dialogues.filter((d) => d.id.startsWith('auto-')).length).toBeGreaterThanOrEqual(6);
    const hard = new Set(dialogues.flatMap((d) => d.hardCases));
    for (const h of HARD) expect(hard, h).toContain(h);
    for (const d of dialogues) for (const x of d.expected) {
      expect(LABELLED, `${d.id} ${x.type}`).toContain(x.type);
      if (x.seg !== undefined) expect(d.segments[x.seg], `${d.id} ${x.type}`).toBeDefined();
    }
  });

  it('prints precision and recall per detector and holds them above the floors', () => {
    const score = sixOnly(scoreDialogues(dialogues, lex, undefined, PER_SEGMENT));
    const six = sixDetectorMean(score);
    console.log(formatScore(`text detectors over ${dialogues.length} dialogues of the seventh blind set (six detectors' types only):`, score));
    console.log(`six-detector mean F1 ${six.mean.toFixed(3)}: ` + six.groups.map((g) => `${g.name} P=${g.p.toFixed(2)} R=${g.r.toFixed(2)} F1=${g.f1.toFixed(2)}`).join(', '));
    for (const [type, c] of score.perType) {
      const { p, r } = pr(c);
      expect.soft(p, `${type} precision`).toBeGreaterThanOrEqual(FLOORS[type].p);
      expect.soft(r, `${type} recall`).toBeGreaterThanOrEqual(FLOORS[type].r);
    }
    expect(six.mean).toBeGreaterThanOrEqual(MEAN_FLOOR);
  });

  it('a company named again later completes no identification; a name given late does', () => {
    for (const d of dialogues) {
      const late = runDialogue(d, lex).events.find((e) => e.type === 'late_self_identification');
      if (late) expect(d.expected.map((x) => x.type), d.id).toContain('late_self_identification');
    }
  });
});
