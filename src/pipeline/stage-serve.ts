import type { MessagePort } from 'node:worker_threads';
import { StageTimeoutError } from './budget.js';
import type { PipelineConfig } from './config.js';
import { executeSequence } from './execute.js';
import type { StageJob, WorkerReply } from './stage-pool.js';
import type { Stage, StageName } from './stage.js';

/**
 * The stage pool's protocol, worker side (stage-worker.ts is the worker; tests serve their own stages with
 * it): a StageJob in (a call's stages, run one after another), its progress and then every stage's StageRun or the error out; `{ abort: id }` stops a job.
 */
export function serveStages(port: MessagePort, pipeline: PipelineConfig, stageByName: (name: string) => Stage | undefined): void {
  const running = new Map<number, AbortController>();
  const run = async (job: StageJob): Promise<void> => {
    const ac = new AbortController();
    running.set(job.id, ac);
    const reply = (r: WorkerReply) => port.postMessage(r);
    let at: StageName | undefined;
    try {
      const stages = job.stages.map((name) => {
        const stage = stageByName(name);
        if (!stage) throw new Error(`unknown stage ${name}`);
        return stage;
      });
      let last = -1;
      const runs = await executeSequence(stages, job.state, { recording: job.recording, pipeline, options: job.options, signal: ac.signal, sameProcess: job.sameProcess, workDir: job.workDir }, {
        budget: job.budget,
        onProgress: (stage, fraction) => {
          // progress is for people: a message per percent is plenty (and one as each stage begins: the
          // pool restarts its watch on the stage's budget then)
          const pct = Math.floor(fraction * 100);
          if (stage !== at || pct !== last) {
            at = stage;
            last = pct;
            reply({ id: job.id, stage, progress: fraction });
          }
        },
      });
      reply({ id: job.id, runs });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const timeout = e instanceof StageTimeoutError ? { budgetSec: e.budgetSec, stage: e.stage as StageName } : {};
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
