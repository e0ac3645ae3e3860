import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normaliseText } from '../src/core/normalise.js';
import type { Speaker, TranscriptSegment } from '../src/core/types.js';
import { bannedModel } from '../src/detect/text/banned-model.js';
import { escalationModel } from '../src/detect/text/escalation-model.js';
import { parseUtteranceModel as parseBannedModel, scoreUtterance as scoreBanned, utteranceFeatures as bannedFeatures } from '../src/detect/text/utterance-model.js';
import { DEFAULT_TEXT_PARAMS, runTextDetectors } from '../src/detect/text/index.js';
import { parseTextParams } from '../src/detect/text/params.js';
import { loadLexicons } from '../src/lexicon/loader.js';

/**
 * The utterance classifiers (issue 16), banned agent lines and customer escalations: their features, their findings
 * beside the phrase lists, and the switches. Their precision and recall on sets they never saw are measured by
 * `npm run train:banned -- --cv …` and `npm run train:escalation -- --cv …` (docs/lexicons.md);
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

describe('customer-escalation classifier', () => {
  const esc = (lines: [Speaker, string][], params = DEFAULT_TEXT_PARAMS) => events(lines, params).filter((e) => e.type === 'customer_escalation');
  const model = (lines: [Speaker, string][], params = DEFAULT_TEXT_PARAMS) => esc(lines, params).filter((e) => (e.details as { kind?: string }).kind === 'model');

  it('scores threats no phrase list holds high, and ordinary customer speech low', () => {
    const m = escalationModel();
    expect(m.weights.size).toBeGreaterThan(1000);
    // (lines in no set; its recall on unseen sets is ~0.84 leave-one-set-out, so some threats score low: docs/lexicons.md)
    for (const threat of ['我明天就去你们总部门口讨说法', '我会把聊天记录全部截图发给你们总部', 'right thats it im writing to your chief executive tonight', 'im going to the energy watchdog about this first thing tomorrow'])
      expect(scoreBanned(m, threat).p, threat).toBeGreaterThanOrEqual(0.6);
    for (const calm of ['好的 那我等你们的电话 谢谢', '我的订单号是幺三五七九 麻烦帮我查一下', 'yes thats the right address thank you', 'okay so the engineer comes on tuesday morning great'])
      expect(scoreBanned(m, calm).p, calm).toBeLessThan(0.3);
  });

  it('a customer utterance no phrase matched becomes an escalation of kind model, with the apology check; a lexicon hit is not doubled', () => {
    const ev = esc([
      ['agent', '您好 这里是星河电信 工号1024 请问有什么可以帮您'],
      ['customer', '我明天就去你们总部门口讨说法'],
      ['agent', '非常抱歉 我马上帮您处理'],
      ['customer', '我要投诉你们'],
    ]);
    expect(ev).toHaveLength(2);
    const m = ev.find((e) => (e.details as { kind?: string }).kind === 'model')!;
    expect(m.details).toMatchObject({ segmentIndex: 1, phrase: '(classifier)', entryId: 'escalation.model', kinds: ['model'], apologised: true, language: 'zh' });
    expect(ev.find((e) => (e.details as { segmentIndex: number }).segmentIndex === 3)!.details).toMatchObject({ kind: expect.not.stringMatching(/^model$/) });
  });

  it('the lexicon\'s no-threat cues win: not a complaint, settled, someone else\'s; the agent and unlabelled speech are never scored', () => {
    expect(model([['agent', '您好 星河电信 工号1024'], ['customer', '我不是要投诉 我就是问问 上次那个事情你们处理得挺好']])).toHaveLength(0);
    expect(model([['agent', 'hello acme energy this is sam'], ['customer', 'its not a complaint i just want to know when the engineer is coming']])).toHaveLength(0);
    expect(model([['agent', '如果您不满意 可以拨打我们的投诉热线 也可以去十二三幺五反映']])).toHaveLength(0);
    expect(model([['unknown', '我明天就去你们总部门口讨说法']])).toHaveLength(0);
  });

  it('escalationModelThreshold 1 turns it off; the field is validated', () => {
    const off = parseTextParams({ escalationModelThreshold: 1 });
    expect(model([['agent', '您好 星河电信 工号1024'], ['customer', '我明天就去你们总部门口讨说法']], off)).toHaveLength(0);
    expect(() => parseTextParams({ escalationModelThreshold: 0.1 }, 'p.yaml')).toThrow(/p\.yaml.*text\.escalationModelThreshold/);
  });
});
