import type { CallEvent, EventOf } from '../../core/types.js';
import { bannedModel } from './banned-model.js';
import { classifierDetails, scoreUtterance, type UtteranceModel } from './utterance-model.js';
import { hitEvent, hitsOf, type TextContext } from './context.js';

/**
 * 服务禁语: every banned-lexicon hit in agent speech. Customers' words never count (the matcher keeps the
 * entry's role); exceptions (我听不清楚 in the 003 script) and quotes of the customer were removed by the matcher.
 *
 * Then the classifier's second opinion (banned-model.ts): an utterance labelled as the agent's that no phrase matched is
 * reported when the model gives it at least `bannedModelThreshold` (kind `model`, confidence = the probability,
 * `matched` = the n-grams that weighed most): a draft finding for the inspector to confirm, as every finding is.
 */
export function detectBannedPhrases(ctx: TextContext, model: UtteranceModel = bannedModel()): CallEvent[] {
  const events: CallEvent[] = hitsOf(ctx, 'banned', 'agent').map((h) => hitEvent('banned_phrase', h));
  const threshold = ctx.params.bannedModelThreshold;
  if (threshold >= 1) return events;
  const matched = new Set(events.map((e) => (e.details as { segmentIndex: number }).segmentIndex));
  ctx.segments.forEach((seg, i) => {
    // only speech known to be the agent's: in a mono recording the customer's angry words would read as the agent's
    if (matched.has(i) || seg.speaker !== 'agent') return;
    const scored = scoreUtterance(model, seg.text);
    if (scored.p < threshold) return;
    const event: EventOf<'banned_phrase'> = { type: 'banned_phrase', speaker: seg.speaker, start: seg.start, end: seg.end, details: classifierDetails(model, 'banned', seg, i, scored) };
    events.push(event);
  });
  return events.sort((a, b) => a.start - b.start);
}
