import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import { defaultPipelinesDir, examplesFileFor, listPipelineFiles, loadExamples, loadPipeline } from '../src/pipeline/loader.js';
import { runExample } from '../src/score/examples.js';
import { testPrograms, validatePrograms } from '../src/services/programs.js';

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
    [
      'a text block with an unknown threshold',
      'txt.yaml',
      'id: txt\nversion: "1"\ntext:\n  greetingSearchSecs: 20\n',
      /txt\.yaml: invalid pipeline: text: Unrecognized key.*greetingSearchSecs/,
    ],
    [
      'a text threshold of the wrong type',
      'txt2.yaml',
      'id: txt2\nversion: "1"\ntext:\n  speechRate:\n    zh: { tooFastPerMin: fast, tooSlowPerMin: 100 }\n',
      /txt2\.yaml: invalid pipeline: text\.speechRate\.zh\.tooFastPerMin: /,
    ],
    [
      'lexicons not a list',
      'lex.yaml',
      'id: lex\nversion: "1"\nlexicons: zh\n',
      /lex\.yaml: invalid pipeline: lexicons: /,
    ],
    [
      'a lexicon set that does not exist',
      'lex2.yaml',
      'id: lex2\nversion: "1"\nlexicons: [zh, acme-zh]\n',
      /lex2\.yaml: lexicons\[1\]: lexicon set "acme-zh" not found/,
    ],
    [
      'a rule naming an event type no detector emits',
      'evt.yaml',
      `id: evt
version: "1"
scorecard:
  title: t
  sections:
    - id: s1
      title: s
      max: 2
      items:
        - id: over
          title: o
          source: here
          points: 2
          fail: { any: [{ event: talk_over }, { event: talk_overr }] }
`,
      /evt\.yaml: scorecard\.sections\[0 s1\]\.items\[0 over\]\.fail\.any\[1\]\.event: unknown event type "talk_overr"/,
    ],
    [
      'a rule naming a lexicon entry the pipeline does not load',
      'ent.yaml',
      `id: ent
version: "1"
lexicons: [en]
scorecard:
  title: t
  sections:
    - id: s1
      title: s
      max: 2
      items:
        - id: bye
          title: b
          source: here
          points: 2
          pass: { event: closing, entry: [en.closing.goodbye, en.closing.goodby] }
`,
      /ent\.yaml: scorecard\.sections\[0 s1\]\.items\[0 bye\]\.pass\.entry: no lexicon entry "en\.closing\.goodby" in this pipeline's lexicon sets \(en\)/,
    ],
    [
      'a rule naming an unknown category',
      'cat.yaml',
      `id: cat
version: "1"
scorecard:
  title: t
  sections:
    - id: s1
      title: s
      max: 2
      items:
        - id: pii
          title: p
          source: here
          points: 2
          fail: { event: pii, category: pii.passport }
`,
      /cat\.yaml: .*\.fail\.category: unknown category "pii\.passport"/,
    ],
    [
      'a misspelt top-level key',
      'top.yaml',
      'id: top\nversion: "1"\nlexicon: [zh]\n',
      /top\.yaml: invalid pipeline: \(root\): Unrecognized key.*lexicon/,
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

describe('YAML and id errors read as one clear line', () => {
  it('a YAML error names the line and quotes it, with no dangling colon; a bad id says what an id may hold', () => {
    const dir = mkdtempSync(join(tmpdir(), 'callqa-yaml-'));
    const f = join(dir, 'x.yaml');
    writeFileSync(f, 'id: x\nversion: "1"\naudio:\n\tholdMinSec: 8\n');
    expect(() => loadPipeline(f)).toThrow(/x\.yaml: not valid YAML: Tabs are not allowed as indentation at line 4, column 1: "holdMinSec: 8"$/);
    const g = join(dir, 'Acme.yaml');
    writeFileSync(g, 'id: Acme\nversion: "1"\n');
    let msg = '';
    try {
      loadPipeline(g);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain('id: use lower-case letters');
    expect(msg).not.toContain('id: id:');
  });
});

describe('pipelines validate: examples naming what the scorecard lacks', () => {
  it('reports an expected item or section id that does not exist (test would only say FAIL later)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'callqa-exref-'));
    copyFileSync(join(defaultPipelinesDir(), 'support-en.yaml'), join(dir, 'support-en.yaml'));
    const ex = readFileSync(join(defaultPipelinesDir(), 'support-en.examples.yaml'), 'utf8');
    writeFileSync(join(dir, 'support-en.examples.yaml'), ex);
    expect(validatePrograms([], dir).map((r) => r.ok)).toEqual([true]);
    writeFileSync(join(dir, 'support-en.examples.yaml'), ex.replace(/^(\s+)greeting: pass$/m, '$1greetng: pass'));
    const [r] = validatePrograms([], dir);
    expect(r!.ok).toBe(false);
    expect(r!.error).toMatch(/support-en\.examples\.yaml: examples ".+": expect: greetng: no such item in the scorecard/);
  });
});

describe('pipelines validate/test: examples that would test nothing', () => {
  it('an event naming a lexicon entry the program does not load, and two examples of one name, are errors naming them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'callqa-exentry-'));
    copyFileSync(join(defaultPipelinesDir(), 'support-en.yaml'), join(dir, 'support-en.yaml'));
    const ex = readFileSync(join(defaultPipelinesDir(), 'support-en.examples.yaml'), 'utf8');
    writeFileSync(join(dir, 'support-en.examples.yaml'), ex.replace('entryId: en.self-id.name }', 'entryId: en.self-id.nmae }'));
    const [bad] = validatePrograms([], dir);
    expect(bad!.ok).toBe(false);
    expect(bad!.error).toContain('examples "good support call": events[1].entryId: "en.self-id.nmae" is no entry of this program\'s lexicons');
    writeFileSync(join(dir, 'support-en.examples.yaml'), ex.replace('  - name: poor support call', '  - name: good support call'));
    const [dup] = validatePrograms([], dir);
    expect(dup!.ok).toBe(false);
    expect(dup!.error).toContain('examples: two examples are named "good support call"');
    const [t] = testPrograms(undefined, dir);
    expect(t!.error).toMatch(/two examples are named "good support call"/);
  });
});

describe('examples files: errors say what is expected', () => {
  it('a misspelt item status names the statuses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'callqa-ex-'));
    const f = join(dir, 'x.examples.yaml');
    writeFileSync(f, 'pipeline: x\nexamples:\n  - name: a\n    expect:\n      items: { greeting: passed, closing: pass }\n');
    let err: unknown;
    try {
      loadExamples(f);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('examples[0].expect.items.greeting: unknown status "passed": expected one of pass, deducted, fatal, needs_review, not_applicable');
    // an object with a bad key still says which key
    writeFileSync(f, 'pipeline: x\nexamples:\n  - name: a\n    expect:\n      items: { greeting: { statuss: pass } }\n');
    expect(() => loadExamples(f)).toThrow(/statuss/);
    writeFileSync(f, 'pipeline: x\nexamples:\n  - name: a\n    expect:\n      mustNot: { greeting: passed }\n');
    expect(() => loadExamples(f)).toThrow(/expect\.mustNot\.greeting: unknown status "passed": expected one of pass, deducted/);
  });
});

describe('callqa pipelines validate (the CLI, as QA staff run it)', () => {
  it('rejects a bad text: or lexicons: block naming the file and the field, and passes a good file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callqa-validate-'));
    const good = join(dir, 'good.yaml');
    const badText = join(dir, 'bad-text.yaml');
    const badLex = join(dir, 'bad-lex.yaml');
    writeFileSync(good, 'id: good\nversion: "1"\nlexicons: [zh]\ntext:\n  greetingSearchSec: 20\n');
    writeFileSync(badText, 'id: bad-text\nversion: "1"\ntext:\n  closingWindowSec: -5\n');
    writeFileSync(badLex, 'id: bad-lex\nversion: "1"\nlexicons: [zh, no-such-set]\n');
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [join(import.meta.dirname, '..', 'src', 'cli', 'bin.js'), 'pipelines', 'validate', good, badText, badLex], {
        cwd: dir,
      });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stderr += d));
      p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ok\s+.*good\.yaml$/);
    expect(lines[1]).toMatch(/^invalid\s+.*bad-text\.yaml: invalid pipeline: text\.closingWindowSec: /);
    expect(lines[2]).toMatch(/^invalid\s+.*bad-lex\.yaml: lexicons\[1\]: lexicon set "no-such-set" not found/);
  }, 30_000);
});
