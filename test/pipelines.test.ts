import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import { loadExamples, runExample } from '../src/score/examples.js';
import { defaultPipelinesDir, examplesFileFor, listPipelineFiles, loadPipeline } from '../src/score/pipeline.js';

/**
 * Every shipped pipeline validates and every example call beside it gives the expected verdicts: a rule
 * change that breaks an example fails CI. One test per example so the failure names the call.
 */
const files = listPipelineFiles(defaultPipelinesDir());

describe('shipped pipelines', () => {
  it('there are at least three programs with scorecards and examples', () => {
    const withCards = files.map((f) => loadPipeline(f)).filter((p) => p.pipeline.scorecard && examplesFileFor(p.file));
    expect(withCards.length).toBeGreaterThanOrEqual(3);
  });

  for (const file of files) {
    const { pipeline } = loadPipeline(file);
    const exFile = examplesFileFor(file);
    describe(pipeline.id, () => {
      it('every item cites its source', () => {
        for (const s of pipeline.scorecard?.sections ?? []) for (const it of s.items) expect(it.source.length, it.id).toBeGreaterThan(5);
      });
      if (!exFile) return;
      for (const ex of loadExamples(exFile).examples) {
        it(`example: ${ex.name}`, () => {
          const r = runExample(pipeline, ex);
          expect(r.failures).toEqual([]);
        });
      }
    });
  }
});

describe('pipeline loading errors name the file and the field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callqa-pipelines-'));
  const write = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const cases: [string, string, string, RegExp][] = [
    ['bad-yaml', 'bad-yaml.yaml', 'id: [unclosed', /bad-yaml\.yaml: not valid YAML/],
    ['id mismatch', 'other.yaml', 'id: something\nversion: "1"\n', /other\.yaml: id: "something" must match the file name "other"/],
    [
      'bad condition inside an item',
      'cond.yaml',
      `id: cond
version: "1"
scorecard:
  title: t
  sections:
    - id: s1
      title: s
      max: 2
      items:
        - id: greet
          title: g
          source: here
          points: 2
          fail: { keywords: [], role: agent }
`,
      /cond\.yaml: invalid pipeline: scorecard\.sections\[0 s1\]\.items\[0 greet\]\.fail\.keywords: /,
    ],
    [
      'points that do not add up',
      'sum.yaml',
      `id: sum
version: "1"
scorecard:
  title: t
  sections:
    - { id: s1, title: s, max: 5, items: [{ id: a, title: a, source: x, points: 2, fail: { event: e } }] }
`,
      /scorecard\.sections\[0 s1\]\.max: standard and manual item points add up to 2, not the section max 5/,
    ],
    [
      'unknown operator',
      'op.yaml',
      `id: op
version: "1"
scorecard:
  title: t
  sections:
    - { id: s1, title: s, max: 2, items: [{ id: a, title: a, source: x, points: 2, fail: { keyword: [x] } }] }
`,
      /items\[0 a\]\.fail: unknown condition \(keys: keyword\)/,
    ],
    [
      'a regex the linear-time engine cannot run (lookahead)',
      'look.yaml',
      `id: look
version: "1"
scorecard:
  title: t
  sections:
    - { id: s1, title: s, max: 2, items: [{ id: sid, title: a, source: x, points: 2, fail: { regex: '工号(?!\\d)', role: agent } }] }
`,
      /look\.yaml: invalid pipeline: scorecard\.sections\[0 s1\]\.items\[0 sid\]\.fail\.regex: not a valid regular expression for callqa's linear-time \(RE2\) engine: .*\(\?!/,
    ],
  ];
  it.each(cases)('%s', (_n, name, text, msg) => {
    const f = write(name, text);
    expect(() => loadPipeline(f)).toThrow(ConfigError);
    expect(() => loadPipeline(f)).toThrow(msg);
  });

  it('unknown pipeline id', () => {
    expect(() => loadPipeline('no-such-program', dir)).toThrow(/unknown pipeline "no-such-program"/);
  });
});
