/**
 * The BullMQ adapter: one queue per stage of the graph, under one key prefix. The only module (with
 * worker.ts) that touches bullmq; the rest of callqa sees stage names, run ids and counts.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Stage, StageName } from '../pipeline/stage.js';
import type { QueueConfig } from './config.js';
import { jobIdFor, type RunKey, type StageJob } from './jobs.js';

export type JobState = 'waiting' | 'active' | 'delayed' | 'prioritized' | 'waiting-children' | 'completed' | 'failed' | 'unknown';

export interface LiveJob {
  stage: StageName;
  id: string;
  state: JobState;
  failedReason?: string;
  attemptsMade: number;
}

export interface StageDepth {
  stage: StageName;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  /** worker connections listening on this stage's queue */
  workers: number;
}

export function defaultJobOptions(cfg: Pick<QueueConfig, 'attempts' | 'backoffMs'>): JobsOptions {
  return {
    attempts: cfg.attempts,
    backoff: { type: 'exponential', delay: cfg.backoffMs },
    // Completed jobs leave Redis at once: the database is the record of what finished, and a finished
    // call asked for again is answered from the database (enqueue reports it cached).
    removeOnComplete: true,
    // Failed jobs stay, with their error, until `callqa retry` (or reconcile) deals with them.
    removeOnFail: false,
  };
}

export class StageQueues {
  private readonly queues = new Map<StageName, Queue<StageJob>>();

  constructor(
    readonly connection: Redis,
    readonly cfg: Pick<QueueConfig, 'prefix' | 'attempts' | 'backoffMs'>,
    readonly stages: readonly Stage[],
  ) {
    for (const s of stages) {
      const q = new Queue<StageJob>(s.name, { connection, prefix: cfg.prefix, defaultJobOptions: defaultJobOptions(cfg) });
      q.on('error', () => undefined); // connection trouble surfaces on the next call
      this.queues.set(s.name, q);
    }
  }

  queue(stage: StageName): Queue<StageJob> {
    const q = this.queues.get(stage);
    if (!q) throw new Error(`no queue for stage ${stage}`);
    return q;
  }

  /** Adds the job unless one with the same id is already in Redis (BullMQ then returns the existing one). */
  async add(stage: StageName, runId: string, key: RunKey): Promise<void> {
    const jobId = jobIdFor(stage, key);
    await this.queue(stage).add(stage, { runId }, { jobId });
  }

  /** The run's jobs still in Redis, in any stage queue and any state. */
  async jobsOf(key: RunKey): Promise<LiveJob[]> {
    const found = await Promise.all(
      this.stages.map(async (s): Promise<LiveJob | null> => {
        const job = await this.queue(s.name).getJob(jobIdFor(s.name, key));
        if (!job) return null;
        const state = (await job.getState()) as JobState;
        return { stage: s.name, id: job.id ?? '', state, failedReason: job.failedReason || undefined, attemptsMade: job.attemptsMade };
      }),
    );
    return found.filter((j): j is LiveJob => j !== null && j.state !== 'unknown');
  }

  /** Removes the run's jobs from every stage queue (an active one cannot be removed and is kept). */
  async removeJobsOf(key: RunKey, states: JobState[] = ['failed', 'completed']): Promise<number> {
    let n = 0;
    for (const s of this.stages) {
      const job = await this.queue(s.name).getJob(jobIdFor(s.name, key));
      if (!job) continue;
      const state = (await job.getState()) as JobState;
      if (!states.includes(state)) continue;
      await job.remove();
      n++;
    }
    return n;
  }

  /** Failed jobs of one stage (newest first), for `callqa retry` and `status`. */
  async failedJobs(stage: StageName, limit = 1000): Promise<Array<{ id: string; runId: string; failedReason: string; attemptsMade: number }>> {
    const jobs = await this.queue(stage).getJobs(['failed'], 0, limit - 1, false);
    return jobs.map((j) => ({
      id: j.id ?? '',
      runId: (j.data as StageJob | undefined)?.runId ?? '',
      failedReason: j.failedReason,
      attemptsMade: j.attemptsMade,
    }));
  }

  async depths(): Promise<StageDepth[]> {
    return Promise.all(
      this.stages.map(async (s) => {
        const q = this.queue(s.name);
        const c = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed');
        const workers = await q.getWorkers().then((w) => w.length).catch(() => 0);
        return {
          stage: s.name,
          waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          failed: c.failed ?? 0,
          completed: c.completed ?? 0,
          workers,
        };
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
