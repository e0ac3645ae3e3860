import type { CallEvent, Speaker, TimeSpan, TranscriptSegment } from '../../core/types.js';
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
  params: TextParams;
}

/** Agent speech, or unlabelled speech (mono) that may be the agent's. */
export function isAgentSide(s: Speaker): boolean {
  return s === 'agent' || s === 'unknown';
}

export function agentSegments(ctx: TextContext): TranscriptSegment[] {
  return ctx.segments.filter((s) => isAgentSide(s.speaker));
}

export function hitsOf(ctx: TextContext, category: LexiconCategory, side: 'agent' | 'customer'): TranscriptHit[] {
  return ctx.hits.filter(
    (h) => h.entry.category === category && (side === 'agent' ? isAgentSide(h.speaker) : h.speaker === 'customer' || h.speaker === 'unknown'),
  );
}

/** The detail fields every lexicon-based event carries (docs/lexicons.md). */
export function hitDetails(h: TranscriptHit): Record<string, unknown> {
  return {
    text: h.text,
    matched: h.matched,
    phrase: h.phrase,
    entryId: h.entry.id,
    category: h.entry.category,
    ...(h.entry.kind ? { kind: h.entry.kind } : {}),
    severity: h.entry.severity,
    confidence: h.confidence,
    fuzzy: h.fuzzy,
    language: h.language,
    segmentIndex: h.segmentIndex,
    ...(h.speakerAssumed ? { speakerAssumed: true } : {}),
    ...(h.entry.source ? { source: h.entry.source } : {}),
  };
}

export function hitEvent(type: string, h: TranscriptHit, extra: Record<string, unknown> = {}): CallEvent {
  return { type, speaker: h.speaker, start: h.start, end: h.end, details: { ...hitDetails(h), ...extra } };
}

export interface UtteranceEvidence {
  start: number;
  end: number;
  speaker: Speaker;
  text: string;
}

export function evidence(segs: readonly TranscriptSegment[]): UtteranceEvidence[] {
  return segs.map((s) => ({ start: s.start, end: s.end, speaker: s.speaker, text: s.text }));
}

/**
 * A `missing_*` finding: the evidence of absence is the agent utterances that were searched, quoted, so an
 * inspector sees why (issue 5).
 */
export function absenceEvent(type: string, category: string, shown: readonly TranscriptSegment[], extra: Record<string, unknown>): CallEvent {
  return {
    type,
    speaker: 'agent',
    start: shown[0].start,
    end: shown[shown.length - 1].end,
    details: {
      text: shown.map((s) => s.text).join(' / '),
      entryId: null,
      category,
      confidence: 1,
      ...extra,
      evidence: evidence(shown),
    },
  };
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * One event per utterance for categories where several phrases in one sentence are one act (非常抱歉，给您带来了
 * 不便 is one apology): the first hit is the primary (its entryId and confidence lead), `matches` lists all.
 */
export function perSegmentEvents(
  type: string,
  hits: readonly TranscriptHit[],
  extra: (first: TranscriptHit, group: TranscriptHit[]) => Record<string, unknown> = () => ({}),
): CallEvent[] {
  const groups = new Map<number, TranscriptHit[]>();
  for (const h of hits) {
    const g = groups.get(h.segmentIndex);
    if (g) g.push(h);
    else groups.set(h.segmentIndex, [h]);
  }
  return [...groups.values()].map((g) => {
    g.sort((a, b) => a.start - b.start);
    const first = g[0];
    const ev = hitEvent(type, first, {
      confidence: Math.max(...g.map((h) => h.confidence)),
      matches: g.map((h) => ({ matched: h.matched, entryId: h.entry.id, confidence: h.confidence, fuzzy: h.fuzzy })),
      ...extra(first, g),
    });
    ev.end = Math.max(...g.map((h) => h.end));
    return ev;
  });
}
