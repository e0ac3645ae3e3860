/**
 * Compiled lexicon matchers in the cache folder (config/cache.ts): building the matcher for the shipped lexicons
 * (60 000 phrases and exceptions, each normalised, put into pinyin or stemmed and put into Metaphone, then three
 * automata per language) takes ~1 s of CPU, and every process that reads a transcript needs it (each `--jobs`
 * worker thread too); loading the built automata back takes a few milliseconds. The matcher's results are the
 * same either way (test/lexicon-compiled.test.ts).
 *
 * Kept under `<cache>/matchers/<key>.v8` (Node's own serialisation: typed arrays and strings as they are), the key
 * naming everything the automata depend on: the entries and quote markers themselves (not a version label: tests
 * and `lexiconsFromTexts` make lexicons of their own) and the matching code with the libraries it uses. A missing,
 * damaged or mismatched file is built again; without a cache folder the matcher is always built.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { cacheDir, cacheKey } from '../config/cache.js';
import { LexiconMatcher, type CompiledMatcher } from './matcher.js';
import type { LoadedLexicons } from './schema.js';

/** Compiled matchers kept at most (the newest by time written): one per lexicon set, company names and category subset in use. */
export const MATCHERS_KEPT = 16;

/** The matcher for `lex`: loaded from the cache folder when it holds one for exactly these entries and this code, else built (and kept). */
export function cachedMatcher(lex: LoadedLexicons): LexiconMatcher {
  const dir = cacheDir();
  if (!dir) return new LexiconMatcher(lex);
  const file = path.join(dir, 'matchers', `${matcherKey(lex)}.v8`);
  try {
    return new LexiconMatcher(lex, deserialize(readFileSync(file)) as CompiledMatcher);
  } catch {
    // not kept yet, or damaged, or from other lexicons: build it
  }
  const matcher = new LexiconMatcher(lex);
  keep(file, serialize(matcher.compiled()));
  return matcher;
}

export function matcherKey(lex: LoadedLexicons): string {
  return cacheKey([...codeFingerprint(), JSON.stringify(lex.entries), JSON.stringify(lex.quoteMarkers)]);
}

function keep(file: string, bytes: Buffer): void {
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true });
    return;
  }
  prune(path.dirname(file));
}

/** Only the newest MATCHERS_KEPT: every lexicon edit makes a new key, and the old ones are never read again. */
function prune(dir: string): void {
  try {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.v8'))
      .map((f) => ({ f, t: statSync(path.join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of files.slice(MATCHERS_KEPT)) rmSync(path.join(dir, f), { force: true });
  } catch {
    // another process pruned at the same moment: nothing to do
  }
}

let fingerprint: string[] | undefined;
/**
 * The code a compiled matcher depends on: the matching modules as loaded (dist/ or, under tsx, src/) and the
 * versions of the libraries they call (stemmer, Metaphone, pinyin, simplified-Chinese conversion).
 */
function codeFingerprint(): string[] {
  if (fingerprint) return fingerprint;
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const read = (u: URL | string) => {
    try {
      return readFileSync(typeof u === 'string' ? u : fileURLToPath(u), 'utf8');
    } catch {
      return String(Math.random()); // unknown code: never reuse a kept matcher
    }
  };
  const own = ['./matcher', './aho-corasick', './prepare', '../core/normalise', '../core/text-count'].map((m) => read(new URL(`${m}${ext}`, import.meta.url)));
  const pkg = (name: string) => packageJsonText(name) ?? `${name}: package.json not found`;
  fingerprint = [...own, pkg('natural'), pkg('pinyin-pro'), pkg('opencc-js'), process.version];
  return fingerprint;
}

/** A library's package.json, found by walking up from its entry point (some packages do not export their package.json). */
function packageJsonText(name: string): string | null {
  let dir: string;
  try {
    dir = path.dirname(fileURLToPath(import.meta.resolve(name)));
  } catch {
    return null;
  }
  for (;;) {
    try {
      const text = readFileSync(path.join(dir, 'package.json'), 'utf8');
      if ((JSON.parse(text) as { name?: string }).name === name) return text;
    } catch {
      // none here, or not JSON: look further up
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
