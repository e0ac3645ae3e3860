import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLexicons } from '../src/lexicon/loader.js';
import { SIX_DETECTORS, formatScore, loadDialogues, pr, runDialogue, scoreDialogues, sixDetectorMean, type Dialogue, type Score } from './support/text-eval.js';

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
const dialogues: Dialogue[] = loadDialogues(join(here, 'fixtures', 'dialogues-blind5')).map((d) => ({
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
  closing: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
  missing_closing: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
  self_identification: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
  late_self_identification: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
  missing_self_identification: { p: 0.98, r: 0.98 }, // 1.000 / 1.000
  banned_phrase: { p: 0.85, r: 0.9 }, // 0.875 / 0.933
  filler: { p: 0.8, r: 0.98 }, // 0.842 / 1.000
  customer_escalation: { p: 0.9, r: 0.98 }, // 0.941 / 1.000
};
const MEAN_FLOOR = 0.94; // measured 0.965
const HARD = ['late-self-id', 'late-greeting', 'not-a-complaint', 'praise-manager', 'past-resolved-complaint', 'quoting-banned-phrase', 'nage-demonstrative', 'would-you-like', 'whisper-hallucination', 'bare-wei-opening', 'traditional', 'cantonese', 'singlish', 'indian-english', 'code-switch', 'homophone', 'close-then-continue'];

describe('text detectors on the fifth blind set (issue 16)', () => {
  it(`has the set (${dialogues.length} dialogues) in both languages with the hard cases`, () => {
    expect(dialogues.filter((d) => d.id.startsWith('zh-')).length).toBeGreaterThanOrEqual(16);
    expect(dialogues.filter((d) => d.id.startsWith('en-')).length).toBeGreaterThanOrEqual(16);
    expect(dialogues.filter((d) => d.id.startsWith('auto-')).length).toBeGreaterThanOrEqual(8);
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
    console.log(formatScore(`text detectors over ${dialogues.length} dialogues of the fifth blind set (six detectors' types only):`, score));
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
