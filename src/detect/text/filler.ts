import type { CallEvent } from '../../core/types.js';
import { agentSegments, bareUtterance, hitEvent, hitsOf, round2, type TextContext } from './context.js';

/**
 * 口语 / fillers in agent speech: one event per hit, plus the count and the rate per agent minute. A phrase that does
 * not count alone (`countsAlone: false`: 嗯) is no filler when it is all the utterance says (an acknowledgement).
 */
export function detectFillers(ctx: TextContext): { events: CallEvent[]; metrics: Record<string, number | null> } {
  const all = hitsOf(ctx, 'filler', 'agent');
  const hits = all.filter((h) => !(h.entry.countsAlone === false && bareUtterance(h, all)));
  const agentSpeechSec = agentSegments(ctx).reduce((t, s) => t + Math.max(0, s.end - s.start), 0);
  return {
    events: hits.map((h) => hitEvent('filler', h)),
    metrics: {
      fillerCount: hits.length,
      fillerPerAgentMin: agentSpeechSec > 0 ? round2(hits.length / (agentSpeechSec / 60)) : null,
    },
  };
}
