import type { Speaker } from '../../core/types.js';
import { findSidecar, loadSidecar } from '../../transcribe/sidecar.js';
import { ModelNotFoundError, resolveModel } from '../../transcribe/models.js';
import type { ChannelRequest, Transcriber } from '../../transcribe/transcriber.js';
import { WhisperTranscriber } from '../../transcribe/whisper.js';
import type { Stage, StageContext, StageOutput } from '../stage.js';

/**
 * Transcription: the call platform's own transcript when one sits beside the recording (or in
 * --transcripts), else whisper.cpp per channel on the speech the audio stage found.
 *
 * Not having a transcript is not a failure of the file: with --no-transcribe or without a model the
 * transcript is null, the reason is recorded, and everything that needs no text still runs.
 * A malformed sidecar IS a failure of the file (InputError): it was meant to be used, and silently falling
 * back to whisper would hide the vendor's problem.
 */

/** Tests and the benchmark can swap the engine; the default builds a WhisperTranscriber. */
export type TranscriberFactory = (modelNameOrPath: string, ctx: StageContext) => Transcriber;

export const defaultTranscriberFactory: TranscriberFactory = (model) =>
  new WhisperTranscriber({ model: resolveModel(model) });

export function makeTranscribeStage(factory: TranscriberFactory = defaultTranscriberFactory): Stage {
  return {
    name: 'transcribe',
    async run(state, ctx): Promise<StageOutput> {
      const durationSec = state.info?.durationSec ?? state.timeline?.durationSec;

      const sidecar = findSidecar(ctx.recording.path, ctx.options.transcriptsDir);
      if (sidecar) {
        const transcript = await loadSidecar(sidecar, { durationSec, language: ctx.pipeline.language });
        ctx.progress?.(1);
        return { transcript, metrics: { transcriptSegments: transcript.segments.length } };
      }
      if (!ctx.options.transcribe) return { transcript: null, transcriptSkipped: '--no-transcribe' };

      const modelName = ctx.options.model ?? ctx.pipeline.asr.model;
      let transcriber: Transcriber;
      try {
        transcriber = factory(modelName, ctx);
      } catch (err) {
        if (err instanceof ModelNotFoundError) {
          return { transcript: null, transcriptSkipped: 'no model', notes: [`transcript skipped: ${err.message}`] };
        }
        throw err;
      }

      const layout = ctx.options.channels ?? ctx.pipeline.channels;
      const nChannels = state.timeline?.channels.length ?? Math.min(state.info?.channels ?? 1, 2);
      const channels: ChannelRequest[] = [];
      for (let i = 0; i < nChannels; i++) {
        const speaker: Speaker = state.timeline?.channels[i]?.speaker ?? (nChannels === 2 ? layout[i] : 'unknown');
        channels.push({
          channel: nChannels === 1 ? null : i,
          speaker,
          // without a timeline (audio stage skipped) the whole channel is transcribed
          speech: state.timeline?.channels[i]?.speech ?? null,
        });
      }
      const { transcript, stats } = await transcriber.transcribe({
        audioPath: ctx.recording.path,
        durationSec: durationSec ?? Number.POSITIVE_INFINITY,
        channels,
        language: ctx.pipeline.language,
        prompt: ctx.pipeline.asr.prompt,
        threads: ctx.pipeline.asr.threads,
        signal: ctx.signal,
        onProgress: ctx.progress,
      });
      const notes =
        stats.droppedSegments > 0
          ? [`transcript: ${stats.droppedSegments} whisper segment(s) dropped as known hallucinations or text on silence`]
          : [];
      return {
        transcript,
        notes,
        metrics: {
          transcriptSegments: transcript.segments.length,
          asrAudioSec: Math.round(stats.audioSecTranscribed * 10) / 10,
          asrSec: Math.round(stats.whisperSec * 10) / 10,
        },
      };
    },
  };
}

export const transcribeStage: Stage = makeTranscribeStage();
