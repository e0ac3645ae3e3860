import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { cacheKey, cachedJson } from '../config/cache.js';
import { env } from '../config/env.js';
import { jsonSafe, parseYaml, yamlVersion } from '../config/yaml.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import { loadLexicons } from '../lexicon/loader.js';
import { LEXICON_CATEGORIES, type LoadedLexicons } from '../lexicon/schema.js';
import { EVENT_TYPES, isEventType } from '../core/events.js';
import { PII_CATEGORIES } from '../privacy/find.js';
import { ExamplesFileSchema, runExample, type ExampleResult, type ExamplesFile } from '../score/examples.js';
import { defaultPipeline, PipelineConfigSchema, type PipelineConfig } from './config.js';

/**
 * The one pipeline loader. Every command that takes a QA program (analyze, enqueue, worker, rescore,
 * `pipelines list|show|validate|test`) comes through here, and everything in the file is checked at load:
 * the stage settings (src/pipeline/config.ts), the scorecard and its rules (src/score/schema.ts), the
 * text-detector thresholds (src/detect/text/params.ts) and the lexicon sets, which are loaded and validated
 * too. Errors name the file and the field, with item and section ids spelled out next to array indexes so
 * QA staff find the line:
 *   pipelines/inbound.yaml: invalid pipeline: scorecard.sections[3 service-language].items[5 banned].fail.keywords: ...
 *   pipelines/inbound.yaml: lexicons[1]: lexicons/acme-zh: lexicon set not found
 * src/score stays pure: this module does the file and environment reads.
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The repository's pipelines/ folder (CALLQA_PIPELINES_DIR overrides). */
export function defaultPipelinesDir(): string {
  return env().CALLQA_PIPELINES_DIR ?? join(REPO_ROOT, 'pipelines');
}

/** The repository's lexicons/ folder (CALLQA_LEXICONS_DIR overrides). */
export function defaultLexiconsDir(): string {
  return env().CALLQA_LEXICONS_DIR ?? join(REPO_ROOT, 'lexicons');
}

/** Files in the folder that define a pipeline (examples files excluded). */
export function listPipelineFiles(dir = defaultPipelinesDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f) && !/\.examples\.ya?ml$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Path of the examples file kept beside a pipeline file, if present. */
export function examplesFileFor(pipelineFile: string): string | null {
  const f = pipelineFile.replace(/\.ya?ml$/i, '.examples.yaml');
  return existsSync(f) ? f : null;
}

export function resolvePipelineFile(idOrPath: string, dir = defaultPipelinesDir()): string {
  if (/[/\\]|\.ya?ml$/i.test(idOrPath)) {
    if (!existsSync(idOrPath)) throw new ConfigError(`${idOrPath}: pipeline file not found`);
    return resolve(idOrPath);
  }
  for (const ext of ['.yaml', '.yml']) {
    const f = join(dir, `${idOrPath}${ext}`);
    if (existsSync(f)) return f;
  }
  throw new ConfigError(`unknown pipeline "${idOrPath}": no ${join(dir, `${idOrPath}.yaml`)} (see callqa pipelines list)`);
}

/** Path of an issue with ids: sections.2.items.5 -> sections[2 voice].items[5 speech-rate]. */
export function describeIssuePath(data: unknown, path: readonly PropertyKey[]): string {
  let node: unknown = data;
  let out = '';
  for (const key of path) {
    const next = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const id = next !== null && typeof next === 'object' ? (next as { id?: unknown }).id : undefined;
      out += typeof id === 'string' ? `[${key} ${id}]` : `[${key}]`;
    } else out += out ? `.${String(key)}` : String(key);
    node = next;
  }
  return out || '(root)';
}

export function formatIssues(data: unknown, err: z.ZodError): string {
  return err.issues.map((i) => `${describeIssuePath(data, i.path)}: ${i.message}`).join('; ');
}

/**
 * The yaml package's first message line ends "at line N, column M:" and its code frame follows; one line is kept,
 * so the colon that introduced the frame is dropped and the offending line quoted instead.
 */
function yamlErrorLine(err: unknown, text: string): string {
  const first = errorMessage(err).split('\n')[0]!.replace(/:\s*$/, '');
  const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
  const src = line !== undefined ? text.split(/\r?\n/)[line - 1] : undefined;
  return src !== undefined && src.trim() ? `${first}: ${JSON.stringify(src.trim().slice(0, 120))}` : first;
}

export function readYamlFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot read ${what}: ${errorMessage(err)}`);
  }
  // the parsed data of the same bytes is kept (validation still runs every time), when JSON keeps it exactly
  return cachedJson(
    'yaml',
    cacheKey(['yaml', yamlVersion(), text]),
    () => {
      try {
        return parseYaml(text);
      } catch (err) {
        throw new ConfigError(`${file}: not valid YAML: ${yamlErrorLine(err, text)}`);
      }
    },
    jsonSafe,
  );
}

/**
 * Validates a pipeline's data (schema only: stage settings, scorecard, text thresholds). `file` names the
 * source in errors; a real file's `id` must match its name ('(inline)' for data that has no file).
 */
export function parsePipelineData(data: unknown, file: string): PipelineConfig {
  const r = PipelineConfigSchema.safeParse(data);
  if (!r.success) throw new ConfigError(`${file}: invalid pipeline: ${formatIssues(data, r.error)}`);
  const stem = basename(file).replace(/\.ya?ml$/i, '');
  if (file !== '(inline)' && r.data.id !== stem) throw new ConfigError(`${file}: id: "${r.data.id}" must match the file name "${stem}"`);
  return r.data;
}

// ---------------------------------------------------------------------------------------------- lexicons

const lexiconCache = new Map<string, LoadedLexicons>();

/**
 * The lexicon sets a pipeline names (`lexicons:`; all sets when absent), loaded and validated once per
 * process per (folder, sets): the loader checks them, the detect stage reuses the same object.
 */
export function lexiconsFor(pipeline: Pick<PipelineConfig, 'lexicons'>, dir = defaultLexiconsDir()): LoadedLexicons {
  const key = JSON.stringify([dir, pipeline.lexicons ?? []]);
  let lex = lexiconCache.get(key);
  if (!lex) {
    lex = loadLexicons(dir, pipeline.lexicons);
    lexiconCache.set(key, lex);
  }
  return lex;
}

/**
 * Hands this process lexicon sets another one loaded (a stage-pool worker gets the main thread's), so
 * lexiconsFor returns them instead of parsing the same YAML again.
 */
export function seedLexicons(pipeline: Pick<PipelineConfig, 'lexicons'>, lex: LoadedLexicons, dir = defaultLexiconsDir()): void {
  lexiconCache.set(JSON.stringify([dir, pipeline.lexicons ?? []]), lex);
}

/** Loads the pipeline's lexicon sets; a missing or invalid set is an error of the pipeline file's `lexicons` field. */
function checkLexicons(pipeline: PipelineConfig, file: string): LoadedLexicons {
  const dir = defaultLexiconsDir();
  // Which set is at fault, when one is missing: name its index, as the schema errors do.
  for (const [i, set] of (pipeline.lexicons ?? []).entries()) {
    const setDir = resolve(dir, set);
    if (!existsSync(setDir)) throw new ConfigError(`${file}: lexicons[${i}]: lexicon set "${set}" not found (no folder ${setDir})`);
  }
  try {
    return lexiconsFor(pipeline, dir);
  } catch (err) {
    throw new ConfigError(`${file}: lexicons: ${errorMessage(err)}`, { cause: err });
  }
}

/** What an event condition's `category:` can name: a lexicon category, speech rate, or a personal-data category. */
const RULE_CATEGORIES: ReadonlySet<string> = new Set<string>([...LEXICON_CATEGORIES, 'speech_rate', ...PII_CATEGORIES.map((c) => `pii.${c}`)]);

/**
 * What the scorecard's rules refer to must exist: event types the detectors emit, lexicon entry ids in the
 * pipeline's own lexicon sets, categories the events carry. A misspelt name would otherwise match nothing and
 * quietly pass (or fail) an item on every call; here it fails the load, naming the file and the rule's path.
 */
function checkRuleReferences(pipeline: PipelineConfig, lexicons: LoadedLexicons, file: string): void {
  if (!pipeline.scorecard) return;
  const entryIds = new Set(lexicons.entries.map((e) => e.id));
  const sets = (pipeline.lexicons ?? []).join(', ') || 'none';
  const list = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      // "[0 s1]" with the element's id, as the schema's own messages name sections and items
      node.forEach((x, i) => {
        const id = x && typeof x === 'object' && typeof (x as { id?: unknown }).id === 'string' ? ` ${(x as { id: string }).id}` : '';
        walk(x, `${path}[${i}${id}]`);
      });
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if ('event' in o && (typeof o.event === 'string' || Array.isArray(o.event))) {
      for (const t of list(o.event)) {
        if (!isEventType(t)) throw new ConfigError(`${file}: ${path}.event: unknown event type "${t}" (one of: ${EVENT_TYPES.join(', ')})`);
      }
      for (const id of list(o.entry)) {
        if (!entryIds.has(id)) throw new ConfigError(`${file}: ${path}.entry: no lexicon entry "${id}" in this pipeline's lexicon sets (${sets})`);
      }
      for (const c of list(o.category)) {
        if (!RULE_CATEGORIES.has(c)) throw new ConfigError(`${file}: ${path}.category: unknown category "${c}" (one of: ${[...RULE_CATEGORIES].join(', ')})`);
      }
    }
    for (const [k, v] of Object.entries(o)) if (v !== null && typeof v === 'object') walk(v, path ? `${path}.${k}` : k);
  };
  walk(pipeline.scorecard, 'scorecard');
}

// ------------------------------------------------------------------------------------------- pipelines

export interface LoadedPipeline {
  file: string;
  pipeline: PipelineConfig;
  /** the pipeline's lexicon sets, loaded and validated */
  lexicons: LoadedLexicons;
}

/** A pipeline by id (pipelines/<id>.yaml) or path: everything in it validated, lexicons loaded. Throws ConfigError. */
export function loadPipeline(idOrPath: string, dir = defaultPipelinesDir()): LoadedPipeline {
  const file = resolvePipelineFile(idOrPath, dir);
  const pipeline = parsePipelineData(readYamlFile(file, 'pipeline'), file);
  const lexicons = checkLexicons(pipeline, file);
  checkRuleReferences(pipeline, lexicons, file);
  return { file, pipeline, lexicons };
}

/**
 * The pipeline a run uses: by id or path; without a name pipelines/default.yaml if present, else the
 * built-in audio-only default.
 */
export function resolvePipeline(nameOrPath?: string): PipelineConfig {
  if (!nameOrPath) {
    const f = join(defaultPipelinesDir(), 'default.yaml');
    if (!existsSync(f)) return defaultPipeline();
    return loadPipeline(f).pipeline;
  }
  return loadPipeline(nameOrPath).pipeline;
}

// ------------------------------------------------------------------------------------------- examples

export function loadExamples(file: string): ExamplesFile {
  const data = readYamlFile(file, 'examples');
  const r = ExamplesFileSchema.safeParse(data);
  if (!r.success) throw new ConfigError(`${file}: invalid examples: ${formatIssues(data, r.error)}`);
  return r.data;
}

/** Runs the example calls kept beside a pipeline (pipelines/<id>.examples.yaml) through its scorecard. */
export function runExamples(pipeline: PipelineConfig, file: string): ExampleResult[] {
  const ex = loadExamples(file);
  if (ex.pipeline !== pipeline.id) throw new ConfigError(`${file}: pipeline: "${ex.pipeline}" but the pipeline beside it is "${pipeline.id}"`);
  checkExamples(ex, file, lexiconsFor(pipeline));
  return ex.examples.map((e) => runExample(pipeline, e));
}

/**
 * Mistakes in an examples file that would otherwise pass unseen: two examples of one name (a report, and
 * `pipelines test --name`, cannot tell them apart) and an event naming a lexicon entry the program does not
 * load (a rule on that entry then never fires, and the example tests nothing).
 */
function checkExamples(ex: ExamplesFile, file: string, lex: LoadedLexicons): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of ex.examples) {
    if (seen.has(e.name)) problems.push(`examples: two examples are named "${e.name}"`);
    seen.add(e.name);
  }
  const ids = new Set(lex.entries.map((en) => en.id));
  for (const e of ex.examples) {
    for (const [i, ev] of e.events.entries()) {
      const id = (ev as Record<string, unknown>).entryId;
      if (id !== undefined && (typeof id !== 'string' || !ids.has(id))) {
        problems.push(`examples "${e.name}": events[${i}].entryId: ${typeof id === 'string' ? `"${id}" is no entry of this program's lexicons` : 'must be a lexicon entry id (text)'}`);
      }
    }
  }
  if (problems.length) throw new ConfigError(`${file}: ${problems.join('; ')}`);
}
