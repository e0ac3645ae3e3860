import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normaliseText } from '../src/core/normalise.js';
import type { CallEvent, TimeSpan, Transcript } from '../src/core/types.js';
import { DEFAULT_TEXT_PARAMS, TEXT_EVENT_TYPES, runTextDetectors } from '../src/detect/text/index.js';
import { loadLexicons } from '../src/lexicon/loader.js';

/**
 * Labelled dialogues (test/fixtures/dialogues/*.json): sidecar-style segments plus the events a QA inspector
 * marked. Every detector's precision and recall over the whole set is printed and held above a floor.
 *
 * Matching: a detected event matches a label of the same type when it overlaps the labelled segment (or, for
 * hold_etiquette, is on the labelled hold; for call-level missing_* labels, by type alone) and carries the
 * labelled `details` values. speech_rate counts only flagged (too_fast / too_slow) events as detections.
 */

interface Expected {
  type: string;
  seg?: number;
  hold?: number;
  details?: Record<string, unknown>;
}
interface Dialogue {
  id: string;
  description: string;
  hardCases: string[];
  language: 'zh' | 'en' | 'auto';
  durationSec: number;
  holdSpans: TimeSpan[];
  segments: { speaker: 'agent' | 'customer' | 'unknown'; start: number; end: number; text: string }[];
  expected: Expected[];
}

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, 'fixtures', 'dialogues');
const dialogues: Dialogue[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Dialogue);
const lex = loadLexicons(join(here, '..', 'lexicons'));

function toTranscript(d: Dialogue): Transcript {
  return {
    engine: 'sidecar-json',
    language: d.language,
    segments: d.segments.map((s) => ({ ...s, normText: normaliseText(s.text) })),
  };
}

function run(d: Dialogue) {
  return runTextDetectors(
    { transcript: toTranscript(d), durationSec: d.durationSec, holdSpans: d.holdSpans, language: d.language },
    lex,
    DEFAULT_TEXT_PARAMS,
  );
}

function detections(events: CallEvent[]): CallEvent[] {
  return events.filter((e) => e.type !== 'speech_rate' || e.details?.flag !== 'ok');
}

function matches(d: Dialogue, x: Expected, e: CallEvent): boolean {
  if (x.type !== e.type) return false;
  if (x.seg !== undefined) {
    const s = d.segments[x.seg];
    if (!(e.start < s.end + 0.01 && e.end > s.start - 0.01)) return false;
  }
  if (x.hold !== undefined && Math.abs(d.holdSpans[x.hold].start - e.start) > 0.01) return false;
  for (const [k, v] of Object.entries(x.details ?? {})) if (e.details?.[k] !== v) return false;
  return true;
}

type Counts = { tp: number; fp: number; fn: number };
function score(): { perType: Map<string, Counts>; misses: string[] } {
  const perType = new Map<string, Counts>(TEXT_EVENT_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]));
  const misses: string[] = [];
  for (const d of dialogues) {
    const found = detections(run(d).events);
    const used = new Set<number>();
    for (const x of d.expected) {
      const i = found.findIndex((e, k) => !used.has(k) && matches(d, x, e));
      const c = perType.get(x.type)!;
      if (i >= 0) {
        used.add(i);
        c.tp++;
      } else {
        c.fn++;
        misses.push(`${d.id}: missed ${x.type}${x.seg !== undefined ? ` @seg${x.seg} "${d.segments[x.seg].text}"` : ''}`);
      }
    }
    found.forEach((e, k) => {
      if (used.has(k)) return;
      perType.get(e.type)!.fp++;
      misses.push(`${d.id}: extra ${e.type} "${String(e.details?.matched ?? e.details?.text ?? '')}" @${e.start}`);
    });
  }
  return { perType, misses };
}

/** Floors: set below the measured values so a regression fails, not to flatter the numbers. */
const FLOORS: Record<string, { p: number; r: number }> = {
  greeting: { p: 0.9, r: 0.9 },
  missing_greeting: { p: 0.5, r: 0.9 },
  late_greeting: { p: 0.9, r: 0.9 },
  closing: { p: 0.9, r: 0.85 },
  missing_closing: { p: 0.8, r: 0.9 },
  self_identification: { p: 0.9, r: 0.8 },
  missing_self_identification: { p: 0.6, r: 0.9 },
  banned_phrase: { p: 0.9, r: 0.8 },
  filler: { p: 0.9, r: 0.85 },
  politeness: { p: 0.85, r: 0.85 },
  apology: { p: 0.85, r: 0.85 },
  thanks: { p: 0.85, r: 0.9 },
  hold_etiquette: { p: 0.9, r: 0.9 },
  customer_escalation: { p: 0.9, r: 0.8 },
  speech_rate: { p: 0.9, r: 0.9 },
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
    const { perType, misses } = score();
    const rows: string[] = [];
    let all: Counts = { tp: 0, fp: 0, fn: 0 };
    for (const [type, c] of perType) {
      const p = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
      const r = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
      rows.push(`${type.padEnd(28)} P=${p.toFixed(2)} R=${r.toFixed(2)}  (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`);
      all = { tp: all.tp + c.tp, fp: all.fp + c.fp, fn: all.fn + c.fn };
      expect.soft(p, `${type} precision`).toBeGreaterThanOrEqual(FLOORS[type].p);
      expect.soft(r, `${type} recall`).toBeGreaterThanOrEqual(FLOORS[type].r);
    }
    const P = all.tp / (all.tp + all.fp);
    const R = all.tp / (all.tp + all.fn);
    console.log(
      [`text detectors over ${dialogues.length} labelled dialogues:`, ...rows, `${'ALL'.padEnd(28)} P=${P.toFixed(2)} R=${R.toFixed(2)}`, '', 'differences:', ...misses].join('\n'),
    );
  });

  it('records the lexicon version with every analysis', () => {
    const r = run(dialogues[0]);
    expect(r.lexiconVersion).toMatch(/^(zh|en)@.+#[0-9a-f]{12}$/);
    expect(r.metrics.lexiconVersion).toBe(r.lexiconVersion);
  });
});
