/**
 * A worker thread of the stage pool (stage-pool.ts): runs one stage of one call at a time with
 * executeStage, exactly as the in-process runner would, and posts the StageRun back. It never touches the
 * database: the runner in the main thread stays its only writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { executeStage } from './execute.js';
import { stageByName } from './graph.js';
import type { PipelineConfig } from './config.js';
import type { StageJob, WorkerReply } from './stage-pool.js';

const { pipeline } = workerData as { pipeline: PipelineConfig };
const port = parentPort!;
const running = new Map<number, AbortController>();

port.on('message', (msg: StageJob | { abort: number }) => {
  if ('abort' in msg) {
    running.get(msg.abort)?.abort();
    return;
  }
  void run(msg);
});

async function run(job: StageJob): Promise<void> {
  const ac = new AbortController();
  running.set(job.id, ac);
  const reply = (r: WorkerReply) => port.postMessage(r);
  try {
    const stage = stageByName(job.stage);
    if (!stage) throw new Error(`unknown stage ${job.stage}`);
    let last = -1;
    const r = await executeStage(stage, job.state, { recording: job.recording, pipeline, options: job.options, signal: ac.signal }, {
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
    reply({ id: job.id, error: { name: e.name, message: e.message, stack: e.stack } });
  } finally {
    running.delete(job.id);
  }
}
