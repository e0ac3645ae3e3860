import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { loadPipeline, parsePipelineData } from '../pipeline/loader.js';
import { defaultReviewPolicy } from '../score/schema.js';

describe('review policy block of a QA program', () => {
  it('defaults come from the seeds', () => {
    const p = defaultReviewPolicy();
    expect(p.sampling).toMatchObject({ shareOfVolume: { min: 0.05, max: 0.15 }, minPerAgentPerWeek: 3, confidence: 0.95, marginOfError: 0.05 });
    expect(p.quotas.minPerInspectorPerDay).toBe(5);
    expect(p.calibration).toMatchObject({ benchmark: 'supervisor', passAccuracy: 0.9 });
    // a shipped program without a review block gets them
    expect(loadPipeline('inbound-service-zh').pipeline.review).toEqual(p);
  });
  it('a partial block keeps the other defaults', () => {
    const pl = parsePipelineData({ id: 'x', version: '1', review: { sampling: { minPerAgentPerWeek: 5, newAgent: { days: 14 } }, quotas: { workdays: [1, 2, 3, 4, 5, 6] } } }, '(inline)');
    expect(pl.review.sampling.minPerAgentPerWeek).toBe(5);
    expect(pl.review.sampling.newAgent).toEqual({ days: 14, minPerWeek: 10 });
    expect(pl.review.sampling.shareOfVolume).toEqual({ min: 0.05, max: 0.15 });
    expect(pl.review.quotas).toEqual({ minPerInspectorPerDay: 5, maxPerInspectorPerDay: 0, workdays: [1, 2, 3, 4, 5, 6] });
  });
  it.each([
    [{ sampling: { shareOfVolume: { min: 0.2, max: 0.1 } } }, /review\.sampling\.shareOfVolume\.min: min must not exceed max/],
    [{ sampling: { confidence: 95 } }, /review\.sampling\.confidence/],
    [{ sampling: { minPerAgent: 3 } }, /review\.sampling.*minPerAgent/],
    [{ calibration: { benchmark: 'boss' } }, /review\.calibration\.benchmark/],
  ])('%j is rejected, naming the field', (review, msg) => {
    expect(() => parsePipelineData({ id: 'x', version: '1', review }, 'pipelines/x.yaml')).toThrow(ConfigError);
    expect(() => parsePipelineData({ id: 'x', version: '1', review }, 'pipelines/x.yaml')).toThrow(msg);
  });
});
