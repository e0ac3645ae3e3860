import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLexicons } from '../src/lexicon/loader.js';
import { formatScore, loadDialogues, pr, runDialogue, scoreDialogues, sixDetectorMean } from './support/text-eval.js';

/**
 * The second blind set (test/fixtures/dialogues-blind2/, issue 16): 30 dialogues in real-ASR style (no
 * punctuation, homophones, Traditional characters, English ASR spellings, code-switching) written and committed
 * before the detectors and lexicons were read again. Same matching rules as the other sets
 * (test/support/text-eval.ts); precision and recall per detector and the six-detector mean are printed.
 *
 * First measurement (lexicons 1.1.0, detectors before issue 16): six-detector mean F1 0.771 (greeting 0.97,
 * closing 0.73, self-identification 0.70, banned 0.84, fillers 0.86, escalation 0.52). After the issue-16 work
 * (lexicons 1.2.0) it reads 0.983; those changes were prompted by this set's misses, so the figures below are a
 * regression guard now, not a blind measurement.
 *
 * Floors: 0.02 under the measured values.
 */

const here = dirname(fileURLToPath(import.meta.url));
const dialogues = loadDialogues(join(here, 'fixtures', 'dialogues-blind2'));
const lex = loadLexicons(join(here, '..', 'lexicons'));

const FLOORS: Record<string, { p: number; r: number }> = {
  greeting: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  missing_greeting: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  late_greeting: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  closing: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  missing_closing: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  self_identification: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  late_self_identification: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  missing_self_identification: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  banned_phrase: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  // 1.000 / 0.952: one 嗯，好的 labelled as a filler; an acknowledgement since lexicons 1.2-1.16 (see blind 1)
  filler: { p: 0.98, r: 0.92 },
  politeness: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  apology: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  thanks: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  hold_etiquette: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  customer_escalation: { p: 0.79, r: 0.98 },   // measured 0.818 / 1.000
  speech_rate: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
};

describe('text detectors on the second blind set (issue 16)', () => {
  it(`has the set (${dialogues.length} dialogues) with every case kind of issue 16`, () => {
    expect(dialogues.filter((d) => d.id.startsWith('zh-')).length).toBeGreaterThanOrEqual(12);
    expect(dialogues.filter((d) => d.id.startsWith('en-')).length).toBeGreaterThanOrEqual(10);
    const hard = new Set(dialogues.flatMap((d) => d.hardCases));
    for (const h of ['late-self-id', 'self-id-company-name', 'hallucination-sidecar', 'closing-not-final', 'customer-goodbye', 'goodbye-other-sense', 'escalation-neutral', 'insult-no-threat', 'escalation-competitor', 'escalation-cancel-all', 'banned-idk', 'idk-allowed', 'fillers-like', 'like-not-filler', 'bare-hello', 'bare-wei', 'traditional', 'asr-homophone']) {
      expect(hard, h).toContain(h);
    }
    for (const d of dialogues) for (const x of d.expected) if (x.seg !== undefined) expect(d.segments[x.seg], `${d.id} ${x.type}`).toBeDefined();
  });

  it('prints precision and recall per detector and holds them above the floors', () => {
    const score = scoreDialogues(dialogues, lex);
    const six = sixDetectorMean(score);
    console.log(formatScore(`text detectors over ${dialogues.length} dialogues of the second blind set:`, score));
    console.log(`six-detector mean F1 ${six.mean.toFixed(3)}: ` + six.groups.map((g) => `${g.name} P=${g.p.toFixed(2)} R=${g.r.toFixed(2)}`).join(', '));
    for (const [type, c] of score.perType) {
      const { p, r } = pr(c);
      expect.soft(p, `${type} precision`).toBeGreaterThanOrEqual(FLOORS[type].p);
      expect.soft(r, `${type} recall`).toBeGreaterThanOrEqual(FLOORS[type].r);
    }
    expect(six.mean).toBeGreaterThanOrEqual(0.96);
  });

  it('reports a late self-identification with its time, and never as missing', () => {
    const d = dialogues.find((x) => x.id === 'zh-c01-late-selfid-insurance')!;
    const events = runDialogue(d, lex).events;
    const late = events.find((e) => e.type === 'late_self_identification');
    expect(late?.details?.atSec).toBeGreaterThan(15);
    expect(late?.details?.lateBySec).toBeCloseTo((late?.details?.atSec as number) - 15, 2);
    expect(events.map((e) => e.type)).not.toContain('missing_self_identification');
    expect(events.map((e) => e.type)).not.toContain('self_identification');
  });
});
