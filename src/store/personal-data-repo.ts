/**
 * A data subject's calls (a customer's, or named ones, or those past the retention period): finding them, reading
 * everything stored about them, and erasing them. Erasing a recording removes every row that holds its
 * content, by the schema's ON DELETE CASCADE: runs, stage outputs, events, transcripts and their search index,
 * scorecards, reviews, decisions, disputes, calibration scores, assignments and watch-list hits. The audit log is
 * kept (append-only): who did what to which call and when; the free text people wrote about the erased calls there
 * (review comments, dispute reasons) is blanked by the erasure, the one change the log allows (migration 0008).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { CallMetadata } from '../core/types.js';
import type { SubjectEvent, SubjectSelector, SubjectTranscript } from '../core/personal-data-types.js';
import { rowsOf } from './call-filter-sql.js';
import type { StoreDb } from './db.js';


export interface SubjectCallRow {
  id: string;
  fileName: string;
  /** where the audio is: an absolute path, or a storage key (`storage:ab/abcd....wav`) */
  path: string;
  contentHash: string;
  metadata: CallMetadata;
  durationSec: number | null;
  /** YYYY-MM-DD: metadata startedAt, else the day the recording was stored */
  callDate: string;
  storedAt: Date;
  /** the newest review's state, or null when never reviewed */
  reviewState: 'in_progress' | 'completed' | null;
  openDisputes: number;
}



/** The call's date as YYYY-MM-DD, over alias r (recordings). */
const SUBJECT_CALL_DATE = sql.raw(
  `(case when r.metadata ->> 'startedAt' ~ '^\\d{4}-\\d{2}-\\d{2}' then substring(r.metadata ->> 'startedAt' from 1 for 10) else to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD') end)`,
);

/** Recordings erased per statement (each id is one bind parameter; PostgreSQL takes at most 65535). */
const ERASE_BATCH = 1000;

/** Keys of audit-log details that hold what people wrote (review.decide comment, dispute.open/rule reason). */
const AUDIT_FREE_TEXT_KEYS = '{comment,reason}';

export class PersonalDataRepo {
  constructor(private readonly db: StoreDb) {}

  /** The calls a selector names (every condition given must hold), oldest first. */
  async findCalls(sel: SubjectSelector): Promise<SubjectCallRow[]> {
    // the customer's calls and the calls named (either), then only those before the date (both)
    const named: SQL[] = [];
    if (sel.customerId !== undefined) named.push(sql`r.metadata ->> 'customerId' = ${sel.customerId}`);
    if (sel.callIds !== undefined) {
      named.push(sel.callIds.length ? sql`r.id in (${sql.join(sel.callIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql`false`);
    }
    const where: SQL[] = named.length ? [sql`(${sql.join(named, sql` or `)})`] : [];
    if (sel.before !== undefined) where.push(sql`${SUBJECT_CALL_DATE} < ${sel.before}`);
    if (!where.length) throw new Error('findCalls: a selector with no condition would name every call');
    const res = await this.db.execute(sql`
      select r.id, r.file_name as "fileName", r.path, r.content_hash as "contentHash", r.metadata,
        r.duration_sec as "durationSec", ${SUBJECT_CALL_DATE} as "callDate", r.created_at as "storedAt",
        (select rv.status from reviews rv where rv.recording_id = r.id order by rv.started_at desc limit 1) as "reviewState",
        (select count(*)::int from disputes d where d.recording_id = r.id and d.status = 'open') as "openDisputes"
      from recordings r
      where ${sql.join(where, sql` and `)}
      order by ${SUBJECT_CALL_DATE}, r.created_at, r.id`);
    return rowsOf<SubjectCallRow & { storedAt: Date | string }>(res).map((r) => ({ ...r, storedAt: new Date(r.storedAt), openDisputes: Number(r.openDisputes) }));
  }

  /** Every transcript stored for a recording (one per analysis run that made one), newest first. */
  async transcripts(recordingId: string): Promise<SubjectTranscript[]> {
    const res = await this.db.execute(sql`
      select t.run_id as "runId", ar.pipeline_id as "pipelineId", t.engine, t.model, t.language,
        coalesce((select json_agg(json_build_object('speaker', s.speaker, 'start', s.start_sec, 'end', s.end_sec, 'text', s.text) order by s.idx)
          from transcript_segments s where s.run_id = t.run_id), '[]'::json) as segments
      from transcripts t join analysis_runs ar on ar.id = t.run_id
      where ar.recording_id = ${recordingId}::uuid
      order by t.created_at desc, t.run_id`);
    return rowsOf<SubjectTranscript>(res);
  }

  /** Every finding stored for a recording, by run and time. */
  async events(recordingId: string): Promise<SubjectEvent[]> {
    const res = await this.db.execute(sql`
      select e.run_id as "runId", e.type, e.speaker, e.start_sec as "start", e.end_sec as "end", e.details
      from events e join analysis_runs ar on ar.id = e.run_id
      where ar.recording_id = ${recordingId}::uuid
      order by ar.created_at, e.start_sec, e.id`);
    return rowsOf<SubjectEvent>(res);
  }

  /**
   * Erases the recordings and everything that cascades from them, in the caller's transaction. Answers how many
   * rows went, by table, so the erasure can be shown and audited.
   */
  async erase(recordingIds: readonly string[], reason: 'request' | 'retention', at: Date): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    // in batches: one statement takes at most 65535 bind parameters, and a first retention purge names more calls
    for (let i = 0; i < recordingIds.length; i += ERASE_BATCH) {
      for (const [k, n] of Object.entries(await this.eraseBatch(recordingIds.slice(i, i + ERASE_BATCH), reason, at))) counts[k] = (counts[k] ?? 0) + n;
    }
    return counts;
  }

  private async eraseBatch(recordingIds: readonly string[], reason: 'request' | 'retention', at: Date): Promise<Record<string, number>> {
    if (!recordingIds.length) return {};
    const ids = sql.join(recordingIds.map((id) => sql`${id}::uuid`), sql`, `);
    const count = async (q: SQL) => Number(rowsOf<{ n: number | string }>(await this.db.execute(q))[0]?.n ?? 0);
    // counted before: the cascade does the deleting
    const counts: Record<string, number> = {
      runs: await count(sql`select count(*) as n from analysis_runs where recording_id in (${ids})`),
      transcriptSegments: await count(
        sql`select count(*) as n from transcript_segments s join analysis_runs ar on ar.id = s.run_id where ar.recording_id in (${ids})`,
      ),
      events: await count(sql`select count(*) as n from events e join analysis_runs ar on ar.id = e.run_id where ar.recording_id in (${ids})`),
      scorecards: await count(sql`select count(*) as n from scorecards c join analysis_runs ar on ar.id = c.run_id where ar.recording_id in (${ids})`),
      reviews: await count(sql`select count(*) as n from reviews where recording_id in (${ids})`),
      disputes: await count(sql`select count(*) as n from disputes where recording_id in (${ids})`),
    };
    // the bytes' fingerprint (nothing else) is kept, so the same recording coming again is refused
    await this.db.execute(sql`
      insert into erased_recordings (content_hash, erased_at, reason)
      select content_hash, ${at.toISOString()}::timestamptz, ${reason} from recordings where id in (${ids})
      on conflict (content_hash) do update set erased_at = excluded.erased_at, reason = excluded.reason`);
    // the free text people wrote about the call in the audit log (review comments, dispute reasons) is blanked:
    // the one change the log allows, and only inside this transaction (migration 0008); who, what, when stay
    await this.db.execute(sql`select set_config('callqa.erasure', 'on', true)`);
    counts.auditTextErased = await count(sql`
      with blanked as (
        update audit_log set details = (details - ${AUDIT_FREE_TEXT_KEYS}::text[]) || '{"textErased": true}'::jsonb
        where call_id in (${ids}) and details ?| ${AUDIT_FREE_TEXT_KEYS}::text[]
        returning 1)
      select count(*) as n from blanked`);
    await this.db.execute(sql`select set_config('callqa.erasure', 'off', true)`);
    counts.recordings = await count(sql`with gone as (delete from recordings where id in (${ids}) returning 1) select count(*) as n from gone`);
    return counts;
  }

  /** The analysis runs of these recordings, as the queue keys its jobs (content hash, program, version). */
  async runKeys(recordingIds: readonly string[]): Promise<{ contentHash: string; pipelineId: string; pipelineVersion: string }[]> {
    if (!recordingIds.length) return [];
    const res = await this.db.execute(sql`
      select r.content_hash as "contentHash", ar.pipeline_id as "pipelineId", ar.pipeline_version as "pipelineVersion"
      from analysis_runs ar join recordings r on r.id = ar.recording_id
      where ar.recording_id in (${sql.join(recordingIds.map((id) => sql`${id}::uuid`), sql`, `)})`);
    return rowsOf(res);
  }

  /** Lifts the erasure of recordings with these bytes (an erasure made in error); answers the hashes lifted. */
  async readmit(contentHashes: readonly string[]): Promise<string[]> {
    if (!contentHashes.length) return [];
    const res = await this.db.execute(sql`
      delete from erased_recordings where content_hash in (${sql.join(contentHashes.map((h) => sql`${h}`), sql`, `)})
      returning content_hash as "contentHash"`);
    return rowsOf<{ contentHash: string }>(res).map((r) => r.contentHash);
  }

  /** Runs a function in one transaction (the erasure and its audit entries commit together or not at all). */
  transaction<T>(fn: (repo: PersonalDataRepo, tx: StoreDb) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new PersonalDataRepo(tx as unknown as StoreDb), tx as unknown as StoreDb));
  }
}
