/**
 * A worker thread of the stage pool (stage-pool.ts): runs one stage of one call at a time with
 * executeStage, exactly as the in-process runner would, and posts the StageRun back. It never touches the
 * database: the runner in the main thread stays its only writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { stageByName } from './graph.js';
import type { PipelineConfig } from './config.js';
import { serveStages } from './stage-serve.js';

serveStages(parentPort!, (workerData as { pipeline: PipelineConfig }).pipeline, stageByName);
