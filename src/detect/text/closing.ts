import type { CallEvent } from '../../core/types.js';
import { absenceEvent, agentSegments, hitEvent, hitsOf, type TextContext } from './context.js';

/**
 * 结束语: the last closing-lexicon hit in agent speech that ends within closingWindowSec of the end of the
 * agent's last (non-hallucinated) utterance. `missing_closing` quotes the agent's last utterances.
 */
export function detectClosing(ctx: TextContext): CallEvent[] {
  const agent = agentSegments(ctx);
  if (agent.length === 0) return [];
  const p = ctx.params;
  const lastAgentEndSec = Math.max(...agent.map((s) => s.end));
  const hit = hitsOf(ctx, 'closing', 'agent')
    .filter((h) => h.end >= lastAgentEndSec - (h.entry.withinSec ?? p.closingWindowSec))
    .sort((a, b) => b.end - a.end || b.confidence - a.confidence)[0];
  if (hit) return [hitEvent('closing', hit, { lastAgentEndSec })];
  const shown = agent.slice(-p.evidenceUtterances);
  return [absenceEvent('missing_closing', 'closing', shown, { lastAgentEndSec, windowSec: p.closingWindowSec })];
}
