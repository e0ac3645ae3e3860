import type { CallMetadata, SpeechTimeline, TranscriptSegment } from './types.js';

/**
 * When the call connects, in seconds from the start of the recording: what "greet within 8 s", "identify within
 * 15 s" and a rule's `window: { firstSec }` count from. Contact-centre recordings often start before the call is
 * answered (ringing, an IVR menu, the queue), so the start of the file is not it. In order:
 * 1. the call metadata's `answeredAtSec` (the platform's answer/connect time within the recording), when given;
 * 2. the first speech in the transcript, on either side (agent, customer, or a mono recording's one channel),
 *    of the segments the caller passes (the text detectors pass those they kept: no hallucinations, no
 *    unlabelled IVR prompts);
 * 3. else the first speech on any channel of the voice-activity timeline;
 * 4. else 0, the start of the recording.
 * Pure: no I/O. A customer who talks first while the agent stays silent connects the call at their first word.
 */
export function callConnectSec(input: {
  metadata?: CallMetadata | null;
  segments?: readonly Pick<TranscriptSegment, 'start'>[] | null;
  timeline?: Pick<SpeechTimeline, 'channels'> | null;
}): number {
  const answered = input.metadata?.answeredAtSec;
  if (typeof answered === 'number' && Number.isFinite(answered) && answered >= 0) return answered;
  let first = Infinity;
  for (const s of input.segments ?? []) if (Number.isFinite(s.start)) first = Math.min(first, s.start);
  if (first !== Infinity) return Math.max(0, first);
  for (const c of input.timeline?.channels ?? []) for (const sp of c.speech) first = Math.min(first, sp.start);
  return first === Infinity ? 0 : Math.max(0, first);
}
