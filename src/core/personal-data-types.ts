/**
 * The shapes of a data-subject request's answers (callqa data, the API's findSubjectCalls, exportSubjectData,
 * eraseSubjectData): what the store reads, the service returns and the web page shows. Types only.
 */
import type { CallMetadata } from './types.js';

export interface SubjectSelector {
  /** the customer's id in the call platform or CRM (metadata `customerId`, from `customer_id`); with callIds: either */
  customerId?: string;
  /** recording ids (the call ids `callqa calls list --json` prints) */
  callIds?: readonly string[];
  /** calls whose date (metadata startedAt, else the day the recording was stored) is before this day, YYYY-MM-DD */
  before?: string;
}

export interface SubjectCall {
  id: string;
  fileName: string;
  /** YYYY-MM-DD: the call's start per its metadata, else the day it was stored */
  callDate: string;
  durationSec: number | null;
  agentId: string | null;
  customerId: string | null;
  /** the newest review's state (null: never reviewed) */
  reviewState: 'in_progress' | 'completed' | null;
  openDisputes: number;
  /** where the audio is: a path, or `storage:` and a key in the queue's storage folder */
  audio: string;
}

export interface SubjectTranscript {
  runId: string;
  pipelineId: string;
  engine: string;
  model: string | null;
  language: string;
  segments: { speaker: string; start: number; end: number; text: string }[];
}

export interface SubjectEvent {
  runId: string;
  type: string;
  speaker: string | null;
  start: number;
  end: number;
  details: Record<string, unknown>;
}

export interface SubjectCallExport extends SubjectCall {
  metadata: CallMetadata;
  /** every transcript stored (one per analysis that made one), newest first, as transcribed (not masked) */
  transcripts: SubjectTranscript[];
  /** every finding on the call's timeline (pii findings included), with its evidence */
  findings: SubjectEvent[];
}

export interface SubjectExport {
  exportedAt: string;
  selector: SubjectSelector;
  calls: SubjectCallExport[];
  /** what the export leaves out, and why */
  notIncluded: string[];
}

export interface ErasureResult {
  erased: SubjectCall[];
  /** calls named but kept, and why (retention: an open dispute is kept until ruled) */
  kept: { call: SubjectCall; reason: string }[];
  /** rows removed, by table */
  rows: Record<string, number>;
  /** files removed: media cache, storage copies, and (deleteAudio) the recordings and their sidecars */
  filesDeleted: string[];
  /** files that could not be removed (the rows are gone; remove these by hand) */
  filesFailed: { path: string; error: string }[];
  /** original recordings left where they are (deleteAudio not asked), which still hold the calls */
  audioLeft: string[];
  /** the calls' jobs removed from the queue (absent: no queue in this deployment) */
  queueJobsRemoved?: number;
}
