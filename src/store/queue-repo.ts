/**
 * The extra reads and writes the queue runner needs beyond `Repository`: per-run claims (so two workers never
 * run the same call at once, whatever Redis believes), resets for re-runs, and the timing aggregates behind
 * `callqa status`. PostgreSQL only: the queue's workers share a server.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import pg from 'pg';
import type { StoreDb } from './db.js';
import { analysisRuns, stageOutputs } from './schema.js';

export interface StageTimingStats {
  stage: string;
  count: number;
  meanSec: number;
  p50Sec: number;
  p95Sec: number;
  maxSec: number;
}

export interface Throughput {
  /** runs finished (done) in the window */
  done: number;
  failed: number;
  windowSec: number;
}

export class QueueRepository {
  constructor(readonly db: StoreDb) {}

  /** Deletes a run's stage outputs, so a forced re-run starts again at the first stage. */
  async clearStageOutputs(runId: string): Promise<void> {
    await this.db.delete(stageOutputs).where(eq(stageOutputs.runId, runId));
  }

  /** For each run, the stages whose output is saved (names only; the outputs can be large). */
  async doneStages(runIds: string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>(runIds.map((id) => [id, new Set<string>()]));
    if (runIds.length === 0) return out;
    const rows = await this.db
      .select({ runId: stageOutputs.runId, stage: stageOutputs.stage })
      .from(stageOutputs)
      .where(inArray(stageOutputs.runId, runIds));
    for (const r of rows) out.get(r.runId)?.add(r.stage);
    return out;
  }

  /** Duration statistics per stage over the stage outputs saved in the last `windowSec` seconds. */
  async stageTimings(windowSec = 3600): Promise<StageTimingStats[]> {
    const rows = await this.db.execute<{ stage: string; n: string; mean: number; p50: number; p95: number; max: number }>(sql`
      select stage,
             count(*) as n,
             avg(d) as mean,
             percentile_cont(0.5) within group (order by d) as p50,
             percentile_cont(0.95) within group (order by d) as p95,
             max(d) as max
      from (select stage, extract(epoch from (finished_at - started_at))::float8 as d
            from ${stageOutputs}
            where finished_at > now() - make_interval(secs => ${windowSec})) t
      group by stage`);
    return (rows as unknown as { rows: Array<{ stage: string; n: string; mean: number; p50: number; p95: number; max: number }> }).rows.map((r) => ({
      stage: r.stage,
      count: Number(r.n),
      meanSec: Number(r.mean),
      p50Sec: Number(r.p50),
      p95Sec: Number(r.p95),
      maxSec: Number(r.max),
    }));
  }

  async throughput(windowSec: number): Promise<Throughput> {
    const [row] = await this.db
      .select({
        done: sql<number>`count(*) filter (where ${analysisRuns.status} = 'done')::int`,
        failed: sql<number>`count(*) filter (where ${analysisRuns.status} = 'failed')::int`,
      })
      .from(analysisRuns)
      .where(sql`${analysisRuns.finishedAt} > now() - make_interval(secs => ${windowSec})`);
    return { done: Number(row?.done ?? 0), failed: Number(row?.failed ?? 0), windowSec };
  }
}

/**
 * Per-run claims as PostgreSQL session advisory locks on dedicated connections. A claim lives exactly as
 * long as its connection: a worker killed with SIGKILL loses its TCP connection and the server releases the
 * claim at once, with no lease to expire. BullMQ's job lock says who *should* run a job; this says who *is*
 * running the call, and it is what keeps `completeRun` to once per run when a stalled job is re-delivered
 * while its first worker is still alive (an event loop blocked past the lock duration).
 */
export interface RunClaim {
  /** true once the claim's connection has dropped: another worker may hold the run now */
  readonly lost: boolean;
  release(): Promise<void>;
}

export class RunLocks {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string, maxConnections: number) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections, connectionTimeoutMillis: 5000, idleTimeoutMillis: 10_000 });
    this.pool.on('error', () => undefined);
  }

  /** Takes the run's claim, or returns null at once when another session holds it. */
  async tryLock(runId: string): Promise<RunClaim | null> {
    const client = await this.pool.connect();
    let lost = false;
    // The connection sits idle while the stage runs; if the server drops it (restart, terminated backend)
    // pg emits 'error' on the checked-out client, which would crash the process unhandled. The claim is
    // gone with it: the holder must not store results under a claim it no longer has.
    const onError = () => (lost = true);
    client.on('error', onError);
    let ok = false;
    try {
      const r = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [runId]);
      ok = r.rows[0]?.ok === true;
    } catch (err) {
      client.off('error', onError);
      client.release(true);
      throw err;
    }
    if (!ok) {
      client.off('error', onError);
      client.release();
      return null;
    }
    let released = false;
    return {
      get lost() {
        return lost;
      },
      async release() {
        if (released) return;
        released = true;
        try {
          if (lost) throw new Error('connection lost');
          await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [runId]);
          client.off('error', onError);
          client.release();
        } catch {
          client.off('error', onError);
          client.release(true); // dropping the connection releases the lock too
        }
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
