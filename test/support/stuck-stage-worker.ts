/**
 * A stage-pool worker (served by the real protocol, src/pipeline/stage-serve.ts) whose stages misbehave, for
 * test/stage-budget.test.ts: `detect` spins in synchronous JavaScript forever (no timer in its thread can fire),
 * `transcribe` waits forever without blocking, `score` answers after 300 ms with this thread's id. With
 * `startDelayMs` in the pipeline it handed over, the worker blocks that long before it serves (a slow start-up).
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import type { PipelineConfig } from '../../src/pipeline/config.js';
import type { Stage } from '../../src/pipeline/stage.js';
import { serveStages } from '../../src/pipeline/stage-serve.js';

const stages: Record<string, Stage> = {
  detect: {
    name: 'detect',
    async run() {
      for (;;); // synchronous and endless: only terminating the thread ends it
    },
  },
  transcribe: {
    name: 'transcribe',
    run: () => new Promise(() => undefined),
  },
  score: {
    name: 'score',
    run: () => new Promise((resolve) => setTimeout(() => resolve({ notes: [String(threadId)] }), 300)),
  },
};

const { startDelayMs } = (workerData as { pipeline: { startDelayMs?: number } }).pipeline;
if (startDelayMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, startDelayMs);

serveStages(parentPort!, (workerData as { pipeline: PipelineConfig }).pipeline, (name) => stages[name]);
