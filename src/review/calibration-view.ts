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
  /** what the machine drafted (the inspector scores the call as in a review, with the draft beside it) */
  machine: { status: string; points: number | null; reason: string };
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
  you: { role: 'owner' | 'supervisor' | 'member' | 'admin'; canScore: boolean; canClose: boolean };
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

