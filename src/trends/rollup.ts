/**
 * Counts and rates over time, pure over counts: per period, how often each event type and each lexicon entry
 * occurred, normalised per 100 calls and per talk hour, with the change against the previous period.
 */

export type Granularity = 'day' | 'week' | 'month';

/** The first day (YYYY-MM-DD) of the period holding `date` (weeks start on Monday, ISO 8601). */
export function periodStart(date: string, by: Granularity): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new Error(`not a date: ${date}`);
  if (by === 'month') d.setUTCDate(1);
  if (by === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** Every period start from `from` to `to` inclusive, so empty periods show as zeros. */
export function periodsBetween(from: string, to: string, by: Granularity): string[] {
  const out: string[] = [];
  let cur = periodStart(from, by);
  const end = periodStart(to, by);
  while (cur <= end) {
    out.push(cur);
    const d = new Date(`${cur}T00:00:00Z`);
    if (by === 'day') d.setUTCDate(d.getUTCDate() + 1);
    else if (by === 'week') d.setUTCDate(d.getUTCDate() + 7);
    else d.setUTCMonth(d.getUTCMonth() + 1);
    cur = d.toISOString().slice(0, 10);
  }
  return out;
}

export interface PeriodVolume {
  period: string;
  calls: number;
  /** seconds of speech (agent + customer), or of call time when speech is unknown */
  talkSec: number;
}

export interface KeyCount {
  period: string;
  /** "event:<type>" or "lexicon:<entry id>" */
  key: string;
  count: number;
}

export interface SeriesPoint {
  period: string;
  count: number;
  /** occurrences per 100 calls of the period (null when the period has no calls) */
  per100Calls: number | null;
  /** occurrences per hour of talk (null when the period has no talk time) */
  perTalkHour: number | null;
  /** per100Calls minus the previous period's (null for the first period or when either is null) */
  change: number | null;
  /** relative change of per100Calls against the previous period, 0.25 = +25% (null when undefined) */
  changeRatio: number | null;
}

export interface Series {
  key: string;
  total: number;
  /** the same period order as `periods` */
  counts: number[];
  points: SeriesPoint[];
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function rollup(periods: readonly string[], volume: readonly PeriodVolume[], counts: readonly KeyCount[]): Series[] {
  const vol = new Map(volume.map((v) => [v.period, v]));
  const byKey = new Map<string, Map<string, number>>();
  for (const c of counts) {
    const m = byKey.get(c.key) ?? new Map<string, number>();
    m.set(c.period, (m.get(c.period) ?? 0) + c.count);
    byKey.set(c.key, m);
  }
  const series: Series[] = [];
  for (const [key, m] of byKey) {
    const points: SeriesPoint[] = [];
    let prev: number | null = null;
    for (const p of periods) {
      const count = m.get(p) ?? 0;
      const v = vol.get(p);
      const per100Calls = v && v.calls > 0 ? round((100 * count) / v.calls) : null;
      const perTalkHour = v && v.talkSec > 0 ? round(count / (v.talkSec / 3600)) : null;
      const change = per100Calls !== null && prev !== null ? round(per100Calls - prev) : null;
      const changeRatio = per100Calls !== null && prev !== null && prev > 0 ? round(per100Calls / prev - 1) : null;
      points.push({ period: p, count, per100Calls, perTalkHour, change, changeRatio });
      prev = per100Calls;
    }
    series.push({ key, total: points.reduce((a, x) => a + x.count, 0), counts: points.map((x) => x.count), points });
  }
  return series.sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
}
