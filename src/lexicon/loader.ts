import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { z } from 'zod';
import { cacheKey, cachedJson, moduleTexts, packageJsonText } from '../config/cache.js';
import { parseYaml, yamlVersion } from '../config/yaml.js';
import { ConfigError } from '../core/errors.js';
import { expandAlternatives } from './alternatives.js';
import {
  LEXICON_LANGUAGES,
  LexiconFileSchema,
  type LexiconEntry,
  type LexiconFileInfo,
  type LexiconLanguage,
  type LoadedLexicons,
} from './schema.js';

/**
 * Loads lexicon sets from disk. A set is a folder of YAML/JSON files (lexicons/zh, lexicons/en, or a
 * customer's own folder); a later set's entry with the same id replaces an earlier one, so a deployment
 * can override a single phrase list without copying the rest.
 */

const FILE_RE = /\.(ya?ml|json)$/i;

/** Describe a zod issue path against the raw data, naming the entry by index and id. */
function describePath(path: readonly PropertyKey[], data: unknown): string {
  if (path[0] === 'entries' && typeof path[1] === 'number') {
    const raw = (data as { entries?: unknown[] } | null)?.entries?.[path[1]] as { id?: unknown } | undefined;
    const id = typeof raw?.id === 'string' ? ` (id ${raw.id})` : '';
    const rest = path.slice(2).map(String).join('.');
    return `entries[${path[1]}]${id}${rest ? `.${rest}` : ''}`;
  }
  return path.length ? path.map(String).join('.') : '(root)';
}

function formatIssues(err: z.ZodError, data: unknown): string {
  return err.issues.map((i) => `${describePath(i.path, data)}: ${i.message}`).join('; ');
}

/** Parse and validate one lexicon file's text. `file` is used in messages and recorded on every entry. */
export function parseLexiconFile(text: string, file: string): { entries: LexiconEntry[]; info: Omit<LexiconFileInfo, 'sha256'>; quoteMarkers: string[] } {
  let data: unknown;
  try {
    data = file.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${file}: cannot parse lexicon: ${(err as Error).message}`, { cause: err });
  }
  const r = LexiconFileSchema.safeParse(data);
  if (!r.success) throw new ConfigError(`${file}: invalid lexicon: ${formatIssues(r.error, data)}`);
  const f = r.data;
  const d = f.defaults;
  const seen = new Set<string>();
  const entries: LexiconEntry[] = f.entries.map((e, i) => {
    const where = `${file}: entries[${i}] (id ${e.id})`;
    if (seen.has(e.id)) throw new ConfigError(`${where}.id: duplicate id in this file`);
    seen.add(e.id);
    if (!e.id.startsWith(`${f.language}.`)) throw new ConfigError(`${where}.id: must start with "${f.language}."`);
    if (f.language === 'zh' && !e.source) {
      throw new ConfigError(`${where}.source: Chinese entries must cite the seed file and section they come from`);
    }
    if (f.category === 'self_identification' && !e.kind) {
      throw new ConfigError(`${where}.kind: self_identification entries need kind (staff_id | name | organisation)`);
    }
    if (f.category === 'hold' && e.kind !== 'before' && e.kind !== 'after') {
      throw new ConfigError(`${where}.kind: hold entries need kind: before | after`);
    }
    if (f.language === 'en') {
      for (const field of ['phrases', 'exceptions'] as const) refuseHanInEnglish(e[field], `${where}.${field}`);
    }
    const phrases = expandAll(e.phrases, `${where}.phrases`);
    const exceptions = expandAll(e.exceptions, `${where}.exceptions`);
    return {
      id: e.id,
      language: f.language,
      category: f.category,
      kind: e.kind,
      phrases: f.language === 'en' ? withoutApostrophes(phrases) : phrases,
      exceptions: f.language === 'en' ? withoutApostrophes(exceptions) : exceptions,
      role: e.role ?? d.role ?? 'agent',
      position: e.position ?? d.position ?? 'any',
      withinSec: e.withinSec ?? d.withinSec,
      severity: e.severity ?? d.severity ?? 'minor',
      boundary: e.boundary ?? d.boundary ?? 'none',
      fuzzy: e.fuzzy ?? d.fuzzy ?? false,
      fuzzyConfidence: e.fuzzyConfidence ?? d.fuzzyConfidence ?? 0.7,
      emit: e.emit ?? d.emit ?? 'event',
      countsAlone: e.countsAlone ?? d.countsAlone ?? true,
      source: e.source,
      file,
    };
  });
  return {
    entries,
    info: { file, language: f.language, category: f.category, version: f.version, entries: entries.length },
    quoteMarkers: f.language === 'en' ? withoutApostrophes(expandAll(f.quoteMarkers, `${file}: quoteMarkers`)) : expandAll(f.quoteMarkers, `${file}: quoteMarkers`),
  };
}

const HAN = /\p{Script=Han}/u;
/**
 * The English matcher reads words of letters and digits and treats a token holding Chinese as a pause, so a
 * Chinese phrase in an English file (a copy-paste into the wrong language's folder) could never match: refused
 * at load with where it belongs, instead of a list that silently finds nothing.
 */
function refuseHanInEnglish(phrases: readonly string[], where: string): void {
  phrases.forEach((p, j) => {
    if (HAN.test(p)) {
      throw new ConfigError(`${where}[${j}]: "${p}" contains Chinese characters, which an English (language: en) file never matches: move it to a zh file`);
    }
  });
}

/** each phrase's `(a|b|)` alternatives written out (./alternatives.ts); a malformed one names the file, entry and phrase */
function expandAll(phrases: readonly string[], where: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  phrases.forEach((p, j) => {
    let variants: string[];
    try {
      variants = expandAlternatives(p);
    } catch (err) {
      throw new ConfigError(`${where}[${j}]: ${(err as Error).message}`);
    }
    for (const v of variants) if (!seen.has(v)) seen.add(v), out.push(v);
  });
  return out;
}

/**
 * English phrases as written and, where they hold an apostrophe, also without it: many transcripts (lower-cased
 * sidecars, some recognisers, agents' own notes) drop apostrophes ("i dont know", "youre through to", "my names
 * tom"), and the matcher's tokens split at an apostrophe ("don't" is `don` `t`), so "dont" would never match
 * "don't". One variant with every apostrophe removed; a lexicon author writes each phrase once. Not for a
 * one-word phrase whose bare form is another word ("it's" → "its", "we'll" → "well"): that would match the other
 * word everywhere.
 */
export function withoutApostrophes(phrases: readonly string[]): string[] {
  const out = [...phrases];
  const seen = new Set(out);
  for (const p of phrases) {
    const bare = p.replace(/['’]/g, '');
    if (bare !== p && !seen.has(bare) && !OTHER_WORD_WITHOUT_APOSTROPHE.has(bare.trim().toLowerCase())) {
      seen.add(bare);
      out.push(bare);
    }
  }
  return out;
}

/** contractions that, without the apostrophe, spell another common word */
const OTHER_WORD_WITHOUT_APOSTROPHE = new Set(['its', 'well', 'were', 'ill', 'hell', 'shell', 'wont', 'lets', 'id', 'hed', 'shed', 'wed', 'cant', 'shes', 'hes']);

function listSetFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => FILE_RE.test(n))
    .sort()
    .map((n) => join(dir, n));
}

/**
 * Load lexicon sets. `sets` are folder names under `rootDir` (e.g. ["zh", "en", "acme-zh"]) or absolute
 * paths; by default every sub-folder of `rootDir`, in name order.
 */
export function loadLexicons(rootDir: string, sets?: readonly string[]): LoadedLexicons {
  if (!existsSync(rootDir)) throw new ConfigError(`${rootDir}: lexicons directory not found`);
  const setDirs = (sets && sets.length > 0 ? [...sets] : readdirSync(rootDir).filter((n) => statSync(join(rootDir, n)).isDirectory()).sort()).map(
    (s) => (isAbsolute(s) ? s : resolve(rootDir, s)),
  );
  const found: { rel: string; set: string; bytes: Buffer }[] = [];
  for (const dir of setDirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ConfigError(`${dir}: lexicon set not found (pipeline field lexicons)`);
    for (const path of listSetFiles(dir)) found.push({ rel: relative(rootDir, path) || path, set: dir, bytes: readFileSync(path) });
  }
  if (found.length === 0) throw new ConfigError(`${rootDir}: no lexicon files (*.yaml, *.json) in ${setDirs.join(', ')}`);
  // Start-up time: parsing and validating the YAML is most of a short run's pipeline loading (~0.2 s), and
  // its result depends only on these files and this code: kept in the cache folder under a key of both.
  const key = cacheKey([...codeFingerprint(), ...found.flatMap((f) => [f.rel, f.bytes])]);
  return cachedJson('lexicons', key, () => parseLexiconFiles(found));
}

/**
 * Ids are unique within a set (one folder); only a later set may replace an entry by its id. The same id in two
 * files of one set (a copied entry, a pasted block) would otherwise drop the earlier file's entry without a word.
 */
function checkUniqueInSet(entries: readonly LexiconEntry[], rel: string, set: string, seenInSet: Map<string, Map<string, string>>): void {
  let ids = seenInSet.get(set);
  if (!ids) seenInSet.set(set, (ids = new Map()));
  entries.forEach((e, i) => {
    const other = ids.get(e.id);
    if (other !== undefined && other !== rel) {
      throw new ConfigError(
        `${rel}: entries[${i}] (id ${e.id}).id: duplicate id: ${other} already has an entry "${e.id}" in this lexicon set ` +
          `(ids must be unique within a set; only a later set in the pipeline's lexicons: list may replace an entry by id)`,
      );
    }
    ids.set(e.id, rel);
  });
}

function parseLexiconFiles(found: readonly { rel: string; set: string; bytes: Buffer }[]): LoadedLexicons {
  const byId = new Map<string, LexiconEntry>();
  const seenInSet = new Map<string, Map<string, string>>();
  const files: LexiconFileInfo[] = [];
  const quoteMarkers: Record<LexiconLanguage, string[]> = { zh: [], en: [] };
  const hash = createHash('sha256');
  for (const { rel, set, bytes } of found) {
    const parsed = parseLexiconFile(bytes.toString('utf8'), rel);
    checkUniqueInSet(parsed.entries, rel, set, seenInSet);
    const sha = createHash('sha256').update(bytes).digest('hex');
    hash.update(rel).update('\0').update(bytes).update('\0');
    files.push({ ...parsed.info, sha256: sha });
    for (const e of parsed.entries) byId.set(e.id, e);
    quoteMarkers[parsed.info.language].push(...parsed.quoteMarkers);
  }
  return { entries: [...byId.values()], quoteMarkers, files, version: lexiconVersionOf(files, hash.digest('hex')) };
}

let fingerprint: string[] | undefined;
/**
 * What the parsed lexicons depend on besides the files: this module and the schema (their text as loaded:
 * dist/ or, under tsx, src/) and the YAML and zod versions. A new build or an edit of either is a new key.
 */
function codeFingerprint(): string[] {
  fingerprint ??= [...moduleTexts(import.meta.url, ['./loader', './schema']), yamlVersion(), packageJsonText('zod')];
  return fingerprint;
}

function lexiconVersionOf(files: readonly LexiconFileInfo[], sha: string): string {
  const declared: string[] = [];
  for (const lang of LEXICON_LANGUAGES) {
    const versions = [...new Set(files.filter((f) => f.language === lang).map((f) => f.version))].sort();
    if (versions.length) declared.push(`${lang}@${versions.join('|')}`);
  }
  return `${declared.join(',')}#${sha.slice(0, 12)}`;
}

/** Build a LoadedLexicons from in-memory file texts (tests, embedding). */
export function lexiconsFromTexts(texts: Record<string, string>): LoadedLexicons {
  const byId = new Map<string, LexiconEntry>();
  const files: LexiconFileInfo[] = [];
  const quoteMarkers: Record<LexiconLanguage, string[]> = { zh: [], en: [] };
  const hash = createHash('sha256');
  const seenInSet = new Map<string, Map<string, string>>();
  for (const name of Object.keys(texts).sort()) {
    const parsed = parseLexiconFile(texts[name], name);
    checkUniqueInSet(parsed.entries, name, dirname(name), seenInSet);
    hash.update(name).update('\0').update(texts[name]).update('\0');
    files.push({ ...parsed.info, sha256: createHash('sha256').update(texts[name]).digest('hex') });
    for (const e of parsed.entries) byId.set(e.id, e);
    quoteMarkers[parsed.info.language].push(...parsed.quoteMarkers);
  }
  return { entries: [...byId.values()], quoteMarkers, files, version: lexiconVersionOf(files, hash.digest('hex')) };
}
