import { recordingLength } from '../audio/truncation.js';
import type { CallEvent, SpeechTimeline } from '../core/types.js';
import { scoreSummary, type ScoreSummary } from '../score/summary.js';
import type { ScorecardDraft } from '../score/types.js';
import type { RunReport } from '../store/index.js';

/**
 * The machine-readable report (`--json FILE`). Versioned: see docs/report-schema.md. Event details are
 * flattened next to type/speaker/start/end.
 */
export const REPORT_SCHEMA = 'callqa.report/2';

export interface ReportEvent {
  type: string;
  speaker: string | null;
  start: number;
  end: number;
  [detail: string]: unknown;
}

export interface CallReport {
  file: string;
  status: 'done' | 'cached' | 'failed';
  /** why an earlier finished analysis of this call was not reused (e.g. "transcript changed"); absent otherwise */
  reanalysed?: string[];
  contentHash?: string;
  format?: string | null;
  codec?: string | null;
  durationSec?: number | null;
  sampleRate?: number | null;
  channels?: number | null;
  channelLayout?: string[];
  pipeline?: { id: string; version: string };
  versions?: Record<string, string>;
  metadata?: Record<string, unknown>;
  events: ReportEvent[];
  metrics: Record<string, unknown>;
  /** who spoke when per side and the hold spans (docs/report-schema.md); null when there was no audio analysis */
  timeline?: SpeechTimeline | null;
  transcript?: { engine: string; model?: string; language: string; segments: unknown[] } | null;
  scorecard?: ScorecardDraft | null;
  /** the draft's score with the items still to review ("90/100 · 10 to review"); null without a scorecard */
  score?: ScoreSummary | null;
  /** why the call failed (failed calls only; each names the file) */
  errors: string[];
  /** what the user should know about a call that was analysed: skipped steps, truncated audio, mono ... */
  warnings: string[];
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  generatedAt: string;
  callqaVersion: string;
  calls: CallReport[];
}

export function flattenEvent(e: CallEvent): ReportEvent {
  return { type: e.type, speaker: e.speaker, start: e.start, end: e.end, ...(e.details ?? {}) };
}

export function callReportFromRun(file: string, status: 'done' | 'cached', r: RunReport, reanalysed?: string[]): CallReport {
  const notes = Array.isArray(r.run.notes) ? (r.run.notes as string[]) : [];
  return {
    file,
    status,
    ...(reanalysed?.length ? { reanalysed } : {}),
    contentHash: r.recording.contentHash,
    format: r.recording.format,
    codec: r.recording.codec,
    // a bare codec stream (AMR, ADTS AAC) holds no length: ffprobe's is an estimate, what decoded is the length
    durationSec: recordingLength(r.recording.format, r.recording.durationSec, r.timeline?.durationSec) ?? r.recording.durationSec,
    sampleRate: r.recording.sampleRate,
    channels: r.recording.channels,
    pipeline: { id: r.run.pipelineId, version: r.run.pipelineVersion },
    versions: (r.run.versions ?? {}) as Record<string, string>,
    metadata: r.recording.metadata as Record<string, unknown>,
    events: r.events.map(flattenEvent),
    metrics: (r.run.metrics ?? {}) as Record<string, unknown>,
    timeline: r.timeline,
    transcript: r.transcript
      ? {
          engine: r.transcript.engine,
          model: r.transcript.model,
          language: r.transcript.language,
          segments: r.transcript.segments.map((s) => ({
            speaker: s.speaker,
            start: s.start,
            end: s.end,
            text: s.text,
            normText: s.normText,
            ...(s.words ? { words: s.words } : {}),
            ...(s.confidence !== undefined ? { confidence: s.confidence } : {}),
          })),
        }
      : null,
    scorecard: r.scorecard?.card ?? null,
    score: r.scorecard?.card ? scoreSummary(r.scorecard.card) : null,
    errors: [],
    warnings: notes,
  };
}

export function failedCallReport(file: string, error: Error): CallReport {
  // errors[0] is "one line naming the file": an InputError names the file it is about (the recording or its
  // transcript/metadata sidecar); anything else (a tool's or the runtime's own error) gets the recording's name
  const named = error.name === 'InputError' || error.message.startsWith(`${file}: `);
  return { file, status: 'failed', events: [], metrics: {}, errors: [named ? error.message : `${file}: ${error.message}`], warnings: [] };
}
