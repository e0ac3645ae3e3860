import type { CallEvent } from '../../core/types.js';
import { hitsOf, perSegmentEvents, round2, type TextContext } from './context.js';

/**
 * 致谢语 in agent speech, one event per utterance. `afterHold` marks thanks within holdAfterSec of the end of a hold
 * (000 第二篇 應該做 (13)「如讓客戶等待，則應表示感謝」); whether each hold got its thanks is on hold_etiquette.
 */
export function detectThanks(ctx: TextContext): CallEvent[] {
  const p = ctx.params;
  return perSegmentEvents('thanks', hitsOf(ctx, 'thanks', 'agent'), (h) => {
    const hold = ctx.holdSpans.find((s) => h.start >= s.end - 2 && h.start - s.end <= p.holdAfterSec);
    return { afterHold: !!hold, holdEndSec: hold ? round2(hold.end) : null };
  });
}
