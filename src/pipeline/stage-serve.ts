import type { MessagePort } from 'node:worker_threads';
import { StageTimeoutError } from './budget.js';
import type { PipelineConfig } from './config.js';
import { executeStage } from './execute.js';
import type { StageJob, WorkerReply } from './stage-pool.js';
import type { Stage } from './stage.js';

/**
 * The stage pool's protocol, worker side (stage-worker.ts is the worker; tests serve their own stages with
 * it): a StageJob in, its progress and then its StageRun or error out; `{ abort: id }` stops a job.
 */
export function serveStages(port: MessagePort, pipeline: PipelineConfig, stageByName: (name: string) => Stage | undefined): void {
  const running = new Map<number, AbortController>();
  const run = async (job: StageJob): Promise<void> => {
    const ac = new AbortController();
    running.set(job.id, ac);
    const reply = (r: WorkerReply) => port.postMessage(r);
    try {
      const stage = stageByName(job.stage);
      if (!stage) throw new Error(`unknown stage ${job.stage}`);
      let last = -1;
      const r = await executeStage(stage, job.state, { recording: job.recording, pipeline, options: job.options, signal: ac.signal, sameProcess: job.sameProcess }, {
        budget: job.budget,
        onProgress: (_s, fraction) => {
          // progress is for people: a message per percent is plenty
          const pct = Math.floor(fraction * 100);
          if (pct !== last) {
            last = pct;
            reply({ id: job.id, progress: fraction });
          }
        },
      });
      reply({ id: job.id, run: r });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const timeout = e instanceof StageTimeoutError ? { budgetSec: e.budgetSec } : {};
      reply({ id: job.id, error: { name: e.name, message: e.message, stack: e.stack, ...timeout } });
    } finally {
      running.delete(job.id);
    }
  };
  port.on('message', (msg: StageJob | { abort: number }) => {
    if ('abort' in msg) {
      running.get(msg.abort)?.abort();
      return;
    }
    void run(msg);
  });
}
