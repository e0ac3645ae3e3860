import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { CallMetadata } from '../core/types.js';
import { resolveModel } from '../transcribe/models.js';
import { findSidecar } from '../transcribe/sidecar.js';
import type { PipelineConfig } from './config.js';
import { lexiconsFor } from './loader.js';
import type { RunOptions } from './stage.js';

/**
 * What a call's result depends on, beyond the audio bytes (the recording's content hash, which already
 * picks the recording row): the transcript source and its content, the call metadata, the pipeline (its
 * whole content, not only the version string a QA editor may forget to bump), the lexicons, the run
 * options and the analysis code itself (a new callqa whose detectors changed, under the same version number,
 * must not serve results its old detectors made). A finished run is reused only when every one of these is what it was; otherwise the call is
 * analysed again and the report says why ("re-analysed: transcript changed").
 *
 * Each input is kept as a short fingerprint in the run's `versions` (`input.<name>`), so no schema change
 * is needed and `callqa status` / the report can show what a run was made from.
 */

export const INPUT_NAMES = ['transcript', 'metadata', 'pipeline', 'lexicons', 'options', 'code'] as const;
export type InputName = (typeof INPUT_NAMES)[number];
export type CallInputs = Record<InputName, string>;

export const INPUT_VERSION_PREFIX = 'input.';
const INPUT_PREFIX = INPUT_VERSION_PREFIX;

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex').slice(0, 16);

/** JSON with object keys sorted, so the same data always gives the same fingerprint. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** How the transcript will be obtained: the sidecar's bytes, or the engine and model, or none. */
export async function transcriptSourceOf(audioPath: string, pipeline: PipelineConfig, options: RunOptions): Promise<string> {
  const sidecar = findSidecar(audioPath, options.transcriptsDir);
  if (sidecar) {
    // unreadable now: the transcribe stage reports it as the file's error; here it only must differ
    const bytes = await readFile(sidecar.path).catch(() => null);
    return `sidecar-${sidecar.format}:${bytes ? sha(bytes) : 'unreadable'}`;
  }
  if (!options.transcribe) return 'none';
  const model = options.model ?? pipeline.asr.model;
  // Which model file (or none: the run had no transcript, and installing the model must change that).
  let file = 'missing';
  try {
    const m = resolveModel(model);
    const st = await stat(m.path);
    file = `${m.name}:${st.size}`;
  } catch {
    // missing or unknown model: the transcribe stage says why
  }
  return `whisper:${file}:${sha(canonicalJson(pipeline.asr))}`;
}

/**
 * The pipeline's fingerprint (`<id>@<version>#<content hash>`, the run's `input.pipeline`), computed once per
 * loaded pipeline object. rescore compares it with the one an analysis recorded.
 */
const pipelineKeys = new WeakMap<PipelineConfig, string>();
export function pipelineKey(p: PipelineConfig): string {
  let k = pipelineKeys.get(p);
  if (!k) pipelineKeys.set(p, (k = `${p.id}@${p.version}#${sha(canonicalJson(p))}`));
  return k;
}

/**
 * The code a call's result is made by: every module under these folders of this build (compiled JavaScript
 * when run from dist/, TypeScript when run from source: either way the bytes that run), hashed once per
 * process. Not the CLI, API, store, runners or UI: changing those changes no finding.
 */
const ANALYSIS_CODE_DIRS = ['audio', 'core', 'detect', 'lexicon', 'pipeline/stages', 'privacy', 'score', 'transcribe'];
let analysisCode: string | undefined;
export function analysisCodeVersion(): string {
  if (analysisCode) return analysisCode;
  // read synchronously, once: ~100 small files, a few ms (one awaited read each took ~45 ms)
  const h = createHash('sha256');
  const src = fileURLToPath(new URL('..', import.meta.url));
  for (const dir of ANALYSIS_CODE_DIRS) {
    const files = readdirSync(`${src}/${dir}`, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(js|ts)$/.test(f) && !/\.test\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'))
      .sort();
    for (const f of files) h.update(`${dir}/${f}\0`).update(readFileSync(`${src}/${dir}/${f}`)).update('\0');
  }
  return (analysisCode = h.digest('hex').slice(0, 16));
}

export async function callInputs(args: { audioPath: string; metadata: CallMetadata; pipeline: PipelineConfig; options: RunOptions }): Promise<CallInputs> {
  const { pipeline, options } = args;
  return {
    transcript: await transcriptSourceOf(args.audioPath, pipeline, options),
    metadata: sha(canonicalJson(args.metadata ?? {})),
    pipeline: pipelineKey(pipeline),
    lexicons: lexiconsFor(pipeline).version,
    // the transcript options are in `transcript`; what else changes the result
    options: sha(canonicalJson({ channels: options.channels ?? null })),
    code: analysisCodeVersion(),
  };
}

/** The inputs as entries of a run's `versions`. */
export function inputVersions(inputs: CallInputs): Record<string, string> {
  return Object.fromEntries(INPUT_NAMES.map((k) => [`${INPUT_PREFIX}${k}`, inputs[k]]));
}

const WHY: Record<InputName, string> = {
  transcript: 'transcript changed',
  metadata: 'metadata changed',
  pipeline: 'pipeline changed',
  lexicons: 'lexicons changed',
  options: 'options changed',
  code: 'analysis code changed (another callqa build)',
};

/**
 * Why a finished run no longer stands for these inputs: one reason per input that differs; empty when it
 * still does. A run from a callqa that recorded no inputs is stale once (its inputs are unknown).
 */
export function staleReasons(versions: Record<string, string>, inputs: CallInputs): string[] {
  if (!INPUT_NAMES.some((k) => `${INPUT_PREFIX}${k}` in versions)) return ['inputs of the earlier analysis not recorded'];
  return INPUT_NAMES.filter((k) => versions[`${INPUT_PREFIX}${k}`] !== inputs[k]).map((k) => WHY[k]);
}
