import { rm } from 'node:fs/promises';
import { errorMessage } from '../../core/errors.js';
import { extractFeatures } from '../../audio/extract.js';
import { decodedTruncation, truncationWarning } from '../../audio/truncation.js';
import { detectVoiceActivity } from '../../audio/vad.js';
import { round } from '../../core/spans.js';
import type { CallEvent, Speaker, SpeechTimeline } from '../../core/types.js';
import { detectHold } from '../../detect/hold.js';
import { detectSilence } from '../../detect/silence.js';
import { talkMetrics } from '../../detect/talk-metrics.js';
import { detectTalkOver } from '../../detect/talk-over.js';
import type { Stage, StageContext } from '../stage.js';
import { decodedChannelFiles, whisperMayRun, whisperWillRun } from './transcribe.js';

/**
 * Audio analysis: decode (streamed) -> frame features -> voice activity per channel (with cross-channel
 * leak removal and hold-sound detection) -> the speech timeline -> dead air, talk-over, backchannel and
 * hold events and the talk metrics. The decode is the call's only one: when whisper will transcribe the
 * call, the decoded channels are kept for the transcribe stage: in this process (state.decoded), or in the
 * queue as the run's artifacts (state.decodedArtifacts), which a transcribe stage on another worker reads.
 */
export const audioStage: Stage = {
  name: 'audio',
  async run(state, ctx) {
    const info = state.info;
    if (!info) throw new Error('audio stage needs the probe stage first');
    const layout = ctx.options.channels ?? ctx.pipeline.channels;
    // One decode: when whisper will transcribe this call, keep the decoded channels for it. In the queue the
    // transcribe stage may run on a worker with models this one lacks: kept whenever whisper may run.
    const keep = ctx.sameProcess ? whisperWillRun(ctx, info) : ctx.artifacts !== undefined && whisperMayRun(ctx, info);
    const decoded = keep ? await decodedChannelFiles(info, ctx.workDir) : undefined;
    let features;
    try {
      features = await extractFeatures(ctx.recording.path, ctx.recording.displayName, info, {
        progress: ctx.progress,
        signal: ctx.signal,
        channelFiles: decoded?.files,
      });
    } catch (err) {
      if (decoded) await rm(decoded.dir, { recursive: true, force: true });
      throw err;
    }
    const params = ctx.pipeline.audio;
    const agentIndex = features.channels.length === 2 ? layout.indexOf('agent') : 0;
    const vad = detectVoiceActivity(features, { holdMinSec: params.holdMinSec }, agentIndex);
    const stereo = features.channels.length === 2 && !vad.dualMono;
    const speakers: Speaker[] = stereo ? [layout[0], layout[1]] : ['unknown'];
    const durationSec = features.nFrames * features.frameSec;
    const timeline: SpeechTimeline = {
      durationSec: round(durationSec, 3),
      channels: vad.channels.map((c, i) => ({
        speaker: speakers[i],
        speech: c.speech.map((s) => ({ start: round(s.start, 3), end: round(s.end, 3) })),
        ...(c.tones.length ? { tones: c.tones.map((s) => ({ start: round(s.start, 3), end: round(s.end, 3) })) } : {}),
        ...(c.tails.length ? { tails: c.tails.map((s) => ({ start: round(s.start, 3), end: round(s.end, 3) })) } : {}),
      })),
      hold: vad.hold.map((s) => ({ start: round(s.start, 3), end: round(s.end, 3) })),
    };
    const events: CallEvent[] = [...detectSilence(timeline, params), ...detectHold(timeline)];
    const notes: string[] = [];
    // other containers: ffprobe's duration against what decoded (a WAV was checked on its header at probe)
    // (not when that duration is the container's, its longest stream's: a second side's stream or a video running
    // longer than the first audio stream is no cut)
    const cut = typeof state.metrics.truncatedAtSec === 'number' || info.lengthOfContainer ? null : decodedTruncation(info.durationSec, durationSec, info.format);
    if (cut) notes.push(truncationWarning(cut, 'container'));
    if (vad.dualMono) notes.push('both stereo channels carry the same signal: analysed as mono, speakers unknown');
    if (timeline.channels.every((c) => c.speech.length === 0)) notes.push('no speech found on any channel (silent or non-speech recording)');
    else if (stereo) {
      // one side silent all call long while the other speaks: a caller who never said a word, or a leg that was not
      // recorded (a muted or unplugged capture, a PBX that records one direction); what needs both sides is unreliable
      timeline.channels.forEach((c, i) => {
        if (c.speech.length === 0) {
          notes.push(
            `no speech found on the ${c.speaker} channel (${i === 0 ? 'left' : 'right'}) while the other side speaks: a silent party, or that side was not recorded; talk ratio, dead air and talk-over are unreliable`,
          );
        }
      });
    }
    const talkOver = detectTalkOver(timeline, params);
    const metrics = talkMetrics(timeline, params.turnMergeGapSec);
    if (talkOver === null) {
      notes.push('mono recording: talk-over is not measurable (speaker unknown)');
      metrics.talkOverCount = null;
      metrics.backchannelCount = null;
    } else {
      events.push(...talkOver);
      metrics.talkOverCount = talkOver.filter((e) => e.type === 'talk_over').length;
      metrics.agentInterruptions = talkOver.filter((e) => e.type === 'talk_over' && e.speaker === 'agent').length;
      metrics.backchannelCount = talkOver.filter((e) => e.type === 'backchannel').length;
    }
    if (cut) {
      metrics.truncatedAtSec = round(cut.availableSec, 1);
      metrics.declaredSec = round(cut.declaredSec, 1);
    }
    metrics.deadAirCount = events.filter((e) => e.type === 'silence').length;
    metrics.holdCount = events.filter((e) => e.type === 'hold').length;
    vad.channels.forEach((c, i) => {
      metrics[`${speakers[i]}SpeechLevelDb`] = round(c.speechLevelDb, 1);
      metrics[`${speakers[i]}NoiseFloorDb`] = round(c.noiseFloorDb, 1);
    });
    vad.leaks.forEach((l, i) => {
      if (l?.paths.length) metrics[`${speakers[i]}LeakDb`] = round(Math.max(...l.paths.map((p) => p.gainDb)), 1);
    });
    events.sort((a, b) => a.start - b.start);
    if (decoded && !ctx.sameProcess) {
      // a dual-mono call is transcribed from a downmix the transcribe stage decodes itself: nothing to keep
      const decodedArtifacts = vad.dualMono ? undefined : await keepAsArtifacts(decoded, ctx);
      await rm(decoded.dir, { recursive: true, force: true });
      return { timeline, events, metrics, notes, ...(decodedArtifacts ? { decodedArtifacts } : {}) };
    }
    return { timeline, events, metrics, notes, ...(decoded ? { decoded } : {}) };
  },
};

/**
 * The queue: the decoded channels become the run's artifacts, for the transcribe stage on whichever worker
 * takes it. Not keeping them is no failure of the call (that stage then decodes the recording itself).
 */
async function keepAsArtifacts(decoded: { files: string[] }, ctx: StageContext): Promise<string[] | undefined> {
  const names = decoded.files.map((_, i) => `decoded-ch${i}.s16le`);
  try {
    for (const [i, f] of decoded.files.entries()) await ctx.artifacts!.put(names[i]!, f);
    return names;
  } catch (err) {
    ctx.log?.(`could not keep the decoded channels in ${ctx.artifacts!.description} (${errorMessage(err)}): the transcribe stage will decode the recording again`);
    return undefined;
  }
}
