import type { CallEvent, CallMetadata, SpeechTimeline, TimeSpan, Transcript } from '../../core/types.js';
import { callConnectSec } from '../../core/connect.js';
import { mergeSpans } from '../../core/spans.js';
import { LexiconMatcher, type TranscriptHit } from '../../lexicon/matcher.js';
import { hasHan } from '../../lexicon/prepare.js';
import type { LexiconCategory, LexiconEntry, LoadedLexicons } from '../../lexicon/schema.js';
import { detectApologies } from './apology.js';
import { detectBannedPhrases } from './banned-phrase.js';
import { detectClosing } from './closing.js';
import { agentSegments, round2, type TextContext } from './context.js';
import { detectCustomerEscalation } from './customer-escalation.js';
import { detectFillers } from './filler.js';
import { detectGreeting } from './greeting.js';
import { hallucinatedSegments } from './hallucination.js';
import { detectHoldEtiquette } from './hold-etiquette.js';
import type { TextParams } from './params.js';
import { detectPoliteness } from './politeness.js';
import { detectSelfIdentification } from './self-identification.js';
import { detectSpeechRate } from './speech-rate.js';
import { detectThanks } from './thanks.js';

export { DEFAULT_TEXT_PARAMS, parseTextParams, TextParamsSchema, type TextParams } from './params.js';

export { TEXT_EVENT_TYPES, type TextEventType } from '../../core/event-types.js';

export interface TextDetectInput {
  transcript: Transcript;
  /** length of the recording, seconds */
  durationSec: number;
  /** hold spans from the audio stage (timeline.hold or `hold` events); empty = no hold */
  holdSpans: TimeSpan[];
  /** 'auto': per segment by script (Han -> zh lexicons, else en; Chinese with enough Latin words: both) */
  language: 'zh' | 'en' | 'auto';
  /** the call's metadata (its answeredAtSec, when given, is when the call connected) */
  metadata?: CallMetadata | null;
  /** the voice-activity timeline: when the transcript has no speech, its first speech connects the call */
  timeline?: Pick<SpeechTimeline, 'channels'> | null;
}

export interface TextDetectResult {
  events: CallEvent[];
  metrics: Record<string, number | string | null>;
  lexiconVersion: string;
}

const matcherCache = new WeakMap<LoadedLexicons, Map<string, LexiconMatcher>>();

let makeMatcher: (lex: LoadedLexicons) => LexiconMatcher = (lex) => new LexiconMatcher(lex);
/**
 * How matcherFor gets a matcher this process has not made yet: built here by default; the stage graph
 * (src/pipeline/graph.ts) has it loaded from the cache folder when one was built before (src/lexicon/compiled.ts).
 */
export function setMatcherSource(make: (lex: LoadedLexicons) => LexiconMatcher): void {
  makeMatcher = make;
}

/**
 * The compiled matcher for a lexicon set plus the pipeline's company names (compiled once per process). With
 * `only`, a matcher of those categories' entries alone (and the quote markers): it finds exactly the hits the full
 * matcher finds when asked for those categories (entries of other categories never take part in resolving them),
 * with smaller automata — the hallucination guard runs on every transcript.
 */
export function matcherFor(lex: LoadedLexicons, companyNames: readonly string[] = [], only?: readonly LexiconCategory[]): LexiconMatcher {
  let byKey = matcherCache.get(lex);
  if (!byKey) matcherCache.set(lex, (byKey = new Map()));
  const key = JSON.stringify([companyNames, only ?? null]);
  let m = byKey.get(key);
  if (!m) {
    const extra: LexiconEntry[] = companyNames.map((name, i) => {
      const language = hasHan(name) ? 'zh' : 'en';
      return {
        id: `${language}.self-id.company-name-${i}`,
        language,
        category: 'self_identification',
        kind: 'organisation',
        phrases: [name],
        exceptions: [],
        role: 'agent',
        position: 'opening',
        severity: 'major',
        boundary: 'none',
        fuzzy: true,
        fuzzyConfidence: 0.7,
        emit: 'event',
        countsAlone: true,
        source: 'pipeline text.companyNames',
        file: '(pipeline)',
      };
    });
    const entries = extra.length ? [...lex.entries, ...extra] : lex.entries;
    m = makeMatcher(only ? { ...lex, entries: entries.filter((e) => only.includes(e.category)) } : extra.length ? { ...lex, entries } : lex);
    byKey.set(key, m);
  }
  return m;
}

/**
 * Run every text detector over one transcript: one matching pass over all segments, hallucinated segments
 * dropped, then each detector (one per file in this folder) reads the shared hits.
 */
export function runTextDetectors(input: TextDetectInput, lex: LoadedLexicons, params: TextParams): TextDetectResult {
  const matcher = matcherFor(lex, params.companyNames);
  const sorted = [...input.transcript.segments].sort((a, b) => a.start - b.start || a.end - b.end);
  const allHits = matcher.matchTranscript(sorted, {
    language: input.language,
    unknownSpeakerConfidence: params.unknownSpeakerConfidence,
    echoWindowSec: params.echoWindowSec,
    mixedMinLatinWords: params.mixedMinLatinWords,
  });
  const hallucinated = hallucinatedSegments(allHits, params.hallucinationCoverage);
  // With the agent's speech labelled, unlabelled speech is not the agent's: an IVR menu, a queue announcement, a
  // voicemail greeting before the agent picks up is no greeting or identification. With the customer's labelled
  // too it is no one's and is left out like a hallucination; otherwise it is the other side's (an outbound call
  // reaching a menu). Unlabelled speech counts for either side only where nothing is labelled (mono recordings).
  const dropped = new Set(hallucinated);
  const agentLabelled = sorted.some((x) => x.speaker === 'agent');
  const customerLabelled = sorted.some((x) => x.speaker === 'customer');
  if (agentLabelled && customerLabelled)
    sorted.forEach((x, i) => {
      if (x.speaker === 'unknown') dropped.add(i);
    });
  else if (agentLabelled) {
    for (const h of allHits) if (h.speaker === 'unknown') h.speaker = 'customer';
    sorted.forEach((x, i) => {
      if (x.speaker === 'unknown') sorted[i] = { ...x, speaker: 'customer' };
    });
  }
  const newIndex = new Map<number, number>();
  const segments =
    dropped.size === 0
      ? sorted
      : sorted.filter((_, i) => {
          if (dropped.has(i)) return false;
          newIndex.set(i, newIndex.size);
          return true;
        });
  // inside a kept segment, nothing found within a hallucinated phrase counts ("好的 谢谢观看": no thanks)
  const invented = new Map<string, [number, number][]>();
  for (const h of allHits) {
    if (h.entry.category !== 'hallucination' || dropped.has(h.segmentIndex)) continue;
    const key = `${h.segmentIndex}:${h.language}`;
    const spans = invented.get(key);
    if (spans) spans.push([h.from, h.to]);
    else invented.set(key, [[h.from, h.to]]);
  }
  const insideInvented = (h: TranscriptHit) =>
    invented.size > 0 && (invented.get(`${h.segmentIndex}:${h.language}`)?.some(([from, to]) => h.from < to && from < h.to) ?? false);
  // the hits are this call's own (matchTranscript makes new ones): renumbered in place, not copied
  const hits: TranscriptHit[] = [];
  for (const h of allHits) {
    if (dropped.has(h.segmentIndex) || h.entry.category === 'hallucination' || insideInvented(h)) continue;
    if (dropped.size) h.segmentIndex = newIndex.get(h.segmentIndex)!;
    hits.push(h);
  }
  const ctx: TextContext = {
    segments,
    hits,
    durationSec: input.durationSec,
    holdSpans: mergeSpans(input.holdSpans),
    // the first kept speech (no hallucinations, no unlabelled IVR prompts) unless the metadata says when it was answered
    connectSec: round2(callConnectSec({ metadata: input.metadata, segments, timeline: input.timeline })),
    params,
  };

  const fillers = detectFillers(ctx);
  const politeness = detectPoliteness(ctx);
  const escalation = detectCustomerEscalation(ctx);
  const rate = detectSpeechRate(ctx, input.language);
  const events: CallEvent[] = [
    ...detectGreeting(ctx),
    ...detectClosing(ctx),
    ...detectSelfIdentification(ctx),
    ...detectBannedPhrases(ctx),
    ...fillers.events,
    ...politeness.events,
    ...detectApologies(ctx),
    ...detectThanks(ctx),
    ...detectHoldEtiquette(ctx),
    ...escalation.events,
    ...rate.events,
  ].sort((a, b) => a.start - b.start || a.end - b.end);

  const count = (t: string) => events.filter((e) => e.type === t).length;
  const firstAt = (t: string) => {
    const e = events.find((x) => x.type === t);
    return e ? round2(e.start) : null;
  };
  const holds = events.filter((e) => e.type === 'hold_etiquette');
  const agentSpeechSec = agentSegments(ctx).reduce((a, s) => a + Math.max(0, s.end - s.start), 0);
  const metrics: Record<string, number | string | null> = {
    lexiconVersion: lex.version,
    agentSpeechSec: round2(agentSpeechSec),
    hallucinatedSegments: hallucinated.size,
    connectSec: ctx.connectSec,
    greetingAtSec: firstAt('greeting'),
    closingAtSec: events.filter((e) => e.type === 'closing').map((e) => round2(e.start))[0] ?? null,
    selfIdentificationAtSec: firstAt('self_identification') ?? firstAt('late_self_identification'),
    selfIdentificationLate: events.some((e) => e.type === 'late_self_identification') ? 1 : 0,
    bannedPhraseCount: count('banned_phrase'),
    ...fillers.metrics,
    ...politeness.metrics,
    apologyCount: count('apology'),
    thanksCount: count('thanks'),
    ...escalation.metrics,
    holdEtiquetteChecked: holds.length,
    holdEtiquetteOk: holds.length ? holds.filter((e) => e.details?.ok).length : null,
    ...rate.metrics,
  };
  return { events, metrics, lexiconVersion: lex.version };
}
