import { AUDIO_EVENT_TYPES, TEXT_EVENT_TYPES, type AudioEventType, type TextEventType } from './event-types.js';

/**
 * Findings on the call timeline as a discriminated union: one typed detail shape per event type, so a
 * detector that renames or drops a field fails the build where a rule, the report or the review reads it,
 * instead of silently changing a score. The JSON report flattens `details` next to type/speaker/start/end
 * (docs/report-schema.md). Pure types: nothing here does I/O.
 */

/** Who spoke (kept here, not imported from types.ts, so the two modules have no cycle). */
type Who = 'agent' | 'customer' | 'unknown';

// ------------------------------------------------------------------------------------------ audio events

export interface SilenceDetails {
  durationSec: number;
  /** the side that spoke last before the silence */
  after: Who | null;
}
export interface HoldDetails {
  durationSec: number;
  /** customer speech inside the hold (null on mono) */
  customerSpokeSec: number | null;
}
export interface BackchannelDetails {
  durationSec: number;
}
export interface TalkOverDetails {
  overlapSec: number;
  /** who was talked over */
  interrupted: Who;
}

// ------------------------------------------------------------------------------------------- text events

/** The fields every lexicon-based event carries (docs/lexicons.md). */
export interface LexiconHitDetails {
  /** the utterance quoted (the segment's raw text) */
  text: string;
  matched: string;
  phrase: string;
  entryId: string;
  category: string;
  kind?: string;
  severity: string;
  confidence: number;
  fuzzy: boolean;
  language: string;
  segmentIndex: number;
  speakerAssumed?: true;
  source?: string;
}

/** One utterance quoted as evidence (absence findings, hold etiquette). */
export interface UtteranceEvidence {
  start: number;
  end: number;
  speaker: Who;
  text: string;
}

/** A `missing_*` finding: the agent utterances that were searched, quoted. */
export interface AbsenceDetails {
  text: string;
  entryId: null;
  category: string;
  confidence: number;
  evidence: UtteranceEvidence[];
}

/** One event per utterance where several phrases in one sentence are one act; `matches` lists them all. */
export interface PerSegmentDetails extends LexiconHitDetails {
  matches: { matched: string; entryId: string; confidence: number; fuzzy: boolean }[];
}

export interface GreetingDetails extends LexiconHitDetails {
  late: boolean;
  firstAgentSpeechSec: number;
  /** when the call connected (core/connect.ts), seconds from the start of the recording: the limits count from it */
  connectSec?: number;
}
export interface LateGreetingDetails extends LexiconHitDetails {
  greetingAtSec: number;
  firstAgentSpeechSec: number;
  thresholdSec: number;
  /** when the call connected (core/connect.ts), seconds from the start of the recording: the limits count from it */
  connectSec?: number;
  /** greetingAtSec - connectSec - thresholdSec */
  delaySec: number;
}
export interface MissingGreetingDetails extends AbsenceDetails {
  firstAgentSpeechSec: number;
  /** connectSec + the search window, seconds from the start of the recording */
  searchedUntilSec: number;
  /** when the call connected (core/connect.ts), seconds from the start of the recording: the limits count from it */
  connectSec?: number;
}
export interface ClosingDetails extends LexiconHitDetails {
  lastAgentEndSec: number;
}
export interface MissingClosingDetails extends AbsenceDetails {
  lastAgentEndSec: number;
  windowSec: number;
}
export interface SelfIdentificationDetails extends LexiconHitDetails {
  /** the hit found for each required part (organisation, staff number, name ...) */
  parts: Record<string, LexiconHitDetails>;
  withinSec: number;
  /** when the call connected (core/connect.ts), seconds from the start of the recording: the limits count from it */
  connectSec?: number;
}
/** Identified, but after the window: the utterance that completed it, its time and how late it was (issue 16). */
export interface LateSelfIdentificationDetails extends LexiconHitDetails {
  parts: Record<string, LexiconHitDetails>;
  withinSec: number;
  /** when the completing cue was said, seconds from the start of the recording */
  atSec: number;
  /** when the call connected (core/connect.ts), seconds from the start of the recording: the limits count from it */
  connectSec?: number;
  /** atSec - connectSec - withinSec */
  lateBySec: number;
}
export interface MissingSelfIdentificationDetails extends AbsenceDetails {
  missingParts: string[];
  parts: Record<string, LexiconHitDetails>;
  withinSec: number;
  /** when the call connected (core/connect.ts), seconds from the start of the recording: the limits count from it */
  connectSec?: number;
}
export interface ApologyDetails extends PerSegmentDetails {
  followsComplaint: boolean;
  complaintAtSec: number | null;
  complaintEntryId: string | null;
}
export interface ThanksDetails extends PerSegmentDetails {
  afterHold: boolean;
  holdEndSec: number | null;
}
export interface CustomerEscalationDetails extends PerSegmentDetails {
  kinds: string[];
  apologised: boolean;
  apologyAtSec: number | null;
}
export interface HoldEtiquetteDetails {
  text: string;
  entryId: string | null;
  category: string;
  confidence: number;
  holdSec: number;
  askedBefore: boolean;
  thankedAfter: boolean;
  ok: boolean;
  before: (LexiconHitDetails & { atSec: number }) | null;
  after: (LexiconHitDetails & { atSec: number }) | null;
}
export type RateFlag = 'ok' | 'too_fast' | 'too_slow';
export interface SpeechRateDetails {
  /** one turn, or the whole call per language */
  scope: 'turn' | 'call';
  text: string;
  entryId: null;
  category: 'speech_rate';
  confidence: number;
  language: 'zh' | 'en';
  rate: number;
  unit: 'chars_per_min' | 'words_per_min';
  units: number;
  speakingSec: number;
  flag: RateFlag;
  tooFastPerMin: number;
  tooSlowPerMin: number;
}

/**
 * A span of personal data (src/privacy): never the text itself. Where in the segment it is can be found again
 * from the stored text; `maskedInStore` says whether the stored transcript already holds the label.
 */
export interface PiiDetails {
  category: 'mobile' | 'landline' | 'id_card' | 'bank_card' | 'us_phone' | 'ssn' | 'email' | 'address';
  segmentIndex: number;
  /** 'words': timed by the engine's word timings; 'estimated': by position within the segment */
  timing: 'words' | 'estimated';
  maskedInStore: boolean;
  confidence: number;
}

/** The detail shape of each event type. Adding an event type means adding it here (and to event-types.ts). */
export interface EventDetailsByType {
  silence: SilenceDetails;
  hold: HoldDetails;
  backchannel: BackchannelDetails;
  talk_over: TalkOverDetails;
  greeting: GreetingDetails;
  missing_greeting: MissingGreetingDetails;
  late_greeting: LateGreetingDetails;
  closing: ClosingDetails;
  missing_closing: MissingClosingDetails;
  self_identification: SelfIdentificationDetails;
  late_self_identification: LateSelfIdentificationDetails;
  missing_self_identification: MissingSelfIdentificationDetails;
  banned_phrase: LexiconHitDetails;
  filler: LexiconHitDetails;
  politeness: PerSegmentDetails;
  apology: ApologyDetails;
  thanks: ThanksDetails;
  hold_etiquette: HoldEtiquetteDetails;
  customer_escalation: CustomerEscalationDetails;
  speech_rate: SpeechRateDetails;
  pii: PiiDetails;
}

export type EventType = keyof EventDetailsByType;
export type EventDetails<T extends EventType = EventType> = EventDetailsByType[T];

/** The event of one type. */
export interface EventOf<T extends EventType> {
  type: T;
  /** who the event is about (the interrupter for talk_over, the holder for hold); null when nobody in particular */
  speaker: Who | null;
  /** seconds from the start of the recording */
  start: number;
  end: number;
  details: EventDetailsByType[T];
}

/** A finding on the call timeline: one member per event type (switch on `type` to read its details). */
export type CallEvent = { [T in EventType]: EventOf<T> }[EventType];

/** Narrows an event to one type (or one of several). */
export function isEventOf<T extends EventType>(e: CallEvent, ...types: T[]): e is Extract<CallEvent, { type: T }> {
  return (types as string[]).includes(e.type);
}

// Compile-time totality: every listed audio/text event type has a detail shape, and nothing else does.
type Missing = Exclude<AudioEventType | TextEventType, EventType> | Exclude<EventType, AudioEventType | TextEventType>;
const totality: [Missing] extends [never] ? true : Missing = true;
void totality;

/** The details of an event a lexicon matched (it carries the matched text and the entry), else undefined. */
function lexiconDetails(e: CallEvent) {
  switch (e.type) {
    case 'silence':
    case 'hold':
    case 'backchannel':
    case 'talk_over':
    case 'pii':
      return undefined;
    default:
      return e.details;
  }
}

/** The fields a rule reads from any event, typed per event kind (no `typeof` probing). */
export function eventText(e: CallEvent): string | undefined {
  return lexiconDetails(e)?.text || undefined;
}

export function eventEntryId(e: CallEvent): string | undefined {
  return lexiconDetails(e)?.entryId || undefined;
}

export function eventCategory(e: CallEvent): string | undefined {
  switch (e.type) {
    case 'silence':
    case 'hold':
    case 'backchannel':
    case 'talk_over':
      return undefined;
    case 'pii':
      return `pii.${e.details.category}`;
    default:
      return e.details.category || undefined;
  }
}

/** Detector confidence 0..1; audio events are measurements, confidence 1. */
export function eventConfidence(e: CallEvent): number {
  switch (e.type) {
    case 'silence':
    case 'hold':
    case 'backchannel':
    case 'talk_over':
      return 1;
    default:
      return e.details.confidence;
  }
}

/** The event's length in seconds as its detector measured it (dead air, hold, backchannel), else end - start. */
export function eventDurationSec(e: CallEvent): number {
  switch (e.type) {
    case 'silence':
    case 'hold':
    case 'backchannel':
      return e.details.durationSec;
    default:
      return e.end - e.start;
  }
}

/** Every event type, audio first (docs/report-schema.md): the two lists of event-types.ts (the totality check above keeps them equal to EventDetailsByType's keys). */
export const EVENT_TYPES: readonly EventType[] = [...AUDIO_EVENT_TYPES, ...TEXT_EVENT_TYPES];

export function isEventType(t: string): t is EventType {
  return (EVENT_TYPES as readonly string[]).includes(t);
}

/**
 * An event as hand-written data gives it (pipeline examples files, tests): only the detail fields the
 * writer cared about.
 */
export interface LooseEvent {
  type: string;
  speaker: Who | null;
  start: number;
  end: number;
  details?: Record<string, unknown>;
}

/**
 * A hand-written event made whole: the detail fields rules read get the value a detector would have given
 * when the writer left them out (durations from the span, confidence 1, no quote, no entry). Detectors
 * never go through here: they build complete events, checked by the compiler. Throws on an unknown type.
 */
export function completeEvent(e: LooseEvent): CallEvent {
  if (!isEventType(e.type)) throw new Error(`unknown event type "${e.type}" (known: ${EVENT_TYPES.join(', ')})`);
  const span = e.end - e.start;
  const d = e.details ?? {};
  let defaults: Record<string, unknown>;
  switch (e.type) {
    case 'silence':
      defaults = { durationSec: span, after: null };
      break;
    case 'hold':
      defaults = { durationSec: span, customerSpokeSec: null };
      break;
    case 'backchannel':
      defaults = { durationSec: span };
      break;
    case 'talk_over':
      defaults = { overlapSec: span, interrupted: e.speaker === 'agent' ? 'customer' : 'agent' };
      break;
    case 'pii':
      defaults = { category: 'mobile', segmentIndex: 0, timing: 'estimated', maskedInStore: false, confidence: 1 };
      break;
    default:
      defaults = { text: '', entryId: null, category: '', confidence: 1 };
  }
  return { type: e.type, speaker: e.speaker, start: e.start, end: e.end, details: { ...defaults, ...d } } as unknown as CallEvent;
}
