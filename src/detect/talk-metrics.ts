import { mergeSpans, round, spanDuration, unionSpans, complementSpans } from '../core/spans.js';
import type { CallMetrics, SpeechTimeline } from '../core/types.js';

/**
 * Talk-time metrics (pure): speaking time per side, talk ratio (agent share of all talk), longest
 * monologue (longest turn with pauses up to `turnMergeGapSec` merged), time to first agent speech,
 * silence and hold totals.
 */
export function talkMetrics(tl: SpeechTimeline, turnMergeGapSec: number): CallMetrics {
  const agent = tl.channels.find((c) => c.speaker === 'agent');
  const customer = tl.channels.find((c) => c.speaker === 'customer');
  const all = unionSpans(...tl.channels.map((c) => c.speech));
  const talk = spanDuration(all);
  const m: CallMetrics = {
    speechSec: round(talk),
    holdSec: round(spanDuration(tl.hold)),
    silenceSec: round(spanDuration(complementSpans(unionSpans(all, tl.hold), 0, tl.durationSec))),
  };
  let longest = 0;
  let longestBy: string | null = null;
  for (const c of tl.channels) {
    for (const t of mergeSpans(c.speech, turnMergeGapSec)) {
      if (t.end - t.start > longest) {
        longest = t.end - t.start;
        longestBy = c.speaker;
      }
    }
  }
  m.longestMonologueSec = round(longest);
  m.longestMonologueBy = longestBy;
  if (agent && customer) {
    const a = spanDuration(agent.speech);
    const c = spanDuration(customer.speech);
    m.agentTalkSec = round(a);
    m.customerTalkSec = round(c);
    m.talkRatio = a + c > 0 ? round(a / (a + c), 3) : null;
    m.timeToFirstAgentSpeechSec = agent.speech.length ? round(agent.speech[0].start) : null;
  } else {
    m.agentTalkSec = null;
    m.customerTalkSec = null;
    m.talkRatio = null;
    m.timeToFirstAgentSpeechSec = null;
  }
  return m;
}
