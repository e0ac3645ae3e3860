import type { CallEvent } from '../../core/types.js';
import { agentSegments, hitEvent, hitsOf, round2, withoutBareUtterances, type TextContext } from './context.js';

/**
 * 口语 / fillers in agent speech: one event per hit, plus the count and the rate per agent minute. A phrase that does
 * not count alone (`countsAlone: false`: 嗯) is no filler when it is all the utterance says (an acknowledgement).
 */
export function detectFillers(ctx: TextContext): { events: CallEvent[]; metrics: Record<string, number | null> } {
  const hits = withoutBareUtterances(hitsOf(ctx, 'filler', 'agent'));
  const agentSpeechSec = agentSegments(ctx).reduce((t, s) => t + Math.max(0, s.end - s.start), 0);
  return {
    events: hits.map((h) => hitEvent('filler', h)),
    metrics: {
      fillerCount: hits.length,
      fillerPerAgentMin: agentSpeechSec > 0 ? round2(hits.length / (agentSpeechSec / 60)) : null,
    },
  };
}
