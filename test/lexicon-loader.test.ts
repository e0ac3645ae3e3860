import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import { loadLexicons, parseLexiconFile } from '../src/lexicon/loader.js';
import { LEXICON_CATEGORIES } from '../src/lexicon/schema.js';
import { parseTextParams } from '../src/detect/text/params.js';
import { readYamlFile } from '../src/pipeline/loader.js';

const repoLexicons = join(dirname(fileURLToPath(import.meta.url)), '..', 'lexicons');

function expectConfigError(fn: () => unknown, ...parts: string[]) {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  for (const p of parts) expect((err as Error).message).toContain(p);
}

describe('lexicon loader', () => {
  it('loads the repository lexicons: every category in both languages, Chinese entries cite a seed', () => {
    const lex = loadLexicons(repoLexicons);
    for (const lang of ['zh', 'en'] as const) {
      for (const cat of LEXICON_CATEGORIES) {
        expect(lex.files.some((f) => f.language === lang && f.category === cat), `${lang}/${cat}`).toBe(true);
      }
    }
    for (const e of lex.entries.filter((x) => x.language === 'zh')) expect(e.source, e.id).toMatch(/\d{3}_[0-9a-f]{16}\.txt|whisper/);
    expect(lex.version).toMatch(/^zh@1\.0\.0,en@1\.0\.0#[0-9a-f]{12}$|^en@.+,zh@.+#[0-9a-f]{12}$|^zh@.+#[0-9a-f]{12}$/);
  });

  it('names the file, the entry and the field on a bad entry', () => {
    const text = `version: 1\nlanguage: zh\ncategory: banned\nentries:\n  - id: zh.banned.ok\n    phrases: [喂]\n    source: s\n  - id: zh.banned.bad\n    phrases: []\n    source: s\n`;
    expectConfigError(() => parseLexiconFile(text, 'zh/banned.yaml'), 'zh/banned.yaml', 'entries[1] (id zh.banned.bad).phrases', 'at least one phrase');
  });

  it('rejects unknown fields, bad roles, missing sources and ids of the wrong language', () => {
    const base = (entry: string, lang = 'zh') => `version: 1\nlanguage: ${lang}\ncategory: banned\nentries:\n  - ${entry}\n`;
    expectConfigError(() => parseLexiconFile(base('{ id: zh.banned.x, phrases: [a], source: s, colour: red }'), 'f.yaml'), 'f.yaml', 'entries[0] (id zh.banned.x)', 'colour');
    expectConfigError(() => parseLexiconFile(base('{ id: zh.banned.x, phrases: [a], source: s, role: boss }'), 'f.yaml'), 'entries[0] (id zh.banned.x).role');
    expectConfigError(() => parseLexiconFile(base('{ id: zh.banned.x, phrases: [a] }'), 'f.yaml'), 'f.yaml', 'entries[0] (id zh.banned.x).source');
    expectConfigError(() => parseLexiconFile(base('{ id: zh.banned.x, phrases: [a] }', 'en'), 'f.yaml'), 'entries[0] (id zh.banned.x).id', 'en.');
    expectConfigError(() => parseLexiconFile('version: 1\nlanguage: zh\ncategory: rude\nentries: []\n', 'f.yaml'), 'f.yaml', 'category');
    expectConfigError(() => parseLexiconFile('version: [1\n', 'broken.yaml'), 'broken.yaml', 'cannot parse');
    // a Chinese phrase pasted into an English file could never match
    expectConfigError(
      () => parseLexiconFile(base('{ id: en.banned.x, phrases: [whatever, 随便你] }', 'en'), 'en/banned.yaml'),
      'en/banned.yaml',
      'entries[0] (id en.banned.x).phrases[1]',
      '"随便你" contains Chinese characters',
      'zh file',
    );
    expectConfigError(() => parseLexiconFile(base('{ id: en.banned.x, phrases: [whatever], exceptions: [whatever 吧] }', 'en'), 'f.yaml'), '.exceptions[0]');
    // English in a Chinese file stays allowed (code-switched speech is matched in Chinese too)
    expect(parseLexiconFile(base('{ id: zh.banned.x, phrases: [随便你, whatever], source: s }'), 'f.yaml').entries[0]!.phrases).toContain('whatever');
  });

  it('later sets override entries by id and change the version', () => {
    const root = mkdtempSync(join(tmpdir(), 'callqa-lex-'));
    mkdirSync(join(root, 'base'));
    mkdirSync(join(root, 'acme'));
    writeFileSync(join(root, 'base', 'banned.yaml'), 'version: 1\nlanguage: en\ncategory: banned\nentries:\n  - { id: en.banned.x, phrases: [no way] }\n');
    writeFileSync(join(root, 'acme', 'banned.yaml'), 'version: 2\nlanguage: en\ncategory: banned\nentries:\n  - { id: en.banned.x, phrases: [nope] }\n');
    const base = loadLexicons(root, ['base']);
    const both = loadLexicons(root, ['base', 'acme']);
    expect(base.entries.map((e) => e.phrases)).toEqual([['no way']]);
    expect(both.entries.map((e) => e.phrases)).toEqual([['nope']]);
    expect(both.version).not.toBe(base.version);
    expect(both.version).toMatch(/^en@1\|2#/);
    expectConfigError(() => loadLexicons(root, ['missing']), 'missing', 'lexicon set not found');
  });

  it('refuses one id in two files of the same set (it would silently drop the earlier entry)', () => {
    const root = mkdtempSync(join(tmpdir(), 'callqa-lex-'));
    mkdirSync(join(root, 'acme'));
    writeFileSync(join(root, 'acme', 'politeness.yaml'), 'version: 1\nlanguage: en\ncategory: politeness\nentries:\n  - { id: en.polite.please, phrases: [please] }\n');
    writeFileSync(join(root, 'acme', 'thanks.yaml'), 'version: 1\nlanguage: en\ncategory: thanks\nentries:\n  - { id: en.polite.please, phrases: [cheers] }\n');
    expectConfigError(() => loadLexicons(root, ['acme']), 'acme/thanks.yaml', 'entries[0] (id en.polite.please).id', 'duplicate id', 'acme/politeness.yaml');
    // across sets it is the documented override
    mkdirSync(join(root, 'base'));
    rmSync(join(root, 'acme', 'thanks.yaml'));
    writeFileSync(join(root, 'base', 'politeness.yaml'), 'version: 1\nlanguage: en\ncategory: politeness\nentries:\n  - { id: en.polite.please, phrases: [pls] }\n');
    expect(loadLexicons(root, ['base', 'acme']).entries.map((e) => e.phrases)).toEqual([['please']]);
  });
});

describe('parsed lexicons and YAML are cached by content (and code)', () => {
  const withCache = (fn: (cache: string, root: string) => void) => {
    const saved = process.env.CALLQA_CACHE_DIR;
    const cache = mkdtempSync(join(tmpdir(), 'callqa-cache-'));
    const root = mkdtempSync(join(tmpdir(), 'callqa-lex-'));
    process.env.CALLQA_CACHE_DIR = cache;
    try {
      fn(cache, root);
    } finally {
      if (saved === undefined) delete process.env.CALLQA_CACHE_DIR;
      else process.env.CALLQA_CACHE_DIR = saved;
      rmSync(cache, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
  };
  const lexicon = (phrase: string) => `version: 1\nlanguage: en\ncategory: banned\nentries:\n  - { id: en.banned.x, phrases: [${phrase}] }\n`;

  it('the same files load from the cache; an edited file is parsed again; a damaged entry is made again', () => {
    withCache((cache, root) => {
      mkdirSync(join(root, 'en'));
      const file = join(root, 'en', 'banned.yaml');
      writeFileSync(file, lexicon('no way'));
      expect(loadLexicons(root).entries[0]!.phrases).toEqual(['no way']);
      const entries = readdirSync(join(cache, 'lexicons'));
      expect(entries).toHaveLength(1);
      // what a second load returns is the cached entry (changed here to tell it apart)
      const cached = join(cache, 'lexicons', entries[0]!);
      const doc = JSON.parse(readFileSync(cached, 'utf8')) as { entries: Array<{ phrases: string[] }> };
      doc.entries[0]!.phrases = ['from the cache'];
      writeFileSync(cached, JSON.stringify(doc));
      expect(loadLexicons(root).entries[0]!.phrases).toEqual(['from the cache']);
      // an edited lexicon is another key: parsed and validated again
      writeFileSync(file, lexicon('never'));
      expect(loadLexicons(root).entries[0]!.phrases).toEqual(['never']);
      writeFileSync(file, lexicon('nope, really: [x'));
      expectConfigError(() => loadLexicons(root), 'en/banned.yaml', 'cannot parse lexicon');
      // a damaged entry is made again from the file
      writeFileSync(cached, '{"entries": [');
      writeFileSync(file, lexicon('no way'));
      expect(loadLexicons(root).entries[0]!.phrases).toEqual(['no way']);
    });
  });

  it('a pipeline file\'s YAML: kept when JSON keeps it exactly, errors never kept', () => {
    withCache((cache, root) => {
      const file = join(root, 'p.yaml');
      writeFileSync(file, 'a: 1\nb: [x, y]\n');
      expect(readYamlFile(file, 'pipeline')).toEqual({ a: 1, b: ['x', 'y'] });
      expect(readYamlFile(file, 'pipeline')).toEqual({ a: 1, b: ['x', 'y'] });
      expect(readdirSync(join(cache, 'yaml'))).toHaveLength(1);
      writeFileSync(file, 'a: .inf\n');
      expect(readYamlFile(file, 'pipeline')).toEqual({ a: Infinity });
      expect(readYamlFile(file, 'pipeline')).toEqual({ a: Infinity });
      writeFileSync(file, 'a: [1,\n');
      expectConfigError(() => readYamlFile(file, 'pipeline'), 'p.yaml', 'not valid YAML');
      expect(readdirSync(join(cache, 'yaml'))).toHaveLength(1);
    });
  });
});

describe('text params', () => {
  it('declares defaults with the 15 s self-identification and 280 chars/min lines', () => {
    const p = parseTextParams(undefined);
    expect(p.selfIdWithinSec).toBe(15);
    expect(p.speechRate.zh.tooFastPerMin).toBe(280);
  });
  it('names the file and the field on bad values', () => {
    expectConfigError(() => parseTextParams({ greetingSearchSec: -1 }, 'pipelines/x.yaml'), 'pipelines/x.yaml', 'text.greetingSearchSec');
    expectConfigError(() => parseTextParams({ speechRate: { zh: { tooFastPerMin: 100, tooSlowPerMin: 200 } } }, 'p.yaml'), 'text.speechRate.zh');
    expectConfigError(() => parseTextParams({ greetingWindow: 3 }, 'p.yaml'), 'greetingWindow');
  });
});
