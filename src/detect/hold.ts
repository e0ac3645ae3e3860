import { intersectSpans, mergeSpans, round, spanDuration } from '../core/spans.js';
import type { CallEvent, SpeechTimeline } from '../core/types.js';

/** Hold events from the timeline's hold spans (music/tone on the agent channel while the customer waits). */
export function detectHold(tl: SpeechTimeline): CallEvent[] {
  const customer = tl.channels.find((c) => c.speaker === 'customer');
  return tl.hold.map((h) => ({
    type: 'hold',
    speaker: tl.channels.some((c) => c.speaker === 'agent') ? 'agent' : null,
    start: round(h.start),
    end: round(h.end),
    details: {
      durationSec: round(h.end - h.start),
      customerSpokeSec: customer ? round(spanDuration(intersectSpans(mergeSpans(customer.speech), [h]))) : null,
    },
  }));
}
