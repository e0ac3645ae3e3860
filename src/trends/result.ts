/**
 * What the trends answer (the API's `trends`) holds, as types only: the server builds it (services/trends.ts)
 * and the inspector UI reads it (web/src/search-api.ts imports this file). Pure: type imports only.
 */
import type { Granularity, Series } from './rollup.js';

export interface EmergingPhrase {
  phrase: string;
  /** utterances containing it in the current period, and in the reference periods */
  countNow: number;
  countBefore: number;
  /** per 1,000 utterances */
  ratePerThousandNow: number;
  ratePerThousandBefore: number;
  /** G² (keyness); 3.84 is p < 0.05, 10.83 p < 0.001 with one degree of freedom */
  score: number;
  logRatio: number;
  /** a few calls where it was said now */
  exampleCallIds: string[];
}

export interface TrendsResult {
  by: Granularity;
  periods: string[];
  /** calls and talk hours per period */
  volume: Array<{ period: string; calls: number; talkHours: number }>;
  /** `label`: a lexicon entry's first phrase ("lexicon:<id>" keys), null for event keys (the UI names those) */
  series: Array<Series & { rate: Array<number | null>; label: string | null }>;
  /** phrases rising fastest in the last period against the earlier ones */
  emerging: EmergingPhrase[];
}

