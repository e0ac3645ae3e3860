import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLexicons } from '../src/lexicon/loader.js';
import { formatScore, loadDialogues, pr, sixDetectorMean, runDialogue, scoreDialogues } from './support/text-eval.js';

/**
 * Labelled dialogues (test/fixtures/dialogues/*.json): sidecar-style segments plus the events a QA inspector
 * marked. Every detector's precision and recall over the whole set is printed and held above a floor. Matching
 * rules: test/support/text-eval.ts (shared with the blind set, test/text-detect-blind.test.ts).
 */

const here = dirname(fileURLToPath(import.meta.url));
const dialogues = loadDialogues(join(here, 'fixtures', 'dialogues'));
const lex = loadLexicons(join(here, '..', 'lexicons'));

/** Floors: 0.02 under the values measured with lexicons 1.2.0 (issue 16), so a regression fails. */
const FLOORS: Record<string, { p: number; r: number }> = {
  greeting: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  missing_greeting: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  late_greeting: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  closing: { p: 0.98, r: 0.93 },   // measured 1.000 / 0.958
  missing_closing: { p: 0.83, r: 0.98 },   // measured 0.857 / 1.000
  self_identification: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  late_self_identification: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  missing_self_identification: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  banned_phrase: { p: 0.98, r: 0.92 },   // measured 1.000 / 0.941
  filler: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  politeness: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  // 0.944 / 0.944 until lexicons 1.2-1.12; then 到现在还没(发货) became the problem the call is about, not a complaint
  // (four blind writers label it so), and zh-09's apology no longer answers an escalation
  apology: { p: 0.86, r: 0.86 },   // measured 0.889 / 0.889
  thanks: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  hold_etiquette: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  // measured 1.000 / 0.400: this set, written with the lexicons before the blind sets, labels a customer's venting
  // (这也太坑了吧, 你们到底管不管, "this is completely unacceptable") as an escalation; since lexicons 1.2-1.13 venting
  // alone is not one (kind: vent), as the writers of the twelve blind sets after the third label it: a complaint, a
  // threat or a demand is. The 12 vented utterances here are the difference (0.950 before lexicons 1.2-1.12).
  customer_escalation: { p: 0.98, r: 0.38 },
  speech_rate: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
};

describe('text detectors on labelled dialogues', () => {
  it(`has enough labelled dialogues (${dialogues.length})`, () => {
    expect(dialogues.length).toBeGreaterThanOrEqual(20);
    const hard = new Set(dialogues.flatMap((d) => d.hardCases));
    for (const h of ['traditional', 'filler-nage-demonstrative', 'filler-a-in-aya', 'banned-by-customer', 'late-greeting', 'hallucination', 'mixed-zh-en', 'seed-script-exceptions']) {
      expect(hard, h).toContain(h);
    }
  });

  it('precision and recall per detector stay above the floors', () => {
    const score = scoreDialogues(dialogues, lex);
    console.log(formatScore(`text detectors over ${dialogues.length} labelled dialogues:`, score));
    console.log(`six-detector mean F1 ${sixDetectorMean(score).mean.toFixed(3)}`);
    for (const [type, c] of score.perType) {
      const { p, r } = pr(c);
      expect.soft(p, `${type} precision`).toBeGreaterThanOrEqual(FLOORS[type].p);
      expect.soft(r, `${type} recall`).toBeGreaterThanOrEqual(FLOORS[type].r);
    }
    // issue 16's measure: mean F1 over greeting, closing, self-identification, banned, fillers, escalation
    expect(sixDetectorMean(score).mean).toBeGreaterThanOrEqual(0.9); // measured 0.923 (0.985 with venting as escalation)
  });

  it('records the lexicon version with every analysis', () => {
    const r = runDialogue(dialogues[0], lex);
    expect(r.lexiconVersion).toMatch(/^(zh|en)@.+#[0-9a-f]{12}$/);
    expect(r.metrics.lexiconVersion).toBe(r.lexiconVersion);
  });
});
