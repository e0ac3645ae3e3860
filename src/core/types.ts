/**
 * Core domain types shared by every stage. Times are seconds from the start of the recording.
 * Nothing in here does I/O.
 */

/** Who spoke. `unknown` is a mono recording's only channel. */
export type Speaker = 'agent' | 'customer' | 'unknown';
export const SPEAKERS = ['agent', 'customer', 'unknown'] as const;

export interface TimeSpan {
  /** seconds from the start of the recording */
  start: number;
  /** seconds from the start of the recording, > start */
  end: number;
}

/** Findings on the call timeline: a discriminated union, one typed detail shape per event type. */
export type { CallEvent, EventType, EventOf, EventDetails, EventDetailsByType } from './events.js';

/** Voice activity of one channel. */
export interface ChannelSpeech {
  speaker: Speaker;
  /** sorted, non-overlapping speech spans */
  speech: TimeSpan[];
  /** keypad (DTMF) bursts on this side: not speech, shown so a reader can see what was left out */
  tones?: TimeSpan[];
  /**
   * the decaying ends of speech spans after their last syllable (on a speakerphone, the room ringing on): within
   * `speech`, left out when judging who talks over whom
   */
  tails?: TimeSpan[];
}

/** The speech timeline of a call: one entry per channel (1 for mono, 2 for stereo). */
export interface SpeechTimeline {
  durationSec: number;
  channels: ChannelSpeech[];
  /** non-speech sound judged to be music/tone on hold, on the agent channel */
  hold: TimeSpan[];
}

export interface WordTiming {
  start: number;
  end: number;
  text: string;
  /** token probability where the engine gives one */
  p?: number;
}

export interface TranscriptSegment {
  speaker: Speaker;
  start: number;
  end: number;
  /** the text as the engine or vendor wrote it */
  text: string;
  /** normalised for matching: Simplified Chinese, half-width, case-folded (see transcribe/normalise.ts) */
  normText: string;
  words?: WordTiming[];
  /** mean token probability (0..1) where known */
  confidence?: number;
}

export type TranscriptEngine = 'whisper' | 'sidecar-json' | 'sidecar-vtt' | 'sidecar-srt' | 'sidecar-aws-transcribe' | 'sidecar-aws-call-analytics';

export interface Transcript {
  engine: TranscriptEngine;
  model?: string;
  /** 'zh' | 'en' | other ISO 639-1 code the engine reported */
  language: string;
  segments: TranscriptSegment[];
}

/** Call metadata from sidecars, manifests or flags (all optional). */
export interface CallMetadata {
  callId?: string;
  agentId?: string;
  team?: string;
  direction?: 'inbound' | 'outbound';
  startedAt?: string;
  queue?: string;
  customerNumberMasked?: string;
  /** the customer's id in the call platform or CRM (repeat contacts are matched on it when present) */
  customerId?: string;
  ringSec?: number;
  /**
   * when the call was answered (connected), seconds from the start of the recording: for recordings that start
   * with ringing, an IVR menu or the queue. The greeting and self-identification limits count from it
   * (core/connect.ts); absent: from the first speech on either side
   */
  answeredAtSec?: number;
  /** who ended the call, when the platform says */
  hungUpBy?: 'agent' | 'customer';
  transfers?: number;
  /** which diarisation label (spk_0, Speaker 1, A) of the call's transcript sidecar is the agent */
  agentSpeaker?: string;
  [key: string]: unknown;
}

export interface AudioInfo {
  /** container format as ffprobe names it, e.g. "wav", "mp3", "ogg" */
  format: string;
  /** codec of the first audio stream, e.g. "pcm_s16le", "pcm_mulaw", "opus" */
  codec: string;
  durationSec: number;
  channels: number;
  sampleRate: number;
  bitRate?: number;
  /** how many audio streams the file holds, when more than one (only the first is analysed) */
  audioStreams?: number;
  /** durationSec is the container's (its longest stream's), not the analysed audio stream's own: true when that
   * stream has no length of its own and the file holds other audio or video streams */
  lengthOfContainer?: boolean;
}

/** Numbers per call for the report's `metrics`. */
export type CallMetrics = Record<string, number | string | null | boolean>;
