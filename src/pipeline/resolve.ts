import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/errors.js';
import { defaultPipeline, loadPipelineFile, type PipelineConfig } from './config.js';

/** The repository's pipelines/ folder (CALLQA_PIPELINES_DIR overrides). */
export function pipelinesDir(): string {
  return process.env.CALLQA_PIPELINES_DIR || fileURLToPath(new URL('../../pipelines', import.meta.url));
}

/**
 * A pipeline by id (pipelines/<id>.yaml) or by path to a YAML file. Without a name: pipelines/default.yaml
 * if present, else the built-in audio-only default.
 */
export function resolvePipeline(nameOrPath?: string): PipelineConfig {
  if (!nameOrPath) {
    const f = join(pipelinesDir(), 'default.yaml');
    return existsSync(f) ? loadPipelineFile(f) : defaultPipeline();
  }
  if (/[/\\]|\.ya?ml$/i.test(nameOrPath)) {
    if (!existsSync(nameOrPath)) throw new ConfigError(`pipeline file not found: ${nameOrPath}`);
    return loadPipelineFile(nameOrPath);
  }
  const f = join(pipelinesDir(), `${nameOrPath}.yaml`);
  if (!existsSync(f)) throw new ConfigError(`unknown pipeline "${nameOrPath}": no ${f} (see callqa pipelines list)`);
  return loadPipelineFile(f);
}
