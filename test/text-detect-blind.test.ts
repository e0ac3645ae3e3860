import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLexicons } from '../src/lexicon/loader.js';
import { formatScore, loadDialogues, pr, sixDetectorMean, scoreDialogues } from './support/text-eval.js';

/**
 * The blind set (test/fixtures/dialogues-blind/): dialogues written and labelled from the seeds before the
 * lexicons were read, so they measure the detectors on phrasing the lexicon author did not write. Same matching
 * rules as the authored set (test/support/text-eval.ts). Precision and recall per detector are printed.
 */

const here = dirname(fileURLToPath(import.meta.url));
const dialogues = loadDialogues(join(here, 'fixtures', 'dialogues-blind'));
const lex = loadLexicons(join(here, '..', 'lexicons'));

/**
 * Floors: a little below the measured values so a regression fails; never above what the detectors achieve.
 * First measurement (lexicons 1.0.0, before any change prompted by this set): ALL P=0.94 R=0.89. The numbers
 * after the lexicon 1.1.0 additions are no longer blind — the additions were prompted by these misses — so treat
 * them as a regression guard, and write a fresh blind set to measure again.
 */
const FLOORS: Record<string, { p: number; r: number }> = {
  greeting: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  missing_greeting: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  late_greeting: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  closing: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  missing_closing: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  self_identification: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  late_self_identification: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  missing_self_identification: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  // measured 0.962 / 1.000 since "whatever" is banned (lexicons en/banned 1.6.0, as the authored set labels
  // "Whatever, call back tomorrow"): en-b02's "Whatever, do what you want." holds two banned phrases, labelled once
  banned_phrase: { p: 0.87, r: 0.98 }, // 0.923: "my manager is going to tell you the same thing" is banned by blinds 46 and 48, not labelled here
  // 0.960 / 0.880: this set labels an agent's 嗯 before an answer (嗯，好的) as a filler; since lexicons 1.2-1.16 嗯
  // followed by an acknowledgement is one (the writers of blind 10, 12, 13, 16 and 18 leave it unlabelled)
  filler: { p: 0.94, r: 0.85 },
  politeness: { p: 0.94, r: 0.98 },   // measured 0.960 / 1.000
  apology: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  thanks: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  hold_etiquette: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
  // 1.000 / 0.727: this first blind set labels venting alone ("this is ridiculous", 太坑了) as escalation, the
  // later sets do not; venting is kind: vent since lexicons 1.2-1.13 (0.957 / 1.000 before)
  customer_escalation: { p: 0.98, r: 0.7 },
  speech_rate: { p: 0.98, r: 0.98 },   // measured 1.000 / 1.000
};

describe('text detectors on the blind labelled dialogues', () => {
  it(`has the blind set (${dialogues.length} dialogues: zh, en, mixed)`, () => {
    expect(dialogues.filter((d) => d.id.startsWith('zh-')).length).toBeGreaterThanOrEqual(12);
    expect(dialogues.filter((d) => d.id.startsWith('en-')).length).toBeGreaterThanOrEqual(10);
    expect(dialogues.filter((d) => d.id.startsWith('mx-')).length).toBeGreaterThanOrEqual(2);
    for (const d of dialogues) {
      for (const x of d.expected) {
        if (x.seg !== undefined) expect(d.segments[x.seg], `${d.id} ${x.type} seg ${x.seg}`).toBeDefined();
        if (x.hold !== undefined) expect(d.holdSpans[x.hold], `${d.id} ${x.type} hold ${x.hold}`).toBeDefined();
      }
    }
  });

  it('prints precision and recall per detector and holds them above the floors', () => {
    const score = scoreDialogues(dialogues, lex);
    console.log(formatScore(`text detectors over ${dialogues.length} BLIND labelled dialogues:`, score));
    for (const [type, c] of score.perType) {
      const { p, r } = pr(c);
      const floor = FLOORS[type];
      expect.soft(p, `${type} precision`).toBeGreaterThanOrEqual(floor.p);
      expect.soft(r, `${type} recall`).toBeGreaterThanOrEqual(floor.r);
    }
  });
});
