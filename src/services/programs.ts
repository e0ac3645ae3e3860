/**
 * QA programs use case, shared by the CLI (`callqa pipelines list | show | validate | test`) and the API:
 * the programs kept as data in pipelines/, each loaded and checked by the one loader (src/pipeline/loader.ts),
 * summarised, and tried on the example calls kept beside it. Callers render the results; nothing here prints.
 */
import { basename } from 'node:path';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { PipelineConfig } from '../pipeline/config.js';
import { defaultPipelinesDir, examplesFileFor, listPipelineFiles, loadPipeline, runExamples } from '../pipeline/loader.js';
import type { ExampleResult } from '../score/examples.js';
import { maxTotalOf } from '../score/scorecard.js';
import type { StoreDb } from '../store/db.js';
import { analysisRuns, scorecards } from '../store/schema.js';
import { ServiceError } from './errors.js';

export type { ExampleResult };
export { defaultPipelinesDir };

export interface ProgramSummary {
  id: string;
  version: string;
  title: string;
  language: PipelineConfig['language'];
  file: string;
  /** the examples file beside the program, if there is one */
  examples: string | null;
  maxTotal: number | null;
  sections: number;
  items: number;
  /** items people judge (manual, and fatal items with no rule) */
  manualItems: number;
}

export interface ProgramError {
  file: string;
  error: string;
}

export function summariseProgram(p: PipelineConfig, file: string): ProgramSummary {
  const items = p.scorecard?.sections.flatMap((s) => s.items) ?? [];
  return {
    id: p.id,
    version: p.version,
    title: p.title ?? '',
    language: p.language,
    file,
    examples: examplesFileFor(file),
    maxTotal: p.scorecard ? maxTotalOf(p.scorecard) : null,
    sections: p.scorecard?.sections.length ?? 0,
    items: items.length,
    manualItems: items.filter((i) => i.kind === 'manual' || (i.kind === 'fatal' && !i.fail && !i.pass)).length,
  };
}

/** Every program in the folder, summarised; the ones that do not load, with their error (naming file and field). */
export function listPrograms(dir = defaultPipelinesDir()): { pipelines: ProgramSummary[]; errors: ProgramError[] } {
  const pipelines: ProgramSummary[] = [];
  const errors: ProgramError[] = [];
  for (const f of listPipelineFiles(dir)) {
    try {
      const { pipeline, file } = loadPipeline(f);
      pipelines.push(summariseProgram(pipeline, file));
    } catch (err) {
      errors.push({ file: f, error: errorMessage(err) });
    }
  }
  return { pipelines, errors };
}

/** One program by id or file, parsed (throws the loader's error when it does not load). */
export function showProgram(idOrFile: string, dir = defaultPipelinesDir()): { file: string; pipeline: PipelineConfig } {
  return loadPipeline(idOrFile, dir);
}

export interface ValidationResult {
  file: string;
  ok: boolean;
  error?: string;
  examples?: string | null;
}

/**
 * Loads each program (default: every one in the folder) and parses its examples file too; whether the
 * examples pass is testPrograms' business.
 */
export function validatePrograms(files: string[], dir = defaultPipelinesDir()): ValidationResult[] {
  const targets = files.length ? files : listPipelineFiles(dir);
  const results: ValidationResult[] = [];
  for (const f of targets) {
    try {
      const { pipeline, file } = loadPipeline(f, dir);
      const ex = examplesFileFor(file);
      // a verdict that fails is test's business; an expectation naming an item or section the scorecard does not
      // have is a mistake in the file, as a misspelt key is, so validate reports it too
      const unknown = ex
        ? runExamples(pipeline, ex).flatMap((r) => r.failures.filter((f) => /: no such (item in the scorecard|section)$/.test(f)).map((f) => `examples "${r.name}": expect: ${f}`))
        : [];
      if (unknown.length) results.push({ file: ex!, ok: false, error: `${ex}: ${unknown.join('; ')}` });
      else results.push({ file, ok: true, examples: ex });
    } catch (err) {
      results.push({ file: f, ok: false, error: errorMessage(err) });
    }
  }
  return results;
}

export interface ProgramTestResult {
  pipeline: string;
  file: string;
  error?: string;
  examples: ExampleResult[];
}

/** Runs the example calls kept beside one program (by id) or every program, against their expected verdicts. */
export function testPrograms(id: string | undefined, dir = defaultPipelinesDir()): ProgramTestResult[] {
  const files = id ? [loadPipeline(id, dir).file] : listPipelineFiles(dir);
  const results: ProgramTestResult[] = [];
  for (const f of files) {
    try {
      const { pipeline, file } = loadPipeline(f);
      const ex = examplesFileFor(file);
      results.push({ pipeline: pipeline.id, file, examples: ex ? runExamples(pipeline, ex) : [] });
    } catch (err) {
      results.push({ pipeline: basename(f), file: f, error: errorMessage(err), examples: [] });
    }
  }
  return results;
}

/**
 * The program ids a filter (`--program` of calls, search, trends, watchlist, review plan, rules accuracy)
 * may name: the programs in the pipelines folder, and those calls were analysed or rescored with (a program
 * whose file was since renamed or removed still has its calls and reviews). Sorted.
 */
export async function knownProgramIds(db: StoreDb, dir = defaultPipelinesDir()): Promise<string[]> {
  const ids = new Set(listPipelineFiles(dir).map((f) => basename(f).replace(/\.ya?ml$/i, '')));
  for (const r of await db.selectDistinct({ id: analysisRuns.pipelineId }).from(analysisRuns)) ids.add(r.id);
  for (const r of await db.selectDistinct({ id: scorecards.pipelineId }).from(scorecards)) ids.add(r.id);
  return [...ids].sort();
}

/** `<where>: no QA program "<id>" (programs: ...)`: the one wording of the CLI's and the API's refusal. */
function noSuchProgram(where: string, id: string, known: readonly string[]): string {
  return `${where}: no QA program "${id}" (${known.length ? `programs: ${known.join(', ')}` : 'none yet: see callqa pipelines list'})`;
}

/**
 * Refuses a program filter that names no program (a typo would otherwise answer "nothing" with exit 0):
 * a ConfigError naming the option, the value and the programs there are.
 */
export async function checkProgramFilter(db: StoreDb, id: string, flag = '--program'): Promise<void> {
  const known = await knownProgramIds(db);
  if (known.includes(id)) return;
  throw new ConfigError(noSuchProgram(flag, id, known));
}

/**
 * The API's refusal of a program filter that names no program: 400 `invalid_request` naming the parameter as a
 * schema error does (`query.pipeline`, `body.auto.pipelineId`), with `issues` and the `programs` there are.
 * Nothing when `id` is absent.
 */
export async function checkProgramParam(db: StoreDb, param: string, id: string | undefined): Promise<void> {
  if (id === undefined) return;
  const known = await knownProgramIds(db);
  if (known.includes(id)) return;
  const message = noSuchProgram(param, id, known);
  throw new ServiceError(400, 'invalid_request', message, { issues: [{ path: param, message: message.slice(param.length + 2) }], programs: known });
}
