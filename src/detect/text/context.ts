import type {
  AbsenceDetails,
  EventDetailsByType,
  EventOf,
  EventType,
  LexiconHitDetails,
  PerSegmentDetails,
  UtteranceEvidence,
} from '../../core/events.js';
import type { Speaker, TimeSpan, TranscriptSegment } from '../../core/types.js';
import type { TranscriptHit } from '../../lexicon/matcher.js';
import type { LexiconCategory } from '../../lexicon/schema.js';
import type { TextParams } from './params.js';

/** What every text detector reads: the cleaned transcript, all lexicon hits from one pass, the parameters. */
export interface TextContext {
  /** segments sorted by start, known ASR hallucinations removed; hits index into this array */
  segments: TranscriptSegment[];
  hits: TranscriptHit[];
  durationSec: number;
  /** sorted hold spans (timeline.hold or `hold` events) */
  holdSpans: TimeSpan[];
  /** when the call connected, seconds from the start of the recording (core/connect.ts): the greeting and
   * self-identification limits count from it */
  connectSec: number;
  params: TextParams;
}

/** Agent speech, or unlabelled speech (mono) that may be the agent's. */
export function isAgentSide(s: Speaker): boolean {
  return s === 'agent' || s === 'unknown';
}

export function agentSegments(ctx: TextContext): TranscriptSegment[] {
  return ctx.segments.filter((s) => isAgentSide(s.speaker));
}

/** ctx.hits by category, in their order: made once per hit list (every detector asks for one or two categories). */
const byCategory = new WeakMap<readonly TranscriptHit[], Map<LexiconCategory, TranscriptHit[]>>();

export function hitsOf(ctx: TextContext, category: LexiconCategory, side: 'agent' | 'customer'): TranscriptHit[] {
  let groups = byCategory.get(ctx.hits);
  if (!groups) {
    groups = new Map();
    for (const h of ctx.hits) {
      const g = groups.get(h.entry.category);
      if (g) g.push(h);
      else groups.set(h.entry.category, [h]);
    }
    byCategory.set(ctx.hits, groups);
  }
  return (groups.get(category) ?? []).filter((h) => (side === 'agent' ? isAgentSide(h.speaker) : h.speaker === 'customer' || h.speaker === 'unknown'));
}

/** The detail fields every lexicon-based event carries (docs/lexicons.md). */
export function hitDetails(h: TranscriptHit): LexiconHitDetails {
  // fields in this order (reports print them so); optional ones only when set
  const e = h.entry;
  const d: LexiconHitDetails = e.kind
    ? {
        text: h.text,
        matched: h.matched,
        phrase: h.phrase,
        entryId: e.id,
        category: e.category,
        kind: e.kind,
        severity: e.severity,
        confidence: h.confidence,
        fuzzy: h.fuzzy,
        language: h.language,
        segmentIndex: h.segmentIndex,
      }
    : {
        text: h.text,
        matched: h.matched,
        phrase: h.phrase,
        entryId: e.id,
        category: e.category,
        severity: e.severity,
        confidence: h.confidence,
        fuzzy: h.fuzzy,
        language: h.language,
        segmentIndex: h.segmentIndex,
      };
  if (h.speakerAssumed) d.speakerAssumed = true;
  if (e.source) d.source = e.source;
  return d;
}

/** Event types whose details extend a given base shape (the detail fields a helper fills in). */
type TypesWith<Base> = { [T in EventType]: EventDetailsByType[T] extends Base ? T : never }[EventType];
/** What a caller adds on top of the base fields (base fields may be overridden). */
type Extra<T extends EventType, Base> = Omit<EventDetailsByType[T], keyof Base> & Partial<Base>;

export function hitEvent<T extends TypesWith<LexiconHitDetails>>(
  type: T,
  h: TranscriptHit,
  extra: Extra<T, LexiconHitDetails> = {} as Extra<T, LexiconHitDetails>,
): EventOf<T> {
  const details = { ...hitDetails(h), ...extra } as EventDetailsByType[T];
  return { type, speaker: h.speaker, start: h.start, end: h.end, details };
}

export type { UtteranceEvidence };

export function evidence(segs: readonly TranscriptSegment[]): UtteranceEvidence[] {
  return segs.map((s) => ({ start: s.start, end: s.end, speaker: s.speaker, text: s.text }));
}

/**
 * A `missing_*` finding: the evidence of absence is the agent utterances that were searched, quoted, so an
 * inspector sees why (issue 5).
 */
export function absenceEvent<T extends TypesWith<AbsenceDetails>>(
  type: T,
  category: string,
  shown: readonly TranscriptSegment[],
  extra: Omit<EventDetailsByType[T], keyof AbsenceDetails>,
): EventOf<T> {
  const details = {
    text: shown.map((s) => s.text).join(' / '),
    entryId: null,
    category,
    confidence: 1,
    ...extra,
    evidence: evidence(shown),
  } as EventDetailsByType[T];
  return {
    type,
    speaker: 'agent',
    start: shown[0].start,
    end: shown[shown.length - 1].end,
    details,
  };
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * One event per utterance for categories where several phrases in one sentence are one act (非常抱歉，给您带来了
 * 不便 is one apology): the first hit is the primary (its entryId and confidence lead), `matches` lists all.
 */
export function perSegmentEvents<T extends TypesWith<PerSegmentDetails>>(
  type: T,
  hits: readonly TranscriptHit[],
  extra: (first: TranscriptHit, group: TranscriptHit[]) => Extra<T, PerSegmentDetails> = () => ({}) as Extra<T, PerSegmentDetails>,
): EventOf<T>[] {
  const groups = new Map<number, TranscriptHit[]>();
  for (const h of hits) {
    const g = groups.get(h.segmentIndex);
    if (g) g.push(h);
    else groups.set(h.segmentIndex, [h]);
  }
  return [...groups.values()].map((g) => {
    g.sort((a, b) => a.start - b.start);
    const first = g[0];
    const details = {
      ...hitDetails(first),
      confidence: maxOf(g, (h) => h.confidence),
      matches: g.map((h) => ({ matched: h.matched, entryId: h.entry.id, confidence: h.confidence, fuzzy: h.fuzzy })),
      ...extra(first, g),
    } as EventDetailsByType[T];
    const ev: EventOf<T> = { type, speaker: first.speaker, start: first.start, end: first.end, details };
    ev.end = maxOf(g, (h) => h.end);
    return ev;
  });
}

/** Largest / smallest of f over a list, without spreading it into arguments (a huge list would overflow the stack). */
export function maxOf<T>(xs: readonly T[], f: (x: T) => number): number {
  let m = -Infinity;
  for (const x of xs) m = Math.max(m, f(x));
  return m;
}
export function minOf<T>(xs: readonly T[], f: (x: T) => number): number {
  let m = Infinity;
  for (const x of xs) m = Math.min(m, f(x));
  return m;
}

/**
 * `hits` without those whose utterance says nothing but phrases that do not count alone (`countsAlone: false`):
 * "hello?" / "hello hello" (an agent picking up or checking the line, not the standard opening: 000 第三篇 三、5;
 * 003 二(一)1.1 开篇语), a bare 嗯 (an acknowledgement, not a filler). Linear in the hits: each utterance (and
 * language) is judged once, from its own countsAlone-false hits.
 */
export function withoutBareUtterances(hits: readonly TranscriptHit[]): TranscriptHit[] {
  const alone = new Map<string, TranscriptHit[]>();
  for (const h of hits) {
    if (h.entry.countsAlone !== false) continue;
    const k = `${h.segmentIndex}\u0000${h.language}`;
    const g = alone.get(k);
    if (g) g.push(h);
    else alone.set(k, [h]);
  }
  if (alone.size === 0) return [...hits];
  const bare = new Set<string>();
  for (const [k, g] of alone) {
    const covered = new Uint8Array(g[0].length);
    for (const x of g) covered.fill(1, x.from, x.to);
    if (covered.every((c) => c === 1)) bare.add(k);
  }
  return hits.filter((h) => !(h.entry.countsAlone === false && bare.has(`${h.segmentIndex}\u0000${h.language}`)));
}
