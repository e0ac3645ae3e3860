import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseText } from '../../src/core/normalise.js';
import type { CallEvent, TimeSpan, Transcript } from '../../src/core/types.js';
import { DEFAULT_TEXT_PARAMS, TEXT_EVENT_TYPES, runTextDetectors, type TextParams } from '../../src/detect/text/index.js';
import type { LoadedLexicons } from '../../src/lexicon/schema.js';

/**
 * Scoring of the text detectors against labelled dialogues (test/fixtures/dialogues*, one JSON file each:
 * sidecar-style segments plus the events a QA inspector marked). Shared by the authored set and the blind set.
 *
 * Matching: a detected event matches a label of the same type when it overlaps the labelled segment (or, for
 * hold_etiquette, is on the labelled hold; for call-level missing_* labels, by type alone) and carries the
 * labelled `details` values. speech_rate counts only flagged (too_fast / too_slow) events as detections.
 */

export interface Expected {
  type: string;
  seg?: number;
  hold?: number;
  details?: Record<string, unknown>;
  /** the labeller's reason (seed and section); not used for scoring */
  why?: string;
}
export interface Dialogue {
  id: string;
  description: string;
  hardCases: string[];
  language: 'zh' | 'en' | 'auto';
  durationSec: number;
  holdSpans: TimeSpan[];
  segments: { speaker: 'agent' | 'customer' | 'unknown'; start: number; end: number; text: string }[];
  expected: Expected[];
}

export type Counts = { tp: number; fp: number; fn: number };
export interface Score {
  perType: Map<string, Counts>;
  all: Counts;
  /** one line per missed label or extra detection */
  misses: string[];
}

export function loadDialogues(dir: string): Dialogue[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Dialogue);
}

export function toTranscript(d: Dialogue): Transcript {
  return {
    engine: 'sidecar-json',
    language: d.language,
    segments: d.segments.map((s) => ({ ...s, normText: normaliseText(s.text) })),
  };
}

/**
 * The labelled dialogues were written as recordings that start when the call connects (an agent silent for 11 s at
 * the start "answers late"; an IVR prelude counts), and their labels count the greeting and self-identification
 * limits from 0: said here as the platform would say it (answeredAtSec), since without it the limits count from the
 * first speech (src/core/connect.ts), which such a recording does not tell apart from ringing.
 */
const CONNECTED_AT_START = { answeredAtSec: 0 };

export function runDialogue(d: Dialogue, lex: LoadedLexicons, params: TextParams = DEFAULT_TEXT_PARAMS) {
  return runTextDetectors(
    { transcript: toTranscript(d), durationSec: d.durationSec, holdSpans: d.holdSpans, language: d.language, metadata: CONNECTED_AT_START },
    lex,
    params,
  );
}

export function detections(events: CallEvent[]): CallEvent[] {
  return events.filter((e) => e.type !== 'speech_rate' || e.details.flag !== 'ok');
}

export function matches(d: Dialogue, x: Expected, e: CallEvent): boolean {
  if (x.type !== e.type) return false;
  if (x.seg !== undefined) {
    const s = d.segments[x.seg];
    if (!(e.start < s.end + 0.01 && e.end > s.start - 0.01)) return false;
  }
  if (x.hold !== undefined && Math.abs(d.holdSpans[x.hold].start - e.start) > 0.01) return false;
  for (const [k, v] of Object.entries(x.details ?? {})) if ((e.details as unknown as Record<string, unknown>)[k] !== v) return false;
  return true;
}

/**
 * `perSegment`: event types a set labels once per segment (however many phrases the segment holds); the
 * detections of those types are kept once per segment before matching.
 */
export function scoreDialogues(dialogues: readonly Dialogue[], lex: LoadedLexicons, params: TextParams = DEFAULT_TEXT_PARAMS, perSegment: readonly string[] = []): Score {
  // pii is found in the transcribe stage (src/privacy), not by the text detectors scored here
  const perType = new Map<string, Counts>(TEXT_EVENT_TYPES.filter((t) => t !== 'pii').map((t) => [t, { tp: 0, fp: 0, fn: 0 }]));
  const misses: string[] = [];
  for (const d of dialogues) {
    const seen = new Set<string>();
    const found = detections(runDialogue(d, lex, params).events).filter((e) => {
      if (!perSegment.includes(e.type)) return true;
      const seg = d.segments.findIndex((s) => e.start < s.end + 0.01 && e.end > s.start - 0.01);
      const key = `${e.type}:${seg}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
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
      misses.push(`${d.id}: extra ${e.type} "${String(('matched' in e.details ? e.details.matched : undefined) ?? ('text' in e.details ? e.details.text : ''))}" @${e.start}`);
    });
  }
  const all = [...perType.values()].reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
  return { perType, all, misses };
}

/** precision and recall; an empty denominator counts as 1 (nothing claimed, nothing missed) */
export function pr(c: Counts): { p: number; r: number } {
  return { p: c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp), r: c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn) };
}

/** The printed table: one row per detector, the total, then every difference. */
export function formatScore(title: string, s: Score): string {
  const rows = [...s.perType].map(([type, c]) => {
    const { p, r } = pr(c);
    return `${type.padEnd(28)} P=${p.toFixed(2)} R=${r.toFixed(2)}  (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`;
  });
  const { p, r } = pr(s.all);
  return [title, ...rows, `${'ALL'.padEnd(28)} P=${p.toFixed(2)} R=${r.toFixed(2)}`, '', 'differences:', ...s.misses].join('\n');
}

/**
 * The six detectors issue 16 measures (greeting, closing, self-identification, banned phrases, fillers, customer
 * escalation): each is the pool of its event types (present / missing / late), scored by F1; `mean` is their mean.
 */
export const SIX_DETECTORS: Record<string, readonly string[]> = {
  greeting: ['greeting', 'missing_greeting', 'late_greeting'],
  closing: ['closing', 'missing_closing'],
  self_identification: ['self_identification', 'late_self_identification', 'missing_self_identification'],
  banned_phrase: ['banned_phrase'],
  filler: ['filler'],
  customer_escalation: ['customer_escalation'],
};

export function sixDetectorMean(s: Score): { mean: number; groups: { name: string; p: number; r: number; f1: number }[] } {
  const groups = Object.entries(SIX_DETECTORS).map(([name, types]) => {
    const c = types.reduce((a, t) => {
      const x = s.perType.get(t) ?? { tp: 0, fp: 0, fn: 0 };
      return { tp: a.tp + x.tp, fp: a.fp + x.fp, fn: a.fn + x.fn };
    }, { tp: 0, fp: 0, fn: 0 });
    const { p, r } = pr(c);
    return { name, p, r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
  });
  return { mean: groups.reduce((a, g) => a + g.f1, 0) / groups.length, groups };
}
