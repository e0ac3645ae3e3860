import type { CallEvent } from '../../core/types.js';
import type { TranscriptHit } from '../../lexicon/matcher.js';
import { hitsOf, perSegmentEvents, round2, type TextContext } from './context.js';

/**
 * 致歉语 in agent speech, one event per utterance. Each `apology` says whether it followed a customer complaint or escalation within
 * apologyWindowSec (followsComplaint, complaintAtSec). The reverse signal — a complaint with no apology — is
 * on the customer_escalation event (apologised: false) and in metrics.complaintsUnapologised; scoring rules
 * decide what a missing apology costs.
 */
export function detectApologies(ctx: TextContext): CallEvent[] {
  const complaints = hitsOf(ctx, 'escalation', 'customer').filter((h) => h.speaker !== 'unknown');
  return perSegmentEvents('apology', hitsOf(ctx, 'apology', 'agent'), (h) => {
    const c = lastBefore(complaints, h.start, ctx.params.apologyWindowSec);
    return { followsComplaint: !!c, complaintAtSec: c ? round2(c.start) : null, complaintEntryId: c ? c.entry.id : null };
  });
}

export function lastBefore(hits: readonly TranscriptHit[], t: number, windowSec: number): TranscriptHit | undefined {
  let best: TranscriptHit | undefined;
  for (const h of hits) if (h.start <= t && t - h.start <= windowSec && (!best || h.start > best.start)) best = h;
  return best;
}
