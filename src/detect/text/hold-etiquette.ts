import type { CallEvent } from '../../core/types.js';
import type { TranscriptHit } from '../../lexicon/matcher.js';
import { hitDetails, hitsOf, round2, type TextContext } from './context.js';

/** tolerance for hit times interpolated inside a segment that straddles the hold boundary */
const EDGE_SLACK_SEC = 2;

/**
 * 等待用语: one `hold_etiquette` per hold span — did the agent ask before (等待前用语, holdBeforeSec before the
 * hold) and thank or apologise after (等待后用语, holdAfterSec after it)? No hold spans: no events (scoring
 * treats the item as not applicable).
 */
export function detectHoldEtiquette(ctx: TextContext): CallEvent[] {
  const p = ctx.params;
  const hold = hitsOf(ctx, 'hold', 'agent');
  const before = hold.filter((h) => h.entry.kind === 'before');
  const after = hold.filter((h) => h.entry.kind === 'after');
  return ctx.holdSpans.map((span) => {
    const asked = before
      .filter((h) => h.end <= span.start + EDGE_SLACK_SEC && span.start - h.end <= p.holdBeforeSec)
      .sort((a, b) => b.end - a.end)[0];
    const thanked = after
      .filter((h) => h.start >= span.end - EDGE_SLACK_SEC && h.start - span.end <= p.holdAfterSec)
      .sort((a, b) => a.start - b.start)[0];
    const found = [asked, thanked].filter((h): h is TranscriptHit => !!h);
    const speaker = found[0]?.speaker ?? 'agent';
    const brief = (h: TranscriptHit | undefined) => (h ? { ...hitDetails(h), atSec: round2(h.start) } : null);
    return {
      type: 'hold_etiquette',
      speaker,
      start: span.start,
      end: span.end,
      details: {
        text: found.map((h) => h.text).join(' / '),
        entryId: (asked ?? thanked)?.entry.id ?? null,
        category: 'hold',
        confidence: found.length ? Math.min(...found.map((h) => h.confidence)) : 1,
        holdSec: round2(span.end - span.start),
        askedBefore: !!asked,
        thankedAfter: !!thanked,
        ok: !!asked && !!thanked,
        before: brief(asked),
        after: brief(thanked),
      },
    } satisfies CallEvent;
  });
}
