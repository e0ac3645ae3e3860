import { sql } from 'drizzle-orm';
import type { QaCallRow } from '../trends/qa-figures.js';
import type { Granularity, KeyCount, PeriodVolume } from '../trends/rollup.js';
import { CALL_DATE, callConditions, rowsOf, TALK_SEC, type CallFilters } from './call-filter-sql.js';
import type { StoreDb } from './db.js';

/**
 * The lexicon entries an event stands for, each once: its entry and every entry its `matches` list (one event per
 * utterance holds all the phrases said in it: 我要打12315投诉 is one escalation whose entry is the regulator's, with
 * 投诉 among its matches, and counts for both).
 */
const EVENT_ENTRIES = sql.raw(`select e.details ->> 'entryId' as entry_id
  union select m ->> 'entryId' from jsonb_array_elements(case when jsonb_typeof(e.details -> 'matches') = 'array' then e.details -> 'matches' else '[]'::jsonb end) m`);

/** Counts behind `callqa trends`: per period, calls and talk time, and occurrences per event type and lexicon entry. */
export class TrendsRepo {
  constructor(private readonly db: StoreDb) {}

  private calls(f: CallFilters, by: Granularity) {
    return sql`select ar.id as run_id, date_trunc(${by}, ${CALL_DATE})::date::text as period, ${TALK_SEC} as talk_sec
      from analysis_runs ar join recordings r on r.id = ar.recording_id where ${sql.join(callConditions(f), sql` and `)}`;
  }

  async volume(f: CallFilters, by: Granularity): Promise<PeriodVolume[]> {
    const rows = await this.db.execute(sql`with c as (${this.calls(f, by)})
      select period, count(*)::int as calls, coalesce(sum(talk_sec), 0)::float8 as talk_sec from c group by period order by period`);
    return rowsOf<{ period: string; calls: number; talk_sec: number }>(rows).map((r) => ({ period: r.period, calls: Number(r.calls), talkSec: Number(r.talk_sec) }));
  }

  async keyCounts(f: CallFilters, by: Granularity): Promise<KeyCount[]> {
    const rows = await this.db.execute(sql`with c as (${this.calls(f, by)})
      select c.period, 'event:' || e.type as key, count(*)::int as n from c join events e on e.run_id = c.run_id group by c.period, e.type
      union all
      select c.period, 'lexicon:' || k.entry_id as key, count(*)::int as n from c join events e on e.run_id = c.run_id
        cross join lateral (${EVENT_ENTRIES}) k
        where k.entry_id is not null group by c.period, k.entry_id`);
    return rowsOf<{ period: string; key: string; n: number }>(rows).map((r) => ({ period: r.period, key: r.key, count: Number(r.n) }));
  }

  /** Customer utterances of calls between two dates (inclusive), newest calls first, at most `limit`. */
  async customerUtterances(f: CallFilters, from: string, to: string, limit: number): Promise<Array<{ callId: string; text: string }>> {
    const rows = await this.db.execute(sql`select s.run_id as call_id, s.text from transcript_segments s
      join analysis_runs ar on ar.id = s.run_id join recordings r on r.id = ar.recording_id
      where s.speaker = 'customer' and ${CALL_DATE} between ${from}::date and ${to}::date and ${sql.join(callConditions(f), sql` and `)}
      order by ${CALL_DATE} desc, s.run_id, s.idx limit ${limit}`);
    return rowsOf<{ call_id: string; text: string }>(rows).map((r) => ({ callId: String(r.call_id), text: String(r.text) }));
  }

  /** Per call: length, talk/silence/hold, the latest final result of a completed review, the customer's number. */
  async qaRows(f: CallFilters): Promise<QaCallRow[]> {
    const rows = await this.db.execute(sql`select r.id as call_id, ${CALL_DATE}::text as d, r.metadata ->> 'agentId' as agent, r.metadata ->> 'team' as team,
        coalesce(r.duration_sec, 0) as dur, (ar.metrics ->> 'agentTalkSec')::float8 as at, (ar.metrics ->> 'customerTalkSec')::float8 as ct,
        (ar.metrics ->> 'silenceSec')::float8 as sil, (ar.metrics ->> 'holdSec')::float8 as hold,
        (ar.metrics ->> 'speechSec')::float8 as speech, res.total as final_total, res.max_total as final_max, res.fatal,
        coalesce(r.metadata ->> 'customerNumberMasked', r.metadata ->> 'customerNumber') as num, r.metadata ->> 'customerId' as cid,
        coalesce(r.metadata ->> 'startedAt', ar.created_at::text) as started
      from analysis_runs ar join recordings r on r.id = ar.recording_id
      left join reviews rv on rv.recording_id = r.id and rv.status = 'completed'
      left join lateral (select x.total, x.max_total, x.fatal from review_results x where x.review_id = rv.id order by x.version desc limit 1) res on true
      where ${sql.join(callConditions(f), sql` and `)}`);
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return rowsOf<Record<string, unknown>>(rows).map((r) => ({
      callId: String(r.call_id), date: String(r.d), agentId: (r.agent as string | null) ?? null, team: (r.team as string | null) ?? null,
      durationSec: Number(r.dur), agentTalkSec: num(r.at), customerTalkSec: num(r.ct), silenceSec: num(r.sil), holdSec: num(r.hold),
      speechSec: num(r.speech), finalTotal: num(r.final_total), finalMax: num(r.final_max), fatal: r.fatal === null || r.fatal === undefined ? null : Boolean(r.fatal),
      customerNumber: (r.num as string | null) ?? null, customerId: (r.cid as string | null) ?? null, startedAt: Number.isNaN(Date.parse(String(r.started))) ? `${String(r.d)}T00:00:00Z` : String(r.started),
    }));
  }

  /** The newest call date under the filters (the default end of the trend window). */
  async lastCallDate(f: CallFilters): Promise<string | null> {
    const rows = await this.db.execute(sql`select max(${CALL_DATE})::text as d from analysis_runs ar join recordings r on r.id = ar.recording_id
      where ${sql.join(callConditions(f), sql` and `)}`);
    return rowsOf<{ d: string | null }>(rows)[0]?.d ?? null;
  }
}
