/**
 * Which stretches of which channel to silence in a redacted playable copy. Pure.
 * Each personal-data span is muted on the channel of the side that said it only (the other side stays
 * audible), padded a little because word timings and especially estimated times are approximate.
 */
import type { TimeSpan } from '../core/types.js';
import type { PiiFinding } from './transcript.js';

export interface MutePlan {
  /** per channel index of the recording (0 = left), sorted, merged spans to silence */
  channels: TimeSpan[][];
}

export interface MuteOptions {
  /** channel index of each side; mono recordings map both (and 'unknown') to 0 */
  channelOf: { agent: number; customer: number };
  channelCount: number;
  /** seconds added on each side of a span timed from word timings */
  padWordsSec: number;
  /** seconds added on each side of a span whose time was estimated within its segment */
  padEstimatedSec: number;
  durationSec: number;
}

export const DEFAULT_MUTE_PADDING = { padWordsSec: 0.15, padEstimatedSec: 0.6 } as const;

export function mutePlan(findings: readonly PiiFinding[], o: MuteOptions): MutePlan {
  const channels: TimeSpan[][] = Array.from({ length: o.channelCount }, () => []);
  for (const f of findings) {
    const pad = f.timing === 'words' ? o.padWordsSec : o.padEstimatedSec;
    const span = { start: Math.max(0, f.start - pad), end: Math.min(o.durationSec, f.end + pad) };
    if (span.end <= span.start) continue;
    // a mono file, or a speaker we cannot place, is muted on every channel: never leave it audible
    const targets = o.channelCount === 1 || f.speaker === 'unknown'
      ? channels.map((_, i) => i)
      : [f.speaker === 'agent' ? o.channelOf.agent : o.channelOf.customer];
    for (const c of targets) channels[c]?.push(span);
  }
  return { channels: channels.map(merge) };
}

function merge(spans: TimeSpan[]): TimeSpan[] {
  const s = [...spans].sort((a, b) => a.start - b.start);
  const out: TimeSpan[] = [];
  for (const x of s) {
    const last = out[out.length - 1];
    if (last && x.start <= last.end) last.end = Math.max(last.end, x.end);
    else out.push({ ...x });
  }
  return out;
}

/**
 * An ffmpeg `aeval` filter that silences the plan, sample-accurately, each channel by its own spans (the
 * `volume` filter's `enable` is judged once per audio frame, up to half a second late). Null when there is
 * nothing to mute. Goes at the end of an `-af` chain whose output has `plan.channels.length` channels.
 */
export function muteFilter(plan: MutePlan): string | null {
  if (plan.channels.every((c) => c.length === 0)) return null;
  const perChannel = plan.channels.map((spans, i) =>
    spans.length ? `val(${i})*not(${spans.map((s) => `between(t,${s.start.toFixed(3)},${s.end.toFixed(3)})`).join('+')})` : `val(${i})`,
  );
  return `aeval=exprs='${perChannel.join('|')}':c=same`;
}
