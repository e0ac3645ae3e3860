import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { PipelineConfigSchema, type PipelineConfig } from '../pipeline/config.js';

/**
 * Loading QA programs (pipelines/<id>.yaml) with the scorecard validated. Errors name the file and the
 * field, with item and section ids spelled out next to array indexes so QA staff find the line:
 *   pipelines/inbound.yaml: scorecard.sections[3 service-language].items[5 banned-phrase].fail.keywords: ...
 */

/** The repository's pipelines/ folder (CALLQA_PIPELINES_DIR overrides). */
export function defaultPipelinesDir(): string {
  return process.env.CALLQA_PIPELINES_DIR || fileURLToPath(new URL('../../pipelines', import.meta.url));
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

export function parsePipelineData(data: unknown, file: string): PipelineConfig {
  const r = PipelineConfigSchema.safeParse(data);
  if (!r.success) throw new ConfigError(`${file}: invalid pipeline: ${formatIssues(data, r.error)}`);
  const stem = basename(file).replace(/\.ya?ml$/i, '');
  if (file !== '(inline)' && r.data.id !== stem) throw new ConfigError(`${file}: id: "${r.data.id}" must match the file name "${stem}"`);
  return r.data;
}

export function readYamlFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot read ${what}: ${(err as Error).message}`);
  }
  try {
    return parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

export interface LoadedPipeline {
  file: string;
  pipeline: PipelineConfig;
}

/** A pipeline by id (pipelines/<id>.yaml) or path, scorecard included, validated. Throws ConfigError. */
export function loadPipeline(idOrPath: string, dir = defaultPipelinesDir()): LoadedPipeline {
  const file = resolvePipelineFile(idOrPath, dir);
  return { file, pipeline: parsePipelineData(readYamlFile(file, 'pipeline'), file) };
}
