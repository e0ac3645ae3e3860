import { complementSpans, round, unionSpans } from '../core/spans.js';
import type { CallEvent, Speaker, SpeechTimeline } from '../core/types.js';

export interface SilenceParams {
  /** both sides silent at least this long is dead air (seconds) */
  deadAirMinSec: number;
}

/**
 * Dead air: nobody speaks and nothing is on hold, for at least `deadAirMinSec`, between the first and the
 * last speech of the call (silence before anyone speaks or after the last word is ringing or hang-up,
 * reported as metrics, not as dead air). Hold is never dead air.
 */
export function detectSilence(tl: SpeechTimeline, p: SilenceParams): CallEvent[] {
  const speech = unionSpans(...tl.channels.map((c) => c.speech));
  if (speech.length === 0) return [];
  const from = speech[0].start;
  const to = speech[speech.length - 1].end;
  const busy = unionSpans(speech, tl.hold);
  return complementSpans(busy, from, to)
    .filter((g) => g.end - g.start >= p.deadAirMinSec)
    .map((g) => {
      const before = lastSpeakerBefore(tl, g.start);
      return {
        type: 'silence',
        speaker: null,
        start: round(g.start),
        end: round(g.end),
        details: { durationSec: round(g.end - g.start), after: before },
      };
    });
}

/** Who spoke last before time t: the side the silence follows. */
function lastSpeakerBefore(tl: SpeechTimeline, t: number): Speaker | null {
  let best: Speaker | null = null;
  let bestEnd = -Infinity;
  for (const c of tl.channels) {
    for (const s of c.speech) {
      if (s.end <= t + 1e-6 && s.end > bestEnd) {
        bestEnd = s.end;
        best = c.speaker;
      }
    }
  }
  return best;
}
