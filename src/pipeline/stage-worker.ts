/**
 * A worker thread of the stage pool (stage-pool.ts): runs one stage of one call at a time with
 * executeStage, exactly as the in-process runner would, and posts the StageRun back. It never touches the
 * database: the runner in the main thread stays its only writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { stageByName } from './graph.js';
import { prepareTextDetectors } from '../detect/text/index.js';
import { prepareHallucinationGuard } from '../transcribe/hallucinations.js';
import { lexiconsFor, seedLexicons } from './loader.js';
import type { StageWorkerData } from './stage-pool.js';
import { serveStages } from './stage-serve.js';

const { pipeline, lexicons, prepareText } = workerData as StageWorkerData;
if (lexicons) seedLexicons(pipeline, lexicons);
serveStages(parentPort!, pipeline, stageByName);
if (prepareText) {
  // What the first transcript needs, built while the main thread opens the database (a job that arrives
  // meanwhile waits for it, as it would have built it itself). A failure here is left to the stage that
  // needs it, which reports it as that call's error.
  setImmediate(() => {
    try {
      const lex = lexiconsFor(pipeline);
      prepareHallucinationGuard(lex);
      prepareTextDetectors(lex, pipeline.text.companyNames);
    } catch {
      /* reported by the stage */
    }
  });
}
