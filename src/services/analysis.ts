/**
 * Analysis use case, shared by the CLI (`callqa analyze`) and the API: analyse a recording in this process
 * (every stage of src/pipeline, saved through the store's repositories); the callers only render the
 * outcome. Rescoring is in rescore.ts (it needs none of the audio and speech machinery).
 */
import { analyzeFile, type AnalyzeInput, type CallOutcome, type RunnerContext } from '../pipeline/runner.js';

export type { AnalyzeInput, CallOutcome, RunnerContext };

/**
 * Analyses one recording through every stage, in this process; a finished analysis of the same inputs is
 * reused (`cached`), one whose inputs changed is done again and says why (`reanalysed`).
 */
export function analyzeRecording(input: AnalyzeInput, ctx: RunnerContext): Promise<CallOutcome> {
  return analyzeFile(input, ctx);
}
