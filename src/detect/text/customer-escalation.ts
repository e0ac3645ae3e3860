import type { CallEvent } from '../../core/types.js';
import { hitsOf, perSegmentEvents, round2, type TextContext } from './context.js';

/**
 * Customer complaint / escalation words (投诉, 12315, 找你们领导, supervisor), one event per customer
 * utterance (`kinds` lists complaint / escalation / regulator). Each event says whether the
 * agent apologised within apologyWindowSec afterwards (apologised, apologyAtSec) — the missing-apology signal
 * scoring rules use (000 第三篇 三、4 致歉語「用戶不滿時，及時表示歉意」).
 */
export function detectCustomerEscalation(ctx: TextContext): { events: CallEvent[]; metrics: Record<string, number> } {
  const apologies = hitsOf(ctx, 'apology', 'agent').filter((h) => h.speaker !== 'unknown');
  const w = ctx.params.apologyWindowSec;
  const events = perSegmentEvents('customer_escalation', hitsOf(ctx, 'escalation', 'customer'), (h, group) => {
    const a = apologies.filter((x) => x.start >= h.start && x.start - h.start <= w).sort((x, y) => x.start - y.start)[0];
    const kinds = [...new Set(group.map((g) => g.entry.kind).filter((k): k is string => !!k))];
    return { kinds, apologised: !!a, apologyAtSec: a ? round2(a.start) : null };
  });
  return {
    events,
    metrics: { escalationCount: events.length, complaintsUnapologised: events.filter((e) => !e.details.apologised).length },
  };
}
