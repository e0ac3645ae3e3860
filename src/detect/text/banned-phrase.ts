import type { CallEvent } from '../../core/types.js';
import { hitEvent, hitsOf, type TextContext } from './context.js';

/**
 * 服务禁语: every banned-lexicon hit in agent speech. Customers' words never count (the matcher keeps the
 * entry's role); exceptions (我听不清楚 in the 003 script) and quotes of the customer were removed by the matcher.
 */
export function detectBannedPhrases(ctx: TextContext): CallEvent[] {
  return hitsOf(ctx, 'banned', 'agent').map((h) => hitEvent('banned_phrase', h));
}
