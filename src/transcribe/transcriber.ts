import type { Speaker, TimeSpan, Transcript } from '../core/types.js';

/**
 * A speech-to-text engine for one call. Implementations: whisper.ts (whisper.cpp's whisper-cli).
 * Sidecar transcripts (sidecar.ts) are not a Transcriber: they need no audio.
 */

export interface ChannelRequest {
  /** 0-based channel index in the recording; null = the whole (mono or downmixed) signal */
  channel: number | null;
  speaker: Speaker;
  /**
   * Voice-activity spans of this channel (seconds in the recording). Only these, padded, are transcribed;
   * null = transcribe the whole channel (no gating).
   */
  speech: readonly TimeSpan[] | null;
  /**
   * This channel already decoded as 16 kHz mono s16le (the audio stage's decode): used instead of decoding
   * the recording again; left in place (its owner removes it).
   */
  pcmFile?: string;
}

export interface TranscribeRequest {
  /** the recording; handed to ffmpeg as a single argument and to nothing else */
  audioPath: string;
  durationSec: number;
  channels: readonly ChannelRequest[];
  language: 'zh' | 'en' | 'auto';
  /** initial prompt; default per language (see defaultPrompt) */
  prompt?: string;
  threads?: number;
  signal?: AbortSignal;
  /** fraction 0..1 of the whole request */
  onProgress?: (fraction: number) => void;
}

export interface TranscribeStats {
  /** seconds of audio whisper actually heard, summed over channels */
  audioSecTranscribed: number;
  /** wall-clock seconds spent in whisper-cli */
  whisperSec: number;
  /** segments dropped as text on inserted silence or bracketed non-speech annotations (invented phrases: transcribe/hallucinations.ts) */
  droppedSegments: number;
  threads: number;
}

export interface TranscribeResult {
  transcript: Transcript;
  stats: TranscribeStats;
}

export interface Transcriber {
  readonly engine: Transcript['engine'];
  /** model name as reported in transcripts */
  readonly model: string;
  transcribe(req: TranscribeRequest): Promise<TranscribeResult>;
}

/**
 * A Simplified-Chinese prompt steers whisper towards Simplified output (it otherwise often writes
 * Traditional characters). English needs none.
 */
export function defaultPrompt(language: 'zh' | 'en' | 'auto'): string | undefined {
  return language === 'zh' ? '以下是普通话的句子。' : undefined;
}
