import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AudioInfo, Speaker, Transcript } from '../../core/types.js';
import { recordingLength } from '../../audio/truncation.js';
import { applyPrivacy } from '../../privacy/apply.js';
import { dropHallucinations } from '../../transcribe/hallucinations.js';
import { findSidecar, loadSidecar } from '../../transcribe/sidecar.js';
import { lexiconsFor } from '../loader.js';
import { ModelNotFoundError, resolveModel } from '../../transcribe/models.js';
import type { ChannelRequest, Transcriber } from '../../transcribe/transcriber.js';
import { WhisperTranscriber } from '../../transcribe/whisper.js';
import type { CallState, Stage, StageContext, StageOutput } from '../stage.js';

/**
 * Transcription: the call platform's own transcript when one sits beside the recording (or in
 * --transcripts), else whisper.cpp per channel on the speech the audio stage found.
 *
 * Not having a transcript is not a failure of the file: with --no-transcribe or without a model the
 * transcript is null, the reason is recorded, and everything that needs no text still runs.
 * A malformed sidecar IS a failure of the file (InputError): it was meant to be used, and silently falling
 * back to whisper would hide the vendor's problem.
 */

/**
 * Whether this stage will run whisper on the call (no sidecar, transcription on, a model present, at most
 * two channels): then the audio stage keeps its decoded channels for it instead of this stage decoding the
 * recording again.
 */
export function whisperWillRun(ctx: Pick<StageContext, 'recording' | 'options' | 'pipeline'>, info: AudioInfo): boolean {
  if (!whisperMayRun(ctx, info)) return false;
  try {
    resolveModel(ctx.options.model ?? ctx.pipeline.asr.model);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether whisper may transcribe the call somewhere (no sidecar, transcription on, at most two channels),
 * whatever models this machine has: in the queue the transcribe stage may run on a worker that has one.
 */
export function whisperMayRun(ctx: Pick<StageContext, 'recording' | 'options'>, info: AudioInfo): boolean {
  if (!ctx.options.transcribe || info.channels > 2) return false;
  return !findSidecar(ctx.recording.path, ctx.options.transcriptsDir);
}

/** A fresh temp folder and the names of the per-channel PCM files the audio stage writes there. */
export async function decodedChannelFiles(info: AudioInfo, parent?: string): Promise<{ dir: string; files: string[] }> {
  const dir = await mkdtemp(path.join(parent ?? tmpdir(), 'callqa-decoded-'));
  const n = info.channels >= 2 ? 2 : 1;
  return { dir, files: Array.from({ length: n }, (_, i) => path.join(dir, `ch${i}.s16le`)) };
}

/** The decoded file for a channel request, if the audio stage left one (on this machine, or as an artifact). */
function decodedFileFor(files: string[] | undefined, channel: number | null): string | undefined {
  if (!files) return undefined;
  // null = the whole signal: the decoded file of a mono recording; a stereo one judged dual-mono is downmixed
  // by the transcribe stage's own decode (its sides are alike, not necessarily identical)
  if (channel === null && files.length !== 1) return undefined;
  const f = files[channel ?? 0];
  return f && existsSync(f) ? f : undefined;
}

/**
 * The audio stage's decoded channels: in this process (state.decoded), or in the queue the run's artifacts
 * (state.decodedArtifacts), which a worker on another machine may not see (a storage folder is shared, a
 * temp folder is not), or which are gone (the run was retried after a failure). Then this stage decodes the
 * recording itself, and says so in the worker's log.
 */
async function decodedFilesOf(state: CallState, ctx: StageContext): Promise<string[] | undefined> {
  if (state.decoded) return state.decoded.files;
  const names = state.decodedArtifacts;
  if (!names?.length) return undefined;
  const files = ctx.artifacts ? await Promise.all(names.map((n) => ctx.artifacts!.get(n))) : [];
  if (files.length === names.length && files.every((f) => f !== undefined)) return files as string[];
  ctx.log?.(`the decoded channels the audio stage kept are not in ${ctx.artifacts?.description ?? 'reach of this runner'}: decoding the recording again`);
  return undefined;
}

/** Tests and the benchmark can swap the engine; the default builds a WhisperTranscriber. */
export type TranscriberFactory = (modelNameOrPath: string, ctx: StageContext) => Transcriber;

export const defaultTranscriberFactory: TranscriberFactory = (model) =>
  new WhisperTranscriber({ model: resolveModel(model) });

/**
 * Personal data is found and masked here, before the transcript is stored or read by any detector: with
 * redaction every span is masked, without it card numbers still are (never stored, PCI DSS); one `pii` event
 * per span either way. Rules read the same text in both cases except the masked digits, so scores agree.
 */
function withPrivacy(out: StageOutput, ctx: StageContext): StageOutput {
  const t = out.transcript as Transcript | null | undefined;
  if (!t) return out;
  const redact = ctx.pipeline.privacy.redact;
  const p = applyPrivacy(t, ctx.pipeline.privacy, redact);
  const byCat: Record<string, number> = {};
  for (const f of p.findings) byCat[f.category] = (byCat[f.category] ?? 0) + 1;
  return {
    ...out,
    transcript: p.transcript,
    events: [...(out.events ?? []), ...p.events],
    metrics: { ...(out.metrics ?? {}), piiSpans: p.findings.length, piiMasked: p.maskedCount, redacted: redact },
  };
}

/**
 * Whisper's invented lines (谢谢观看, "thanks for watching") are dropped here for every source — whisper run by
 * us or a sidecar transcript made by whisper elsewhere — with the pipeline's own hallucination lexicon.
 */
function withoutHallucinations(out: StageOutput, ctx: StageContext): StageOutput {
  const t = out.transcript as Transcript | null | undefined;
  if (!t) return out;
  const { transcript, dropped, empty } = dropHallucinations(t, lexiconsFor(ctx.pipeline), ctx.pipeline.text.hallucinationCoverage);
  if (dropped === 0 && empty === 0) return out;
  return {
    ...out,
    transcript,
    notes: [
      ...(out.notes ?? []),
      ...(dropped ? [`transcript: ${dropped} segment(s) dropped as known speech-recogniser hallucinations`] : []),
      ...(empty ? [`transcript: ${empty} segment(s) with no text dropped`] : []),
    ],
    metrics: {
      ...(out.metrics ?? {}),
      transcriptSegments: transcript.segments.length,
      ...(dropped ? { hallucinatedSegments: dropped } : {}),
      ...(empty ? { emptySegments: empty } : {}),
    },
  };
}

/** A transcript left with no segments is said so: its text items are left to review (see the score stage). */
function withEmptyNote(out: StageOutput): StageOutput {
  const t = out.transcript as Transcript | null | undefined;
  if (!t || t.segments.length > 0) return out;
  return { ...out, notes: [...(out.notes ?? []), 'transcript is empty (no segments with text): text items are left to review'] };
}

export function makeTranscribeStage(factory: TranscriberFactory = defaultTranscriberFactory): Stage {
  const inner = makeRawTranscribeStage(factory);
  return {
    name: 'transcribe',
    run: async (state, ctx) => {
      try {
        const out = await inner.run(state, ctx);
        // queue: the decoded channels are used (or not needed); a failed attempt keeps them for its retry, and
        // the run's end removes whatever is left
        if (state.decodedArtifacts && ctx.artifacts) await Promise.all(state.decodedArtifacts.map((n) => ctx.artifacts!.remove(n)));
        return withEmptyNote(withPrivacy(withoutHallucinations(out, ctx), ctx));
      } finally {
        // the audio stage's decoded channels are used once, here (or not at all)
        if (state.decoded) await rm(state.decoded.dir, { recursive: true, force: true });
      }
    },
  };
}

function makeRawTranscribeStage(factory: TranscriberFactory): Stage {
  return {
    name: 'transcribe',
    async run(state, ctx): Promise<StageOutput> {
      // a bare codec stream's length is ffprobe's estimate (4 % long or 14 % short measured): what decoded is the
      // recording's length, as far as a sidecar's times go
      const durationSec = recordingLength(state.info?.format, state.info?.durationSec, state.timeline?.durationSec);

      const sidecar = findSidecar(ctx.recording.path, ctx.options.transcriptsDir);
      if (sidecar) {
        // channels: an Amazon Transcribe file's ch_0/ch_1 are the recording's left/right, as for whisper
        const channels = ctx.options.channels ?? ctx.pipeline.channels;
        // agentSpeaker: which diarisation label (spk_0, Speaker 1) is the agent, from the call's metadata
        const { agentSpeaker } = ctx.recording.metadata;
        const transcript = await loadSidecar(sidecar, {
          durationSec,
          language: ctx.pipeline.language,
          channels,
          ...(typeof agentSpeaker === 'string' ? { agentSpeaker } : {}),
        });
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
      const decodedFiles = await decodedFilesOf(state, ctx);
      const nChannels = state.timeline?.channels.length ?? Math.min(state.info?.channels ?? 1, 2);
      const channels: ChannelRequest[] = [];
      for (let i = 0; i < nChannels; i++) {
        const speaker: Speaker = state.timeline?.channels[i]?.speaker ?? (nChannels === 2 ? layout[i] : 'unknown');
        const channel = nChannels === 1 ? null : i;
        const pcmFile = decodedFileFor(decodedFiles, channel);
        channels.push({
          channel,
          speaker,
          // without a timeline (audio stage skipped) the whole channel is transcribed
          speech: state.timeline?.channels[i]?.speech ?? null,
          ...(pcmFile ? { pcmFile } : {}),
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
          ? [`transcript: ${stats.droppedSegments} whisper segment(s) dropped as text on inserted silence or non-speech annotations`]
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
