import type { CallEvent } from '../../core/types.js';
import { hitsOf, perSegmentEvents, round2, type TextContext } from './context.js';
import { complaintHits } from './customer-escalation.js';

/**
 * 致歉语 in agent speech, one event per utterance. Each `apology` says whether it followed a customer complaint, escalation or
 * venting within
 * apologyWindowSec (followsComplaint, complaintAtSec). The reverse signal — a complaint with no apology — is
 * on the customer_escalation event (apologised: false) and in metrics.complaintsUnapologised; scoring rules
 * decide what a missing apology costs.
 */
export function detectApologies(ctx: TextContext): CallEvent[] {
  const complaints = complaintHits(ctx).filter((h) => h.speaker !== 'unknown');
  // apologies arrive in utterance order: the latest complaint at or before each is tracked by a moving pointer
  let ci = 0;
  return perSegmentEvents('apology', hitsOf(ctx, 'apology', 'agent'), (h) => {
    while (ci < complaints.length && complaints[ci].start <= h.start) ci++;
    const last = ci > 0 ? complaints[ci - 1] : undefined;
    const c = last && h.start - last.start <= ctx.params.apologyWindowSec ? last : undefined;
    return { followsComplaint: !!c, complaintAtSec: c ? round2(c.start) : null, complaintEntryId: c ? c.entry.id : null };
  });
}
