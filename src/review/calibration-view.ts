/**
 * A calibration session as the API answers it (getCalibration): types only, built by services/calibration.ts
 * and read by the inspector UI (web/src/pages/calibration.tsx imports this file). Pure: type imports only.
 */
import type { CalibrationResult } from './calibration.js';

export interface CalibrationItemView {
  id: string;
  title: string;
  kind: string;
  /** what may be given: standard/manual 0..maxPoints; penalty -(section max)..0, as in a review */
  min: number;
  max: number;
  /** the item's points (per occurrence for penalty items): the scale deviations are measured on */
  maxPoints: number;
  guidance?: string;
  /**
   * what the machine drafted; null for a scorer who has not yet scored every item of an open session (blind: the
   * draft is shown beside their own scores once they are in, and to everyone once the session is closed)
   */
  machine: { status: string; points: number | null; reason: string } | null;
}

export interface CalibrationCallView {
  id: string;
  fileName: string;
  durationSec: number | null;
  items: CalibrationItemView[];
}

export interface CalibrationScoreView {
  callId: string;
  itemId: string;
  scorer: string;
  points: number;
  scoredAt: string;
}

export interface CalibrationView {
  id: string;
  title: string;
  pipelineId: string;
  benchmark: 'supervisor' | 'consensus';
  status: 'open' | 'closed';
  team: string | null;
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
  /** what the asking user may do */
  you: {
    role: 'owner' | 'supervisor' | 'member' | 'admin';
    /** may score now: a scorer of an open session who has not yet scored every item */
    canScore: boolean;
    canClose: boolean;
    /** a scorer who has scored every item: their scores are in (no more changes) and the machine's answers shown */
    submitted: boolean;
    /** the machine's answers are withheld from this user (`machine` is null on every item) */
    machineHidden: boolean;
  };
  members: { username: string; scored: number }[];
  /** items to score per call (scores expected = Σ items over calls) */
  expectedScores: number;
  calls: CalibrationCallView[];
  /** the asking user's own scores (always) */
  myScores: CalibrationScoreView[];
  /** everyone's scores: only once the session is closed (blind until then) */
  scores: CalibrationScoreView[] | null;
  /** deviations per inspector and item against the benchmark: only once closed */
  results: (CalibrationResult & { passAccuracy: number; biasThreshold: number }) | null;
}

