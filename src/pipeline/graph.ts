import { setMatcherSource } from '../detect/text/index.js';
import { cachedMatcher } from '../lexicon/compiled.js';
import type { Stage } from './stage.js';
import { audioStage } from './stages/audio.js';
import { detectTextStage } from './stages/detect-text.js';
import { probeStage } from './stages/probe.js';
import { scoreStage } from './stages/score.js';
import { transcribeStage } from './stages/transcribe.js';

/**
 * The stage graph, in order: probe -> audio -> transcribe -> detect -> score. Both runners (in-process and
 * queue) take their stages from here; a stage not listed does not run anywhere.
 */
// Wherever stages run (the CLI, its worker threads, queue workers), a lexicon matcher built once is loaded
// from the cache folder afterwards instead of built again (~1 s of CPU per process or thread).
setMatcherSource(cachedMatcher);

export const STAGES: readonly Stage[] = [probeStage, audioStage, transcribeStage, detectTextStage, scoreStage];

export function stageByName(name: string): Stage | undefined {
  return STAGES.find((s) => s.name === name);
}
