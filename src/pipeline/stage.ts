import type { AudioInfo, CallEvent, CallMetadata, CallMetrics, SpeechTimeline, Transcript } from '../core/types.js';
import type { ScorecardDraft } from '../score/types.js';
import type { PipelineConfig } from './config.js';

/**
 * The stage graph: probe -> audio -> transcribe -> detect -> score. Each stage is a function over the
 * call's accumulated state that returns its own slice. Stage outputs are plain JSON so the queue runner
 * can persist them between jobs; the in-process runner just merges them in memory.
 */
export const STAGE_NAMES = ['probe', 'audio', 'transcribe', 'detect', 'score'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export interface RecordingRef {
  /** database id of the recording */
  id: string;
  /** where the audio can be read (absolute path, or a storage key the storage adapter resolves) */
  path: string;
  /** the name as the user gave it; for messages and the report only, never passed to a tool */
  displayName: string;
  contentHash: string;
  metadata: CallMetadata;
}

export interface CallState {
  info?: AudioInfo;
  timeline?: SpeechTimeline;
  transcript?: Transcript | null;
  /** why there is no transcript (e.g. "--no-transcribe", "no model") */
  transcriptSkipped?: string;
  /**
   * The recording's channels as the audio stage decoded them (16 kHz mono s16le, one file per channel, in
   * a temp folder on this machine), kept for the transcribe stage so whisper's input is not decoded a second
   * time; that stage removes the folder. Absent when whisper will not run, or on another machine (the queue):
   * then the transcribe stage decodes itself.
   */
  decoded?: { dir: string; files: string[] };
  /**
   * In the queue: the names of the run's artifacts (StageArtifacts) holding the recording's channels as the
   * audio stage decoded them, one per channel in order, for the transcribe stage, which may run on another
   * worker. Removed when the run completes or fails.
   */
  decodedArtifacts?: string[];
  events: CallEvent[];
  metrics: CallMetrics;
  /** the draft scorecard (score stage); null when the pipeline has none */
  scorecard?: ScorecardDraft | null;
  /** non-fatal notes for the report's `errors` list (e.g. "talk-over not measurable on mono") */
  notes: string[];
}

export interface RunOptions {
  transcribe: boolean;
  /** folder holding <basename>.transcript.json / .vtt / .srt sidecars */
  transcriptsDir?: string;
  /** whisper model override */
  model?: string;
  /** channel layout override (`--channels customer,agent`); else the pipeline's */
  channels?: ['agent' | 'customer', 'agent' | 'customer'];
}

export interface StageContext {
  recording: RecordingRef;
  pipeline: PipelineConfig;
  options: RunOptions;
  /** fraction 0..1 of this stage done */
  progress?: (fraction: number) => void;
  /**
   * The stages of this call run one after another in this process (the in-process runner), so the audio
   * stage may leave its decoded channels for the transcribe stage (state.decoded). Not in the queue: the
   * next stage may run on another machine, and the files would be left behind.
   */
  sameProcess?: boolean;
  /**
   * The in-process runner: a folder of this call's own, on this machine, for files a stage leaves for a
   * later stage (the audio stage's decoded channels); the runner removes it when the call ends, however it
   * ends (a worker thread terminated mid-call included), so nothing is left behind.
   */
  workDir?: string;
  /**
   * The queue runner: files a stage leaves for a later stage of the same call, kept where the later stage's
   * worker can read them (the audio stage's decoded channels for the transcribe stage).
   */
  artifacts?: StageArtifacts;
  /** the worker's log (the queue runner): what the operator should know that is not the call's business */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** Files kept for the later stages of one call (one run), by name; the runner removes them when the run ends. */
export interface StageArtifacts {
  /** where they are kept, for messages */
  readonly description: string;
  /** Keeps `localFile` (moved: the caller's copy is gone) as the artifact `name`. */
  put(name: string, localFile: string): Promise<void>;
  /** A local path to read the artifact `name` from, or undefined when it is not there. */
  get(name: string): Promise<string | undefined>;
  /** Removes the artifact `name` (used, no longer needed); nothing there is fine. */
  remove(name: string): Promise<void>;
}

export type StageOutput = Partial<CallState>;

export interface Stage {
  name: StageName;
  run(state: CallState, ctx: StageContext): Promise<StageOutput>;
}

export function emptyState(): CallState {
  return { events: [], metrics: {}, notes: [] };
}

/** Merge a stage's output into the state: events and notes append, everything else replaces. */
export function mergeState(state: CallState, out: StageOutput): CallState {
  return {
    ...state,
    ...out,
    events: [...state.events, ...(out.events ?? [])],
    notes: [...state.notes, ...(out.notes ?? [])],
    metrics: { ...state.metrics, ...(out.metrics ?? {}) },
  };
}
