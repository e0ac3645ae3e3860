/**
 * What the pages work with. api-shapes.ts turns the review API's answers into these. Where the pages take a
 * server type as it is (speakers, spans, item statuses, evidence), it is imported, not copied.
 */
import type { Speaker, TimeSpan } from '../../src/core/types';
import type { Evidence, ItemStatus } from '../../src/score/types';

export type { Evidence, ItemStatus, Speaker, TimeSpan };

export interface CallEvent {
  type: string;
  speaker: Speaker | null;
  start: number;
  end: number;
  [detail: string]: unknown;
}

export interface Segment {
  idx: number;
  speaker: Speaker;
  start: number;
  end: number;
  text: string;
}


export interface DraftItem {
  id: string;
  title: string;
  kind: 'standard' | 'penalty' | 'bonus' | 'fatal' | 'manual' | string;
  status: ItemStatus;
  maxPoints: number;
  points: number | null;
  deduction: number;
  reason: string;
  evidence: Evidence[];
  guidance?: string;
  suggested?: { status: ItemStatus; points: number | null };
  /** the answer that counts now (machine's, or the inspector's / a ruling's) */
  current?: { status: ItemStatus; points: number | null };
  amendedBy?: string;
  /** a completed review took the machine's answer for this item (nobody decided it): `acceptedAtCompletion` */
  acceptedAtCompletion?: boolean;
}

export interface DraftSection {
  id: string;
  title: string;
  max: number;
  items: DraftItem[];
}

export interface Draft {
  title: string;
  maxTotal: number;
  total: number;
  fatal: boolean;
  sections: DraftSection[];
}

export interface Decision {
  itemId: string;
  action: 'confirm' | 'override';
  points: number | null;
  /** fatal items: whether the inspector holds the fatal fault */
  fatal: boolean | null;
  reasonCode: string | null;
  comment: string | null;
  by: string | null;
  at: string;
}

export interface ReviewState {
  /** draft: nobody has decided anything; in_review: decisions made; final: completed (the score is fixed) */
  stage: 'draft' | 'in_review' | 'final';
  status: 'unreviewed' | 'in_progress' | 'completed';
  /** items that still need the inspector, as the server counts them */
  pending: string[];
  decisions: Record<string, Decision>;
  /** final when stage is final; otherwise provisional */
  total: number | null;
  maxTotal: number | null;
  fatal: boolean | null;
  completedAt: string | null;
  /** decisions in the review as this page knows it (the server's `revision`); sent back with each step */
  revision: number | null;
}

export interface CallDetail {
  id: string;
  fileName: string;
  durationSec: number;
  channels: number;
  /** speaker per channel */
  speakers: Speaker[];
  agentId: string | null;
  team: string | null;
  startedAt: string | null;
  language: string | null;
  timeline: { channels: { speaker: Speaker; speech: TimeSpan[] }[]; hold: TimeSpan[] } | null;
  events: CallEvent[];
  segments: Segment[];
  draft: Draft | null;
  review: ReviewState | null;
  disputes: { id: string; itemId: string; status: string; rulingReason: string | null }[];
  disputeWindow: { open: boolean; closesAt: string; limit: number; used: number } | null;
  /** why part of the call is hidden from this user (e.g. an agent before the review is complete) */
  hidden: string | null;
  /** the same as a code, for the page's own wording */
  hiddenReason: 'review_incomplete' | 'blind_calibration' | null;
  /** what this user may do here */
  canReview: boolean;
  canDispute: boolean;
}

export interface HistoryEntry {
  at: string;
  actor: string;
  action: string;
  itemId?: string;
  details: Record<string, unknown>;
}

export interface Peaks {
  durationSec: number;
  peaksPerSec: number;
  channels: { peaks: number[] }[];
  speakers: Speaker[];
  timeline: { durationSec: number; channels: { speaker: Speaker; speech: TimeSpan[] }[]; hold: TimeSpan[] } | null;
}
