import type { CallEvent } from '../../core/types.js';
import { hanCount, latinWordCount } from '../../lexicon/prepare.js';
import { absenceEvent, agentSegments, hitEvent, hitsOf, round2, withoutBareUtterances, type TextContext } from './context.js';

/** an utterance of at most this many words (characters) around a bare "hello" only picks up the line */
const PICKUP_MAX_UNITS = 3;
const units = (text: string) => hanCount(text) + latinWordCount(text);

/**
 * 开头语: the first greeting-lexicon hit in agent speech that starts within greetingSearchSec of when the call
 * connects (ctx.connectSec: ringing, an IVR or the queue may come before it; or the entry's own withinSec; a "hello" that only picks up the line yields to a full opening later in the
 * window). One `greeting` per call; `late_greeting` as well when it starts after
 * lateGreetingSec of the connection; `missing_greeting` with the agent's first utterances when there is none. No agent speech at
 * all: nothing (not applicable).
 */
export function detectGreeting(ctx: TextContext): CallEvent[] {
  const agent = agentSegments(ctx);
  if (agent.length === 0) return [];
  const p = ctx.params;
  const t0 = ctx.connectSec;
  const inWindow = hitsOf(ctx, 'greeting', 'agent').filter((h) => h.start - t0 <= (h.entry.withinSec ?? p.greetingSearchSec));
  const sorted = withoutBareUtterances(inWindow).sort((a, b) => a.start - b.start || b.confidence - a.confidence);
  // a "hello" that only picks up the line ("hello yeah", "hello sir", "hello hello?") before a full opening later in
  // the window is not the opening: the full one is (late if after lateGreetingSec)
  const pickup = (h: (typeof sorted)[number]) => h.entry.countsAlone === false && units(ctx.segments[h.segmentIndex].text) <= PICKUP_MAX_UNITS;
  const hit = sorted.length > 1 && pickup(sorted[0]) ? (sorted.find((h) => !pickup(h) && h.entry.countsAlone !== false) ?? sorted[0]) : sorted[0];
  const firstAgentSpeechSec = agent[0].start;
  if (!hit) {
    const shown = agent.slice(0, p.evidenceUtterances);
    return [absenceEvent('missing_greeting', 'greeting', shown, { firstAgentSpeechSec, searchedUntilSec: round2(t0 + p.greetingSearchSec), connectSec: t0 })];
  }
  const late = hit.start - t0 > p.lateGreetingSec;
  const out: CallEvent[] = [hitEvent('greeting', hit, { late, firstAgentSpeechSec, connectSec: t0 })];
  if (late) {
    out.push(
      hitEvent('late_greeting', hit, {
        greetingAtSec: round2(hit.start),
        firstAgentSpeechSec,
        thresholdSec: p.lateGreetingSec,
        connectSec: t0,
        delaySec: round2(hit.start - t0 - p.lateGreetingSec),
      }),
    );
  }
  return out;
}
