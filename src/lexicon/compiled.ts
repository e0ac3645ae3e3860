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
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { cacheDir, cacheKey, moduleTexts, packageJsonText, writeCacheFile } from '../config/cache.js';
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
  if (writeCacheFile(file, bytes)) prune(path.dirname(file));
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
 * The code a compiled matcher depends on: the matching modules as loaded and the libraries they call (stemmer,
 * Metaphone, pinyin, simplified-Chinese conversion), and Node's version (its serialisation format).
 */
function codeFingerprint(): string[] {
  fingerprint ??= [
    ...moduleTexts(import.meta.url, ['./matcher', './aho-corasick', './prepare', '../core/normalise', '../core/text-count']),
    ...['natural', 'pinyin-pro', 'opencc-js'].map(packageJsonText),
    process.version,
  ];
  return fingerprint;
}
