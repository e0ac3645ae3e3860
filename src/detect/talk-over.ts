import { intersectSpans, mergeSpans, round, subtractSpans } from '../core/spans.js';
import type { CallEvent, Speaker, SpeechTimeline, TimeSpan } from '../core/types.js';

export interface TalkOverParams {
  /** overlap shorter than this is not talk-over (seconds) */
  talkOverMinSec: number;
  /** a listener utterance up to this long, inside the other side's turn, is a backchannel */
  backchannelMaxSec: number;
  /** pauses up to this long inside one side's speech belong to the same turn */
  turnMergeGapSec: number;
}

/** separate acknowledgements are at least this far apart (s); pauses between the words of a sentence are mostly shorter */
const ACK_PAUSE_SEC = 0.4;
/** durations are sums and differences of frame times: compare them with this slack */
const EPS = 1e-6;

interface Turn extends TimeSpan {
  speaker: Speaker;
  /** speech islands that make up the turn */
  parts: TimeSpan[];
}

function turnsOf(speaker: Speaker, speech: readonly TimeSpan[], gap: number): Turn[] {
  const merged = mergeSpans(speech, gap);
  return merged.map((m) => ({
    speaker,
    start: m.start,
    end: m.end,
    parts: speech.filter((s) => s.start >= m.start - 1e-9 && s.end <= m.end + 1e-9),
  }));
}

/**
 * Talk-over and backchannels on a two-sided call (pure).
 *
 * Speech is grouped into turns (short pauses merged). Where an agent turn and a customer turn overlap, the
 * side whose turn started later is the one who cut in. If that side's whole turn is short and lies inside
 * the other side's turn, it is a backchannel ("mm", "yes", 嗯, 对): counted, never an interruption.
 * Otherwise an overlap of at least `talkOverMinSec` is talk-over, with `speaker` = the interrupter.
 * Returns null when the call has no two sides (mono): talk-over is not measurable there.
 */
export function detectTalkOver(tl: SpeechTimeline, p: TalkOverParams): CallEvent[] | null {
  const agent = tl.channels.find((c) => c.speaker === 'agent');
  const customer = tl.channels.find((c) => c.speaker === 'customer');
  if (!agent || !customer) return null;
  // a span's decaying tail (a room ringing on after the last syllable) is no speech to talk over or to
  // lengthen a backchannel with
  const judged = (ch: typeof agent) => (ch.tails?.length ? subtractSpans(ch.speech, ch.tails) : ch.speech);
  const a = turnsOf('agent', judged(agent), p.turnMergeGapSec);
  const c = turnsOf('customer', judged(customer), p.turnMergeGapSec);
  const events: CallEvent[] = [];
  let j = 0;
  for (const ta of a) {
    while (j < c.length && c[j].end <= ta.start) j++;
    for (let k = j; k < c.length && c[k].start < ta.end; k++) {
      const tc = c[k];
      const [first, second] = ta.start <= tc.start ? [ta, tc] : [tc, ta];
      // Once the second speaker has the floor, the first one's short utterances inside the second's turn
      // ("mm", "对") are backchannels to the new speaker, not a fight for the floor: they do not count as
      // overlap (pauses under turnMergeGapSec otherwise glue them to the end of the first one's turn).
      // A first speaker who goes on talking in short pieces (a sentence the voice activity split at its pauses,
      // on a line that drops to digital silence between words) has not handed over: the short pieces are taken
      // for backchannels only when they add up to one backchannel's worth (`backchannelMaxSec` in all); more,
      // and they all count as overlap.
      // (a piece that follows the first speaker's previous words after less than a real pause, ACK_PAUSE_SEC,
      // is the sentence going on, not an acknowledgement)
      const short = (x: TimeSpan, i: number) =>
        x.start >= second.start &&
        x.end <= second.end + 0.3 + EPS &&
        x.end - x.start <= p.backchannelMaxSec + EPS &&
        (i === 0 || x.start - first.parts[i - 1].end >= ACK_PAUSE_SEC - EPS);
      const acks = first.parts.filter(short);
      const firstParts = acks.reduce((sum, x) => sum + (x.end - x.start), 0) <= p.backchannelMaxSec + EPS ? first.parts.filter((x, i) => !short(x, i)) : first.parts;
      const overlap = intersectSpans(
        mergeSpans(firstParts, 0),
        mergeSpans(second.parts, 0),
      ).reduce((s, x) => s + (x.end - x.start), 0);
      if (overlap <= 0) continue;
      const secondDur = second.end - second.start;
      const inside = second.start >= first.start - EPS && second.end <= first.end + 0.3 + EPS;
      // Two or three quick acknowledgements in a row ("mm … yes", 嗯…对) make a turn longer than one
      // backchannel; each of them alone is one, and together they still do not take the floor.
      // (apart by real pauses: a sentence the voice activity split at a short pause between words is not that)
      const acknowledgements =
        secondDur <= 2 * p.backchannelMaxSec + EPS &&
        second.parts.length > 1 &&
        second.parts.every((x, i) => x.end - x.start <= p.backchannelMaxSec + EPS && (i === 0 || x.start - second.parts[i - 1].end >= ACK_PAUSE_SEC - EPS));
      if (inside && (secondDur <= p.backchannelMaxSec + EPS || acknowledgements)) {
        events.push({
          type: 'backchannel',
          speaker: second.speaker,
          start: round(second.start),
          end: round(second.end),
          details: { durationSec: round(secondDur) },
        });
        continue;
      }
      if (overlap < p.talkOverMinSec) continue;
      const start = Math.max(first.start, second.start);
      const end = Math.min(first.end, second.end);
      events.push({
        type: 'talk_over',
        speaker: second.speaker,
        start: round(start),
        end: round(end),
        details: {
          overlapSec: round(overlap),
          interrupted: first.speaker,
        },
      });
    }
  }
  // one event per (start, type) even if turns were visited twice
  const seen = new Set<string>();
  return events
    .filter((e) => {
      const key = `${e.type}:${e.speaker}:${e.start}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((x, y) => x.start - y.start);
}
