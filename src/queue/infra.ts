/**
 * Infrastructure faults are not the call's fault. When PostgreSQL or Redis cannot be reached, a job that
 * fails for that reason has done nothing wrong: retrying it on the call's attempt budget would burn every
 * attempt of every call picked up during an outage longer than the backoff (ten minutes later they were all
 * failed, needing `callqa retry`). Instead a worker that meets such a fault
 *   - puts the job back (delayed, no attempt spent) and does not mark the run failed,
 *   - stops taking jobs (BullMQ worker paused) and probes the service with backoff (0.5 s doubling to 15 s),
 *   - resumes when the service answers again,
 *   - and says so: in its log, and in a small record in Redis (`<prefix>:callqa:workers:<host>:<pid>`,
 *     refreshed every few seconds, expiring when the worker is gone) that `callqa status` reads, so the
 *     operator sees "waiting for the database since 12:03:05" rather than calls "active" with nothing running.
 */
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { errorMessage } from '../core/errors.js';

export type InfraService = 'database' | 'redis';

/** Network errors: which service they belong to is told by the port when there is one. */
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
/** PostgreSQL: connection exceptions (08xxx), shutting down / cannot connect now, too many connections */
const PG_CODES = /^(08...|57P01|57P02|57P03|53300)$/;
const PG_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Connection ended unexpectedly/i,
  /is not currently accepting connections/i,
  /lost the claim on this call \(database connection dropped\)/,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];
const REDIS_MESSAGES = [/^Connection is closed\.?$/, /Stream isn't writeable/, /Reached the max retries per request limit/];

/**
 * The service an error says is unreachable, or null for any other error (a bad file, a bug, a query error:
 * those stay the call's, with retries and failure as before). `redisPort` tells Redis's ECONNREFUSED from
 * PostgreSQL's.
 */
export function infraFault(err: unknown, redisPort?: number): InfraService | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const x = e as { code?: unknown; port?: unknown; message?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
    const code = typeof x.code === 'string' ? x.code : '';
    const message = typeof x.message === 'string' ? x.message : '';
    if (x.name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((r) => r.test(message))) return 'redis';
    if (NET_CODES.has(code)) return redisPort !== undefined && x.port === redisPort ? 'redis' : 'database';
    if (PG_CODES.test(code) || (code === '55000' && /accepting connections/.test(message))) return 'database';
    if (PG_MESSAGES.some((r) => r.test(message))) return 'database';
    queue.push(x.cause);
    if (Array.isArray(x.errors)) queue.push(...x.errors);
  }
  return null;
}

export interface Waiting {
  service: InfraService;
  since: string;
  error: string;
}

export interface InfraHealthOptions {
  /** resolves when the service answers */
  probe: Record<InfraService, () => Promise<unknown>>;
  /** called with true when the first service goes down, false when the last comes back */
  onWaiting(waiting: boolean): Promise<void> | void;
  log(line: string): void;
  firstProbeMs?: number;
  maxProbeMs?: number;
}

export class InfraHealth {
  private readonly down = new Map<InfraService, Waiting & { delayMs: number }>();
  private stopped = false;

  constructor(private readonly opts: InfraHealthOptions) {}

  /** A job met this fault: start waiting for the service (once per outage). */
  report(service: InfraService, err: unknown): void {
    if (this.stopped || this.down.has(service)) return;
    const wasWaiting = this.down.size > 0;
    const w = { service, since: new Date().toISOString(), error: errorMessage(err).slice(0, 200), delayMs: this.opts.firstProbeMs ?? 500 };
    this.down.set(service, w);
    this.opts.log(`waiting for ${service === 'database' ? 'the database' : 'Redis'} since ${w.since} (${w.error}); taking no jobs, no attempts spent`);
    if (!wasWaiting) void Promise.resolve(this.opts.onWaiting(true)).catch(() => undefined);
    void this.probeLoop(service);
  }

  /** How long to put a job back for: about the current probe interval. */
  retryDelayMs(): number {
    let ms = 1000;
    for (const w of this.down.values()) ms = Math.max(ms, w.delayMs);
    return ms + Math.floor(Math.random() * 500);
  }

  waiting(): Waiting[] {
    return [...this.down.values()].map(({ service, since, error }) => ({ service, since, error }));
  }

  stop(): void {
    this.stopped = true;
  }

  private async probeLoop(service: InfraService): Promise<void> {
    const w = this.down.get(service);
    if (!w) return;
    const t0 = Date.parse(w.since);
    while (!this.stopped) {
      await new Promise((r) => setTimeout(r, w.delayMs).unref());
      try {
        await this.opts.probe[service]();
        break;
      } catch (err) {
        w.error = errorMessage(err).slice(0, 200);
        w.delayMs = Math.min(w.delayMs * 2, this.opts.maxProbeMs ?? 15_000);
      }
    }
    this.down.delete(service);
    if (this.stopped) return;
    this.opts.log(`${service === 'database' ? 'the database' : 'Redis'} is reachable again after ${Math.round((Date.now() - t0) / 1000)} s; taking jobs`);
    if (this.down.size === 0) await Promise.resolve(this.opts.onWaiting(false)).catch(() => undefined);
  }
}

// ------------------------------------------------------------------------------ worker records in Redis

export interface WorkerRecord {
  host: string;
  pid: number;
  stages: string[];
  startedAt: string;
  /** when this record was written (it expires ~20 s after the worker stops writing it) */
  seenAt: string;
  state: 'running' | 'waiting';
  waiting: Waiting[];
}

const RECORD_TTL_MS = 20_000;
const keyPrefix = (prefix: string) => `${prefix}:callqa:workers:`;

/** Writes this worker's record every few seconds until `stop()`; best effort (Redis may be the one down). */
export function publishWorkerRecord(redis: Redis, prefix: string, stages: string[], health: InfraHealth): { stop(): Promise<void>; refresh(): void } {
  const key = `${keyPrefix(prefix)}${hostname()}:${process.pid}`;
  const startedAt = new Date().toISOString();
  const write = () => {
    const waiting = health.waiting();
    const rec: WorkerRecord = { host: hostname(), pid: process.pid, stages, startedAt, seenAt: new Date().toISOString(), state: waiting.length ? 'waiting' : 'running', waiting };
    // a write queued while Redis is down must not pile up: one at a time, dropped on failure
    void Promise.race([redis.set(key, JSON.stringify(rec), 'PX', RECORD_TTL_MS), new Promise((r) => setTimeout(r, 2000).unref())]).catch(() => undefined);
  };
  write();
  const timer = setInterval(write, 5000);
  timer.unref();
  return {
    refresh: write,
    async stop() {
      clearInterval(timer);
      await Promise.race([redis.del(key), new Promise((r) => setTimeout(r, 2000).unref())]).catch(() => undefined);
    },
  };
}

export async function readWorkerRecords(redis: Redis, prefix: string): Promise<WorkerRecord[]> {
  const out: WorkerRecord[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix(prefix)}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) {
      for (const v of await redis.mget(...keys)) {
        if (!v) continue;
        try {
          out.push(JSON.parse(v) as WorkerRecord);
        } catch {
          // not ours
        }
      }
    }
  } while (cursor !== '0');
  return out.sort((a, b) => a.host.localeCompare(b.host) || a.pid - b.pid);
}
