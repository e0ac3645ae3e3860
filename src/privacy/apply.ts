/**
 * What the transcribe stage does with personal data before the transcript goes anywhere: find it, mask what
 * must not be stored (everything when redacting, card numbers always), and emit one `pii` finding per span
 * (category, speaker, time, where in the segment; never the text itself). Pure.
 */
import type { CallEvent } from '../core/events.js';
import type { Transcript } from '../core/types.js';
import type { PrivacyConfig } from './config.js';
import { ALWAYS_MASKED, findPiiInTranscript, maskTranscript, type PiiFinding } from './transcript.js';

export interface PrivacyResult {
  transcript: Transcript;
  events: CallEvent[];
  findings: PiiFinding[];
  /** spans masked in the transcript that will be stored */
  maskedCount: number;
}

export function applyPrivacy(t: Transcript, cfg: PrivacyConfig, redact: boolean): PrivacyResult {
  const wanted = new Set(cfg.categories);
  const findings = findPiiInTranscript(t, { companyNumbers: cfg.companyNumbers }).filter(
    (f) => wanted.has(f.category) || ALWAYS_MASKED.includes(f.category),
  );
  const toMask = findings.filter((f) => redact || ALWAYS_MASKED.includes(f.category));
  const masked = maskTranscript(t, toMask);
  const maskedSet = new Set(toMask);
  const events: CallEvent[] = findings.map((f) => ({
    type: 'pii',
    speaker: f.speaker,
    start: f.start,
    end: f.end,
    details: {
      category: f.category,
      segmentIndex: f.segment,
      timing: f.timing,
      maskedInStore: maskedSet.has(f),
      confidence: 1,
    },
  }));
  return { transcript: masked, events, findings, maskedCount: toMask.length };
}
