import type { CallEvent, TranscriptSegment } from '../../core/types.js';
import { hanCount, latinWordCount } from '../../lexicon/prepare.js';
import type { TranscriptHit } from '../../lexicon/matcher.js';
import { absenceEvent, agentSegments, hitEvent, hitsOf, isAgentSide, type TextContext } from './context.js';

/**
 * 结束语 (003 二(一)1.4「感谢您的来电/祝您愉快/祝您晚安，再见！」): the agent's closing, in the agent's final turn.
 *
 * - Final: the last agent turn (agent utterances with no customer speech between them). Short exchanges after a
 *   closing (the customer's own 谢谢/拜拜, the agent's 不客气), each at most closingTrailingMaxUnits characters or
 *   words, are stepped over; a closing followed by more business is not the closing.
 * - The agent's: customer speech never counts (a customer's "bye" ends nothing for the agent), and hallucinated
 *   segments were removed before (runTextDetectors).
 * - Complete: a bare farewell (`kind: farewell`: 再见 / 拜拜 / bye) is a closing only with another closing phrase
 *   in the final turn, or with thanks or a courtesy (不客气, "you're welcome") said in the same run of agent speech
 *   ("ok bye" is not 003's 结束语, nor is "thanks for confirming" … the customer's "thanks bye" … "bye").
 * - Within closingWindowSec of the end of the agent's last utterance.
 * `missing_closing` quotes the agent's last utterances.
 */
export function detectClosing(ctx: TextContext): CallEvent[] {
  const agent = agentSegments(ctx);
  if (agent.length === 0) return [];
  const p = ctx.params;
  let lastAgentEndSec = -Infinity;
  for (const s of agent) lastAgentEndSec = Math.max(lastAgentEndSec, s.end);

  const turn = finalTurnSegments(ctx.segments, p.closingTrailingMaxUnits);
  const inTurn = (h: TranscriptHit) => turn.has(h.segmentIndex);
  const closings = hitsOf(ctx, 'closing', 'agent').filter(
    (h) => inTurn(h) && h.end >= lastAgentEndSec - (h.entry.withinSec ?? p.closingWindowSec),
  );
  // a farewell is completed by thanks or a courtesy said with it, in the same run of agent speech: "thanks for
  // confirming" / "bye" across the customer's own "thanks bye" is business thanks and a bare bye, not a closing
  const run = runOf(ctx.segments);
  const farewellRuns = new Set(closings.filter((h) => h.entry.kind === 'farewell').map((h) => run[h.segmentIndex]));
  const withFarewell = (h: TranscriptHit) => inTurn(h) && farewellRuns.has(run[h.segmentIndex]);
  const courtesy = () => hitsOf(ctx, 'thanks', 'agent').some(withFarewell) || hitsOf(ctx, 'politeness', 'agent').some((h) => withFarewell(h) && h.entry.emit === 'event');
  const complete = closings.some((h) => h.entry.kind !== 'farewell') || (closings.length > 0 && courtesy());
  const hit = complete ? closings.sort((a, b) => b.end - a.end || b.confidence - a.confidence)[0] : undefined;
  if (hit) {
    // a closing said, then only goodbyes ("thanks a million for calling, enjoy your day" … "bye bye"): the
    // closing is the formula, and its evidence runs on to the last goodbye
    const formula = hit.entry.kind === 'farewell' ? closings.filter((h) => h.entry.kind !== 'farewell').sort((a, b) => b.end - a.end)[0] : undefined;
    const ev = hitEvent('closing', formula ?? hit, { lastAgentEndSec });
    return [formula ? { ...ev, end: Math.max(ev.end, hit.end) } : ev];
  }
  const shown = agent.slice(-p.evidenceUtterances);
  return [absenceEvent('missing_closing', 'closing', shown, { lastAgentEndSec, windowSec: p.closingWindowSec })];
}

/** each segment's run: consecutive segments of one side share a number */
function runOf(segments: readonly TranscriptSegment[]): number[] {
  const out: number[] = [];
  let n = 0;
  segments.forEach((s, i) => {
    if (i > 0 && isAgentSide(s.speaker) !== isAgentSide(segments[i - 1].speaker)) n++;
    out.push(n);
  });
  return out;
}

function units(s: TranscriptSegment): number {
  return hanCount(s.text) + latinWordCount(s.text);
}

/**
 * Indexes (into the sorted segments) of the agent's final turn: the last run of agent-side segments, extended back
 * over short trailing exchanges — while the run so far is all short and the customer speech just before it is
 * short too, the previous agent run belongs to the final turn.
 */
export function finalTurnSegments(segments: readonly TranscriptSegment[], maxUnits: number): Set<number> {
  const out = new Set<number>();
  let i = segments.length - 1;
  while (i >= 0 && !isAgentSide(segments[i].speaker)) i--;
  while (i >= 0) {
    let allShort = true;
    while (i >= 0 && isAgentSide(segments[i].speaker)) {
      out.add(i);
      if (units(segments[i]) > maxUnits) allShort = false;
      i--;
    }
    if (!allShort) break;
    // the customer speech before this short agent run: step over it only if it is short as well
    let j = i;
    let customerShort = true;
    while (j >= 0 && !isAgentSide(segments[j].speaker)) {
      if (units(segments[j]) > maxUnits) customerShort = false;
      j--;
    }
    if (!customerShort || j < 0) break;
    i = j;
  }
  return out;
}
