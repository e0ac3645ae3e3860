/**
 * A worker thread of the stage pool (stage-pool.ts): runs one stage of one call at a time with
 * executeStage, exactly as the in-process runner would, and posts the StageRun back. It never touches the
 * database: the runner in the main thread stays its only writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { stageByName } from './graph.js';
import { seedLexicons } from './loader.js';
import type { StageWorkerData } from './stage-pool.js';
import { serveStages } from './stage-serve.js';

const { pipeline, lexicons } = workerData as StageWorkerData;
if (lexicons) seedLexicons(pipeline, lexicons);
serveStages(parentPort!, pipeline, stageByName);
