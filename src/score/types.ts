/**
 * The draft scorecard as data: what the score stage produces, the store keeps (scorecards.card), the report
 * and the CLI print, and the review workflow adds human decisions on top of (never overwriting these).
 * One place for these types; the drafting arithmetic is in scorecard.ts (docs/scorecard.md).
 */
import type { Speaker } from '../core/types.js';
import type { ItemKind } from './schema.js';

/** What a finding rests on: an event, a quoted sentence, or a metadata field. */
export interface Evidence {
  kind: 'event' | 'sentence' | 'metadata';
  start: number;
  end: number;
  speaker: Speaker | null;
  /** quoted text (sentence text, or the event's details.text) */
  text?: string;
  /** event type (kind event) */
  type?: string;
  /** index into the call's events (kind event) */
  eventIndex?: number;
  /** index into the transcript segments (kind sentence) */
  segmentIndex?: number;
  entryId?: string;
  /** metadata field and value (kind metadata) */
  field?: string;
  value?: unknown;
  /** e.g. "similarity 0.86", "overlap 1.4 s", "312 chars/min" */
  note?: string;
}

export type ItemStatus = 'pass' | 'deducted' | 'fatal' | 'needs_review' | 'not_applicable';

export interface ItemResult {
  id: string;
  title: string;
  kind: ItemKind;
  source: string;
  status: ItemStatus;
  /** full marks (standard/manual), points per occurrence (penalty/bonus), 0 (fatal) */
  maxPoints: number;
  /** points earned: standard = max - deduction; penalty = -deduction; bonus = awarded; null while awaiting review */
  points: number | null;
  /** points taken off by this item (standard, penalty) */
  deduction: number;
  /** occurrences of the fault (or merit, for bonus items) */
  occurrences: number;
  /** why this status, in one line */
  reason: string;
  evidence: Evidence[];
  /** for needs_review: what the automatic rule would have concluded */
  suggested?: { status: ItemStatus; points: number | null; deduction: number };
  guidance?: string;
}

export interface SectionResult {
  id: string;
  title: string;
  max: number;
  bonus: boolean;
  /** provisional section score (manual/needs_review items counted at full marks) */
  score: number;
  /** deductions on standard items */
  itemDeductions: number;
  /** what penalty items took off (after the section floor) */
  penaltyDeductions: number;
  /** what bonus items added (after caps) */
  bonusPoints: number;
  /** full marks of the items still awaiting the inspector */
  pendingReviewPoints: number;
  items: ItemResult[];
}

export interface ScorecardDraft {
  schemaVersion: number;
  pipeline: { id: string; version: string };
  title: string;
  maxTotal: number;
  /** provisional total: 0 when a fatal item fired; pending items at full marks */
  total: number;
  /** the total if every pending item were lost: the floor an inspector's review can bring it down to */
  totalIfPendingLost: number;
  pendingReviewPoints: number;
  fatal: boolean;
  fatalItems: { id: string; title: string; reason: string }[];
  needsReview: boolean;
  reviewReasons: string[];
  counts: Record<ItemStatus, number>;
  sections: SectionResult[];
  inputs: { transcript: boolean; audio: boolean; talkOver: boolean; metadataFields: string[] };
}
