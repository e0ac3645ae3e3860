import type { CallEvent } from '../../core/types.js';
import { hitsOf, perSegmentEvents, type TextContext } from './context.js';

/**
 * 礼貌用语 in agent speech. Entries with `emit: count` (您, used in nearly every sentence) only feed the
 * politenessTermCount metric; the others are events.
 */
export function detectPoliteness(ctx: TextContext): { events: CallEvent[]; metrics: Record<string, number> } {
  const hits = hitsOf(ctx, 'politeness', 'agent');
  const shown = hits.filter((h) => h.entry.emit === 'event');
  return {
    events: perSegmentEvents('politeness', shown),
    metrics: { politenessCount: shown.length, politenessTermCount: hits.length - shown.length },
  };
}
