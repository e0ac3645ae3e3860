import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exampleInput, ExamplesFileSchema, runExample } from '../score/examples.js';
import { examplesFileFor, loadExamples, loadPipeline } from '../pipeline/loader.js';
import { appendExample, buildRegressionExample, ExampleExportError, expectationOf, type CallForExample } from './regression-example.js';

const { file, pipeline } = loadPipeline('inbound-service-zh');
const shipped = loadExamples(examplesFileFor(file)!).examples[0]!; // 规范来电: a clean call
const items = new Map(pipeline.scorecard!.sections.flatMap((s) => s.items).map((i) => [i.id, i]));

/** The shipped clean call as the store would hand it over (events and transcript as the scorer saw them). */
function storedCall(): CallForExample {
  const input = exampleInput(shipped);
  return {
    callId: '3f1c2d4e-0000-4000-8000-000000000001',
    language: shipped.language,
    durationSec: shipped.durationSec,
    metadata: { ...input.metadata, agentId: 'agent-7', callId: 'CRM-123' },
    transcript: input.transcript!.segments,
    events: input.events,
  };
}

describe('override -> regression example', () => {
  it('the expectation follows the human verdict', () => {
    const banned = items.get('banned-phrase')!; // penalty 2
    expect(expectationOf(banned, { action: 'override', points: -2 }).items).toEqual({ 'banned-phrase': { status: 'deducted', points: -2 } });
    expect(expectationOf(banned, { action: 'confirm', points: 0 }).items).toEqual({ 'banned-phrase': { status: 'pass', points: 0 } });
    expect(() => expectationOf(items.get('info-accurate')!, { action: 'override', points: 5 })).toThrow(ExampleExportError);
    expect(() => expectationOf(banned, { action: 'override', points: 2 })).toThrow(/between -2 and 0/);
    expect(expectationOf(items.get('opening-closing')!, { action: 'override', points: 1 }).items).toEqual({ 'opening-closing': { status: 'deducted', points: 1 } });
  });

  it('an override the rule disagrees with makes a failing example; a confirmation a passing one', () => {
    // the inspector heard a banned phrase the detector missed on the clean call
    const override = buildRegressionExample(storedCall(), items.get('banned-phrase')!, { action: 'override', points: -2, reason: 'missing evidence: 喂 at 30 s' }, { decidedBy: 'li', decidedAt: '2026-11-30T09:00:00Z' });
    expect(override.name).toBe('review 3f1c2d4e banned-phrase (override)');
    expect(override.description).toContain('Overridden by an inspector (li, 2026-11-30)');
    expect(override.metadata).not.toHaveProperty('agentId'); // people's ids stay out of git
    expect(override.metadata).not.toHaveProperty('callId');
    expect(override.metadata).toMatchObject({ ringSec: 6, hungUpBy: 'customer' });
    const failing = runExample(pipeline, override);
    expect(failing.ok).toBe(false);
    expect(failing.failures).toEqual([expect.stringMatching(/^banned-phrase: expected deducted \(got pass/), expect.stringMatching(/^banned-phrase: expected points -2/)]);

    const confirm = buildRegressionExample(storedCall(), items.get('banned-phrase')!, { action: 'confirm', points: 0 });
    expect(runExample(pipeline, confirm)).toMatchObject({ ok: true, failures: [] });
  });

  it('masks text when asked', () => {
    const ex = buildRegressionExample(storedCall(), items.get('hold-over-minute')!, { action: 'confirm', points: 0 }, { mask: (t) => t.replace(/\d/g, '*') });
    expect(JSON.stringify(ex.transcript)).not.toMatch(/1024|12号/);
    expect(ex.transcript![0]!.text).toContain('****号客服');
    expect(runExample(pipeline, ex).ok).toBe(true);
    // the inspector's comment goes into the description: masked as the transcript is
    const commented = buildRegressionExample(storedCall(), items.get('hold-over-minute')!, { action: 'confirm', points: 0, reason: 'other: 客户手机13912345678' }, { mask: (t) => t.replace(/\d/g, '*') });
    expect(commented.description).toContain('Reason: other: 客户手机***********');
    expect(commented.description).not.toMatch(/\d{11}/);
  });

  it('appends to an examples file, keeping what is there and the file valid', () => {
    const text = `# comment kept\npipeline: inbound-service-zh\nexamples:\n  - name: existing\n    expect: {}\n`;
    const ex = buildRegressionExample(storedCall(), items.get('banned-phrase')!, { action: 'confirm', points: 0 });
    const once = appendExample(text, 'inbound-service-zh', ex);
    expect(once.startsWith(text)).toBe(true);
    const twice = appendExample(once, 'inbound-service-zh', ex);
    const parsed = ExamplesFileSchema.parse(parseYaml(twice));
    expect(parsed.examples.map((e) => e.name)).toEqual(['existing', ex.name, `${ex.name} #2`]);
    expect(runExample(pipeline, parsed.examples[2]!).ok).toBe(true); // round-trips through YAML
    const fresh = ExamplesFileSchema.parse(parseYaml(appendExample(null, 'inbound-service-zh', ex)));
    expect(fresh.examples).toHaveLength(1);
    expect(() => appendExample('pipeline: support-en\nexamples:\n', 'inbound-service-zh', ex)).toThrow(/for support-en/);
  });
});
