/**
 * The extra reads and writes the queue runner needs beyond `Repository`: per-run claims (so two workers never
 * run the same call at once, whatever Redis believes), resets for re-runs, and the timing aggregates behind
 * `callqa status`. PostgreSQL only: the queue's workers share a server.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import pg from 'pg';
import { errorMessage } from '../core/errors.js';
import type { StoreDb } from './db.js';
import {
  completeAndUnlockStatements,
  lockAndLoadStatements,
  markRunStartedStatement,
  markStageStatement,
  parseLockAndLoad,
  saveAndUnlockStatements,
  savedVersion,
  type ClaimLoad,
  type Statement,
  type StageSave,
} from './queue-fast.js';
import type { CompleteRunInput } from './store-types.js';
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
 *
 * The connections stay open between jobs (one per job slot of the worker, never closed for idleness), and
 * a stage job's reads and writes go over its claim's connection (queue-fast.ts): two round trips per job,
 * and a write cannot land once the claim's connection is gone.
 */
export interface RunClaim {
  /** true once the claim's connection has dropped: another worker may hold the run now */
  readonly lost: boolean;
  release(): Promise<void>;
}

/**
 * Stage outputs this process saved, kept as the JSON text it wrote, with the row version (xmin) the save
 * produced. The next stage of the call, when it runs here, asks the database for the outputs it does not
 * hold at that exact version, and parses the rest from this text: the same bytes the database has, so the
 * same values, without sending them back. A version that differs (another worker saved the stage again,
 * a retry cleared it) is read from the database as before. Bounded: the oldest calls are forgotten first.
 */
export class OutputCache {
  private readonly runs = new Map<string, Map<string, { version: string; json: string }>>();

  constructor(private readonly maxRuns = 256) {}

  versions(runId: string): Map<string, string> {
    const m = this.runs.get(runId);
    return new Map(m ? [...m].map(([stage, e]) => [stage, e.version]) : []);
  }

  json(runId: string, stage: string): string | undefined {
    return this.runs.get(runId)?.get(stage)?.json;
  }

  set(runId: string, stage: string, version: string, json: string): void {
    let m = this.runs.get(runId);
    if (m) this.runs.delete(runId); // re-inserted: most recent last
    else m = new Map();
    m.set(stage, { version, json });
    this.runs.set(runId, m);
    while (this.runs.size > this.maxRuns) this.runs.delete(this.runs.keys().next().value!);
  }

  forget(runId: string, stage?: string): void {
    if (stage === undefined) this.runs.delete(runId);
    else this.runs.get(runId)?.delete(stage);
  }
}

/**
 * Per-content locks for enqueueing: one enqueue at a time, across every process and machine sharing the
 * database, decides what becomes of a recording's bytes (duplicate of the stored recording, or its new name,
 * metadata and run) and writes it. Without it two enqueues of the same bytes under two names, racing (two
 * watchers, a watcher and an `enqueue`), would both find nothing stored and both take the recording over.
 * A session advisory lock on a connection of this class's own small pool, never the store's: the work done
 * under the lock queries through the store's pool, which lock holders must not starve. A process that dies
 * holding one loses its connection, and the server lets go of the lock at once.
 */
export class ContentLocks {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string, maxConnections = 2) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections, connectionTimeoutMillis: 5000, idleTimeoutMillis: 10_000 });
    this.pool.on('error', () => undefined);
    // A lock's connection is checked out while `fn` runs, between queries, where pg-pool does not listen: its
    // server going away (a restart, pg_terminate_backend) would emit an unhandled 'error' and end the process (a
    // watcher with it). The error surfaces on the unlock instead, which drops the connection.
    this.pool.on('connect', (c) => c.on('error', () => undefined));
  }

  /** Runs `fn` holding the lock on these bytes (waiting for another holder to finish first). */
  async withLock<T>(contentHash: string, fn: () => Promise<T>): Promise<T> {
    const key = `callqa:recording:${contentHash}`;
    const client = await this.pool.connect().catch((err: unknown) => {
      throw new Error(`cannot take the enqueue lock on this recording's bytes in PostgreSQL: ${errorMessage(err)}`, { cause: err });
    });
    try {
      await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
    } catch (err) {
      client.release(true);
      throw err;
    }
    try {
      return await fn();
    } finally {
      try {
        await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
        client.release();
      } catch {
        client.release(true); // closing the connection lets go of the lock
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export class RunLocks {
  private readonly pool: pg.Pool;
  readonly outputs = new OutputCache();

  constructor(databaseUrl: string, maxConnections: number) {
    // Pipeline mode (node-postgres >= 8.22): the statements of a round trip are written together and each
    // is parameterised (queue-fast.ts); without it every statement would wait for the previous answer.
    const config: pg.PoolConfig & { pipeline: boolean } = {
      connectionString: databaseUrl,
      max: maxConnections,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 0,
      pipeline: true,
    };
    this.pool = new pg.Pool(config);
    this.pool.on('error', () => undefined);
  }

  /** Takes the run's claim, or returns null at once when another session holds it. */
  async tryLock(runId: string): Promise<RunClaim | null> {
    const client = await this.pool.connect();
    const claim = new ClaimConnection(client, runId, this.outputs);
    let ok = false;
    try {
      const r = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [runId]);
      ok = r.rows[0]?.ok === true;
    } catch (err) {
      claim.drop();
      throw err;
    }
    if (!ok) {
      claim.giveBack();
      return null;
    }
    return claim;
  }

  /**
   * Takes the claim of a run and, in the same round trip, loads the run, its recording and its saved stage
   * outputs. Null at once when another session holds the claim.
   */
  async claimAndLoad(runId: string): Promise<{ claim: ClaimConnection; load: ClaimLoad } | null> {
    const client = await this.pool.connect();
    const claim = new ClaimConnection(client, runId, this.outputs);
    let load: ClaimLoad | null;
    try {
      load = parseLockAndLoad(await pipelined(client, lockAndLoadStatements(runId, this.outputs.versions(runId))));
    } catch (err) {
      claim.drop(); // the lock may be held: dropping the connection lets go of it
      throw err;
    }
    if (!load) {
      claim.giveBack(); // not granted: nothing held
      return null;
    }
    // Outputs not sent because this process holds them at that version; forget what the database changed.
    for (const [stage] of this.outputs.versions(runId)) {
      const json = load.known.has(stage) ? this.outputs.json(runId, stage) : undefined;
      if (json !== undefined) load.outputs.set(stage, JSON.parse(json));
      else this.outputs.forget(runId, stage);
    }
    return { claim, load };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * Sends the statements in one round trip (the connection is in pipeline mode) and waits for every answer;
 * rejects with the first statement's error, once all have answered (the connection is then in a known
 * state: a failed transaction has been rolled back by its `commit`).
 */
async function pipelined(client: pg.PoolClient, statements: readonly Statement[]): Promise<pg.QueryResult[]> {
  const settled = await Promise.allSettled(statements.map((s) => client.query({ text: s.text, values: s.values })));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<pg.QueryResult>).value);
}

export type StageOutputSave = Omit<StageSave, 'runId'>;

/** A held claim and its connection; the stage job's statements run here (queue-fast.ts). */
export class ClaimConnection implements RunClaim {
  private isLost = false;
  /** a statement failed part-way (maybe inside a transaction block): the connection is not reused */
  private broken = false;
  private unlocked = false;
  private released = false;
  // The connection sits idle while the stage runs; if the server drops it (restart, terminated backend)
  // pg emits 'error' on the checked-out client, which would crash the process unhandled. The claim is
  // gone with it: the holder must not store results under a claim it no longer has.
  private readonly onError = () => (this.isLost = true);

  constructor(
    private readonly client: pg.PoolClient,
    readonly runId: string,
    private readonly outputs: OutputCache,
  ) {
    client.on('error', this.onError);
  }

  get lost(): boolean {
    return this.isLost;
  }

  private async exec(statements: readonly Statement[]): Promise<pg.QueryResult[]> {
    if (this.released) throw new Error(`claim on run ${this.runId} already released`);
    try {
      return await pipelined(this.client, statements);
    } catch (err) {
      this.broken = true;
      throw err;
    }
  }

  /** `Repository.markRunStarted`, under the claim. */
  async markRunStarted(stage: string): Promise<void> {
    const [r] = await this.exec([markRunStartedStatement(this.runId, stage)]);
    if (!r?.rowCount) throw new Error(`markRunStarted: no run ${this.runId}`);
  }

  /** `Repository.markStage`, under the claim. */
  async markStage(stage: string): Promise<void> {
    await this.exec([markStageStatement(this.runId, stage)]);
  }

  /** Saves a stage's output, commits, and lets go of the claim, in one round trip. */
  async saveAndRelease(save: StageOutputSave): Promise<void> {
    const results = await this.finish(saveAndUnlockStatements({ ...save, runId: this.runId }));
    const version = savedVersion(results);
    // the JSON text the database parsed: the next stage here reads back exactly these values
    if (version) this.outputs.set(this.runId, save.stage, version, JSON.stringify(save.output ?? null));
  }

  /** The last stage: its output and the run's results in one transaction, then the claim let go. */
  async completeAndRelease(save: StageOutputSave, pipeline: { id: string; version: string }, result: CompleteRunInput): Promise<void> {
    this.outputs.forget(this.runId);
    await this.finish(completeAndUnlockStatements({ ...save, runId: this.runId }, pipeline, result));
  }

  private async finish(statements: readonly Statement[]): Promise<pg.QueryResult[]> {
    const results = await this.exec(statements);
    if (results[results.length - 1]?.rows[0]?.unlocked !== true) {
      // committed, but the claim was not ours any more (cannot happen while the connection lives)
      this.broken = true;
    } else {
      this.unlocked = true;
    }
    await this.release();
    return results;
  }

  async release(): Promise<void> {
    if (this.released) return;
    if (this.broken || this.isLost) return this.drop();
    if (!this.unlocked) {
      try {
        await this.client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [this.runId]);
      } catch {
        return this.drop(); // dropping the connection releases the lock too
      }
    }
    this.giveBack();
  }

  /** Closes the connection: the server lets go of every lock it held. */
  drop(): void {
    if (this.released) return;
    this.released = true;
    this.client.off('error', this.onError);
    this.client.release(true);
  }

  /** Back to the pool for the next job (no lock held). */
  giveBack(): void {
    if (this.released) return;
    this.released = true;
    this.client.off('error', this.onError);
    this.client.release();
  }
}
