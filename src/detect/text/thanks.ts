import type { CallEvent } from '../../core/types.js';
import { hitsOf, perSegmentEvents, round2, type TextContext } from './context.js';

/**
 * 致谢语 in agent speech, one event per utterance. `afterHold` marks the first thanks within holdAfterSec of the end
 * of a hold
 * (000 第二篇 應該做 (13)「如讓客戶等待，則應表示感謝」); whether each hold got its thanks is on hold_etiquette.
 */
export function detectThanks(ctx: TextContext): CallEvent[] {
  const p = ctx.params;
  const hits = hitsOf(ctx, 'thanks', 'agent');
  // the first thanks after each hold (within holdAfterSec) is the thanks for waiting
  const afterHold = new Map<number, number>();
  for (const s of ctx.holdSpans) {
    const first = hits.filter((h) => h.start >= s.end - 2 && h.start - s.end <= p.holdAfterSec).sort((a, b) => a.start - b.start)[0];
    if (first) afterHold.set(first.segmentIndex, s.end);
  }
  return perSegmentEvents('thanks', hits, (h) => {
    const end = afterHold.get(h.segmentIndex);
    return { afterHold: end !== undefined, holdEndSec: end !== undefined ? round2(end) : null };
  });
}
