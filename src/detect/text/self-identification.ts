import type { CallEvent } from '../../core/types.js';
import type { TranscriptHit } from '../../lexicon/matcher.js';
import { absenceEvent, agentSegments, hitDetails, hitsOf, type TextContext } from './context.js';

/**
 * 明确身份 / 报工号: within selfIdWithinSec (15 s, 001 电话营销代表质检评分标准 3.1.3) of connection the agent
 * names the organisation and the staff number. Every part in selfIdRequire (lexicon `kind`s) must be heard:
 * then `self_identification`, else `missing_self_identification` listing what was and was not heard.
 */
export function detectSelfIdentification(ctx: TextContext): CallEvent[] {
  const agent = agentSegments(ctx);
  if (agent.length === 0) return [];
  const p = ctx.params;
  const inWindow = hitsOf(ctx, 'self_identification', 'agent')
    .filter((h) => h.start <= (h.entry.withinSec ?? p.selfIdWithinSec))
    .sort((a, b) => a.start - b.start);
  const parts = new Map<string, TranscriptHit>();
  for (const h of inWindow) if (h.entry.kind && !parts.has(h.entry.kind)) parts.set(h.entry.kind, h);
  const missingParts = p.selfIdRequire.filter((k) => !parts.has(k));
  const partDetails = Object.fromEntries([...parts].map(([k, h]) => [k, hitDetails(h)]));
  if (missingParts.length === 0) {
    const found = [...parts.values()].sort((a, b) => a.start - b.start);
    const first = found[0];
    const texts = [...new Set(found.map((h) => h.text))];
    return [
      {
        type: 'self_identification',
        speaker: first.speaker,
        start: first.start,
        end: Math.max(...found.map((h) => h.end)),
        details: {
          ...hitDetails(parts.get(p.selfIdRequire[0]) ?? first),
          text: texts.join(' / '),
          confidence: Math.min(...found.map((h) => h.confidence)),
          parts: partDetails,
          withinSec: p.selfIdWithinSec,
        },
      },
    ];
  }
  const shown = agent.filter((s) => s.start <= p.selfIdWithinSec).slice(0, p.evidenceUtterances);
  const ev = shown.length ? shown : agent.slice(0, 1);
  return [absenceEvent('missing_self_identification', 'self_identification', ev, { missingParts, parts: partDetails, withinSec: p.selfIdWithinSec })];
}
