import { describe, expect, it } from 'vitest';
import { lexiconsFor, resolvePipeline } from '../../pipeline/loader.js';
import { prepareHallucinationGuard } from '../../transcribe/hallucinations.js';
import { matcherFor, prepareTextDetectors } from './index.js';

// A stage-pool worker builds the matchers before its first call (stage-worker.ts): that only helps if it builds
// the very matchers the detect stage and the hallucination guard then ask for (the same cache entries).
describe('prepared text matchers', () => {
  const pipeline = resolvePipeline('default');
  const lex = lexiconsFor(pipeline);

  it('are the ones the detectors and the hallucination guard use', () => {
    const names = ['Acme Telecom', '安心保险'];
    const built = prepareTextDetectors(lex, names);
    expect(matcherFor(lex, [...names])).toBe(built);
    expect(matcherFor(lex, [])).not.toBe(built);
    expect(prepareHallucinationGuard(lex)).toBe(matcherFor(lex, [], ['hallucination']));
    expect(prepareHallucinationGuard(lex)).not.toBe(built);
  });
});
