/**
 * Kept for imports written before the one loader: resolvePipeline and the pipelines folder now live in
 * loader.ts, which validates everything in a pipeline file (stage settings, text thresholds, lexicon sets,
 * scorecard) for every command alike.
 */
export { defaultPipelinesDir as pipelinesDir, resolvePipeline } from './loader.js';
