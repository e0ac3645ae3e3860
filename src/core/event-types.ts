/** Event types of the report (docs/report-schema.md), shared by the detectors that emit them and the rules that read them. */

/** Emitted by the audio detectors (issue 3); they need the speech timeline. */
export const AUDIO_EVENT_TYPES = ['silence', 'talk_over', 'backchannel', 'hold'] as const;
export type AudioEventType = (typeof AUDIO_EVENT_TYPES)[number];

/** Emitted by the text detectors (issue 5); they need a transcript (docs/lexicons.md documents each one). */
export const TEXT_EVENT_TYPES = [
  'greeting',
  'missing_greeting',
  'late_greeting',
  'closing',
  'missing_closing',
  'self_identification',
  'late_self_identification',
  'missing_self_identification',
  'banned_phrase',
  'filler',
  'politeness',
  'apology',
  'thanks',
  'hold_etiquette',
  'customer_escalation',
  'speech_rate',
  /** personal data (src/privacy): category, speaker and time, never the text */
  'pii',
] as const;
export type TextEventType = (typeof TEXT_EVENT_TYPES)[number];
