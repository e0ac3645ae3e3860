import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normaliseText } from '../src/core/normalise.js';
import type { Speaker, TranscriptSegment } from '../src/core/types.js';
import { bannedFeatures, bannedModel, parseBannedModel, scoreBanned } from '../src/detect/text/banned-model.js';
import { DEFAULT_TEXT_PARAMS, runTextDetectors } from '../src/detect/text/index.js';
import { parseTextParams } from '../src/detect/text/params.js';
import { loadLexicons } from '../src/lexicon/loader.js';

/**
 * The banned-utterance classifier (issue 16): its features, its findings beside the phrase lists, and the switch.
 * Its precision and recall on sets it never saw are measured by `npm run train:banned -- --cv …` (docs/lexicons.md);
 * these lines are written here, in no dialogue set.
 */
const lex = loadLexicons(join(dirname(fileURLToPath(import.meta.url)), '..', 'lexicons'));
function events(lines: [Speaker, string][], params = DEFAULT_TEXT_PARAMS) {
  const segments: TranscriptSegment[] = lines.map(([speaker, text], i) => ({ speaker, start: 0.5 + 4 * i, end: 3.5 + 4 * i, text, normText: normaliseText(text) }));
  return runTextDetectors({ transcript: { engine: 'sidecar-json', language: 'auto', segments }, durationSec: 4 * lines.length + 2, holdSpans: [], language: 'auto' }, lex, params).events;
}

describe('banned-utterance classifier', () => {
  it('features are character n-grams of the Chinese (Traditional folded) and word n-grams of the English', () => {
    expect(bannedFeatures('你自己查吧')).toEqual(expect.arrayContaining(['z你', 'z自己', 'z自己查', 'z查吧']));
    expect(bannedFeatures('妳自己查吧')).toEqual(bannedFeatures('妳自己查吧'));
    expect(bannedFeatures('這個我不清楚')).toEqual(bannedFeatures('这个我不清楚'));
    expect(bannedFeatures('Thats YOUR problem')).toEqual(expect.arrayContaining(['wthats', 'wyour', 'byour problem', 'tthats your problem']));
  });

  it('scores rude, shirking and mis-selling lines no phrase list holds high, and polite service low', () => {
    const m = bannedModel();
    expect(m.weights.size).toBeGreaterThan(1000);
    for (const rude of ['你们家那点事自己解决吧 别老往我们这打', '这种问题您问百度不就行了', 'honestly mate you should have sorted that out yourself months ago', 'ill add it anyway you can always cancel it later'])
      expect(scoreBanned(m, rude).p, rude).toBeGreaterThanOrEqual(0.6);
    for (const polite of ['好的 我这边马上帮您查询一下 请稍等', '非常抱歉给您带来不便 我们会尽快处理', 'no problem at all let me check that for you', 'thanks for your patience the refund will reach your card in three to five days'])
      expect(scoreBanned(m, polite).p, polite).toBeLessThan(0.3);
  });

  it('an utterance no phrase matched becomes a banned finding of kind model, with its probability and strongest n-grams; a lexicon hit is not doubled', () => {
    const ev = events([
      ['agent', '您好 这里是星河电信 工号1024'],
      ['agent', '你们家那点事自己解决吧 别老往我们这打'],
      ['agent', '这个我不清楚'],
    ]).filter((e) => e.type === 'banned_phrase');
    const model = ev.filter((e) => (e.details as { kind?: string }).kind === 'model');
    expect(model).toHaveLength(1);
    expect(model[0].details).toMatchObject({ segmentIndex: 1, phrase: '(classifier)', entryId: 'banned.model', severity: 'major', language: 'zh' });
    expect((model[0].details as { confidence: number }).confidence).toBeGreaterThanOrEqual(0.6);
    expect((model[0].details as { matched: string }).matched.length).toBeGreaterThan(0);
    expect(ev.filter((e) => (e.details as { segmentIndex: number }).segmentIndex === 2)).toHaveLength(1);
  });

  it('only speech known to be the agent\'s is scored: unlabelled (mono) speech is left to the phrase lists', () => {
    const ev = events([
      ['unknown', '您好 这里是星河电信 工号1024'],
      ['unknown', '你们家那点事自己解决吧 别老往我们这打'],
    ]).filter((e) => e.type === 'banned_phrase' && (e.details as { kind?: string }).kind === 'model');
    expect(ev).toHaveLength(0);
  });

  it('bannedModelThreshold 1 turns it off; the field is validated', () => {
    const off = parseTextParams({ bannedModelThreshold: 1 });
    const ev = events([['agent', '您好 这里是星河电信 工号1024'], ['agent', '你们家那点事自己解决吧 别老往我们这打']], off);
    expect(ev.filter((e) => e.type === 'banned_phrase')).toHaveLength(0);
    expect(() => parseTextParams({ bannedModelThreshold: 0.2 }, 'p.yaml')).toThrow(/p\.yaml.*text\.bannedModelThreshold/);
  });

  it('parses the generated weights format', () => {
    const m = parseBannedModel({ bias: -1, trainedOn: 'test', weights: 'z滚\t3\nwwhatever\t2' });
    expect(scoreBanned(m, '滚').p).toBeCloseTo(1 / (1 + Math.exp(-2)), 5);
    expect(scoreBanned(m, 'hello').p).toBeCloseTo(1 / (1 + Math.exp(1)), 5);
  });
});
