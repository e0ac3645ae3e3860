import { probe } from '../../src/audio/ffmpeg.js';
import { extractFeatures } from '../../src/audio/extract.js';
import { detectVoiceActivity, type VadParams } from '../../src/audio/vad.js';
import { eventScores, frameScores } from '../../src/core/spans.js';
import type { SpeechTimeline, TimeSpan } from '../../src/core/types.js';
import { detectHold } from '../../src/detect/hold.js';
import { detectSilence } from '../../src/detect/silence.js';
import { detectTalkOver } from '../../src/detect/talk-over.js';
import type { GroundTruth } from './callgen.js';

/** Run callqa's audio analysis on a generated call and score it against the call's ground truth. */
export interface CallScores {
  speech: { agent: ReturnType<typeof frameScores>; customer: ReturnType<typeof frameScores> };
  silence: ReturnType<typeof eventScores>;
  talkOver: ReturnType<typeof eventScores>;
  hold: ReturnType<typeof eventScores>;
  holdFrames: ReturnType<typeof frameScores>;
  detected: { silence: TimeSpan[]; talkOver: TimeSpan[]; hold: TimeSpan[] };
  timeline: SpeechTimeline;
  realtime: number;
}

export const AUDIO_PARAMS = { deadAirMinSec: 5, talkOverMinSec: 0.5, backchannelMaxSec: 1.2, turnMergeGapSec: 0.7, holdMinSec: 8 };

export async function analyseTimeline(file: string, vad: Partial<VadParams> = {}): Promise<{ timeline: SpeechTimeline; seconds: number }> {
  const info = await probe(file);
  const t0 = performance.now();
  const f = await extractFeatures(file, file, info);
  const v = detectVoiceActivity(f, { holdMinSec: AUDIO_PARAMS.holdMinSec, ...vad }, 0);
  const speakers = f.channels.length === 2 ? (['agent', 'customer'] as const) : (['unknown'] as const);
  const timeline: SpeechTimeline = {
    durationSec: f.nFrames * f.frameSec,
    channels: v.channels.map((c, i) => ({ speaker: speakers[i], speech: c.speech, tones: c.tones, tails: c.tails })),
    hold: v.hold,
  };
  return { timeline, seconds: (performance.now() - t0) / 1000 };
}

export async function scoreCall(file: string, truth: GroundTruth, vad: Partial<VadParams> = {}): Promise<CallScores> {
  const { timeline, seconds } = await analyseTimeline(file, vad);
  const silence = detectSilence(timeline, AUDIO_PARAMS).map((e) => ({ start: e.start, end: e.end }));
  const to = (detectTalkOver(timeline, AUDIO_PARAMS) ?? []).filter((e) => e.type === 'talk_over').map((e) => ({ start: e.start, end: e.end }));
  const hold = detectHold(timeline).map((e) => ({ start: e.start, end: e.end }));
  const agent = timeline.channels.find((c) => c.speaker === 'agent')?.speech ?? [];
  const customer = timeline.channels.find((c) => c.speaker === 'customer')?.speech ?? [];
  return {
    speech: { agent: frameScores(agent, truth.speech.agent), customer: frameScores(customer, truth.speech.customer) },
    silence: eventScores(silence, truth.silence),
    talkOver: eventScores(to, truth.talkOver),
    hold: eventScores(hold, truth.hold),
    holdFrames: frameScores(hold, truth.hold),
    detected: { silence, talkOver: to, hold },
    timeline,
    realtime: truth.durationSec / seconds,
  };
}

/** Pool event counts over many calls: precision/recall over all events, not a mean of ratios. */
export function pool(list: { tp: number; fp: number; fn: number }[]): { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number } {
  const tp = list.reduce((s, x) => s + x.tp, 0);
  const fp = list.reduce((s, x) => s + x.fp, 0);
  const fn = list.reduce((s, x) => s + x.fn, 0);
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), tp, fp, fn };
}

/**
 * Holds matched one to one: a true hold is found by the detected hold that covers most of it (at least half);
 * every other detected hold is a false positive, so a hold split into pieces costs precision. Edge errors
 * (s) of the matched pairs.
 */
export function holdScores(detected: readonly TimeSpan[], truth: readonly TimeSpan[]): { tp: number; fp: number; fn: number; edgeErrSec: number[] } {
  const used = new Set<number>();
  const edgeErrSec: number[] = [];
  let tp = 0;
  for (const t of truth) {
    let best = -1;
    let bestOverlap = 0;
    detected.forEach((d, i) => {
      const o = Math.min(d.end, t.end) - Math.max(d.start, t.start);
      if (!used.has(i) && o > bestOverlap) {
        best = i;
        bestOverlap = o;
      }
    });
    if (best >= 0 && bestOverlap >= 0.5 * (t.end - t.start)) {
      used.add(best);
      tp++;
      edgeErrSec.push(Math.abs(detected[best].start - t.start), Math.abs(detected[best].end - t.end));
    }
  }
  return { tp, fp: detected.length - used.size, fn: truth.length - tp, edgeErrSec };
}
