import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadedLexicons } from '../../src/lexicon/schema.js';
import { SIX_DETECTORS, formatScore, loadDialogues, pr, scoreDialogues, sixDetectorMean, type Dialogue, type Score } from './text-eval.js';

/**
 * The shared suite of the blind dialogue sets written after the third (test/text-detect-blind4..7.test.ts): their
 * labels follow two conventions of their own, mapped here rather than relabelled (a late greeting is labelled
 * `late_greeting` only, where the detectors report `greeting` and `late_greeting`; fillers and banned phrases
 * once per agent segment, so detections of those types count once per segment); only the six detectors of issue
 * 16 are scored.
 */
export const LABELLED = new Set(Object.values(SIX_DETECTORS).flat());
const PER_SEGMENT = ['filler', 'banned_phrase'];

/** the score restricted to the labelled event types */
export function sixOnly(s: Score): Score {
  const perType = new Map([...s.perType].filter(([t]) => LABELLED.has(t)));
  const all = [...perType.values()].reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
  const misses = s.misses.filter((m) => [...LABELLED].some((t) => new RegExp(`: (missed|extra) ${t}( |$)`).test(m)));
  return { perType, all, misses };
}

/** a blind set's dialogues with its late greetings also labelled as greetings */
export function loadBlindSet(dir: string): Dialogue[] {
  return loadDialogues(dir).map((d) => ({
    ...d,
    expected: [...d.expected, ...d.expected.filter((e) => e.type === 'late_greeting').map((e) => ({ ...e, type: 'greeting' }))],
  }));
}

export interface BlindSet {
  /** "fourth", "fifth", ... */
  name: string;
  /** folder under test/fixtures */
  folder: string;
  /** at least this many dialogues per id prefix (zh-, en-, auto-) */
  counts: { zh: number; en: number; auto: number };
  /** hard cases the set must hold */
  hard: readonly string[];
  /** per type: precision / recall floors, just under the measured values */
  floors: Record<string, { p: number; r: number }>;
  meanFloor: number;
  /**
   * the set labels fillers once per occurrence (two in one utterance: two labels), the third set's convention;
   * otherwise once per agent segment
   */
  fillersPerOccurrence?: boolean;
}

export function blindSetSuite(root: string, lex: LoadedLexicons, set: BlindSet, more?: (dialogues: Dialogue[]) => void): void {
  const dialogues = loadBlindSet(join(root, 'fixtures', set.folder));
  describe(`text detectors on the ${set.name} blind set (issue 16)`, () => {
    it(`has the set (${dialogues.length} dialogues) in both languages with the hard cases`, () => {
      for (const [prefix, n] of Object.entries(set.counts)) expect(dialogues.filter((d) => d.id.startsWith(`${prefix}-`)).length, prefix).toBeGreaterThanOrEqual(n);
      const hard = new Set(dialogues.flatMap((d) => d.hardCases));
      for (const h of set.hard) expect(hard, h).toContain(h);
      for (const d of dialogues)
        for (const x of d.expected) {
          expect(LABELLED, `${d.id} ${x.type}`).toContain(x.type);
          if (x.seg !== undefined) expect(d.segments[x.seg], `${d.id} ${x.type}`).toBeDefined();
        }
    });

    it('prints precision and recall per detector and holds them above the floors', () => {
      const score = sixOnly(scoreDialogues(dialogues, lex, undefined, set.fillersPerOccurrence ? ['banned_phrase'] : PER_SEGMENT));
      const six = sixDetectorMean(score);
      console.log(formatScore(`text detectors over ${dialogues.length} dialogues of the ${set.name} blind set (six detectors' types only):`, score));
      console.log(`six-detector mean F1 ${six.mean.toFixed(3)}: ` + six.groups.map((g) => `${g.name} P=${g.p.toFixed(2)} R=${g.r.toFixed(2)} F1=${g.f1.toFixed(2)}`).join(', '));
      for (const [type, c] of score.perType) {
        const { p, r } = pr(c);
        expect.soft(p, `${type} precision`).toBeGreaterThanOrEqual(set.floors[type].p);
        expect.soft(r, `${type} recall`).toBeGreaterThanOrEqual(set.floors[type].r);
      }
      expect(six.mean).toBeGreaterThanOrEqual(set.meanFloor);
    });

    more?.(dialogues);
  });
}
