import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from '../config/env.js';
import { CallqaError, ConfigError } from '../core/errors.js';

/**
 * Whisper model files: which names we know, where they live, downloading them.
 *
 * Files live in the project's `models/` folder (nodejs-whisper's `modelRootPath`), or wherever
 * `CALLQA_MODELS_DIR` points. File names come from nodejs-whisper's table (`ggml-<name>.bin`).
 */

const require = createRequire(import.meta.url);

interface NodejsWhisperConstants {
  MODEL_OBJECT: Record<string, string>;
  WHISPER_CPP_PATH: string;
}
/** nodejs-whisper's constants module only (its index pulls in shelljs and changes cwd when used). */
export const nodejsWhisper = require('nodejs-whisper/dist/constants.js') as NodejsWhisperConstants;

/** The model names callqa supports: CPU-friendly sizes, multilingual and English-only. */
export const MODEL_NAMES = ['tiny', 'tiny.en', 'base', 'base.en', 'small', 'small.en'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
export const DEFAULT_MODEL: ModelName = 'base';

/** SHA-1 and approximate size of the published files (whisper.cpp models/README.md, v1.9.1). */
export const MODEL_SHA1: Record<ModelName, string> = {
  tiny: 'bd577a113a864445d4c299885e0cb97d4ba92b5f',
  'tiny.en': 'c78c86eb1a8faa21b369bcd33207cc90d64ae9df',
  base: '465707469ff3a37a2b9b8d8f89f2f99de7299dac',
  'base.en': '137c40403d78fd54d454da0f9bd998f78703390c',
  small: '55356645c2b361a969dfd0ef2c5a50d530afd8d5',
  'small.en': 'db8a495a91d927739e50b3fc1cc4c6b8f6c2d022',
};
export const MODEL_APPROX_MIB: Record<ModelName, number> = {
  tiny: 75,
  'tiny.en': 75,
  base: 142,
  'base.en': 142,
  small: 466,
  'small.en': 466,
};

export const MODEL_BASE_URL = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main';

export function isModelName(s: string): s is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(s);
}

/** The callqa package root (the folder holding package.json), found from this file's location. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export function modelsDir(): string {
  const dir = env().CALLQA_MODELS_DIR;
  return dir ? path.resolve(dir) : path.join(projectRoot(), 'models');
}

export function modelFileName(name: ModelName): string {
  return nodejsWhisper.MODEL_OBJECT[name] ?? `ggml-${name}.bin`;
}

export function modelPath(name: ModelName): string {
  return path.join(modelsDir(), modelFileName(name));
}

/** A path for messages: relative to the working directory when it is inside it. */
function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

/** No model file where one was expected: an expected condition with an actionable message. */
export class ModelNotFoundError extends ConfigError {
  constructor(
    readonly modelName: string,
    readonly expectedPath: string,
  ) {
    super(
      isModelName(modelName)
        ? `no model at ${shown(expectedPath)}; run callqa models download ${modelName}, or copy the file there`
        : `no model file at ${shown(expectedPath)}`,
    );
  }
}

export interface ResolvedModel {
  /** the name reported in the transcript: a known name, or the file's base name */
  name: string;
  path: string;
}

/**
 * A model by name (`base`, `small.en`, ...) or by path (anything with a slash or ending in .bin).
 * Throws ModelNotFoundError when the file is absent, ConfigError for an unknown name.
 */
export function resolveModel(nameOrPath: string = DEFAULT_MODEL): ResolvedModel {
  if (nameOrPath.includes('/') || nameOrPath.includes(path.sep) || nameOrPath.endsWith('.bin')) {
    const p = path.resolve(nameOrPath);
    if (!existsSync(p)) throw new ModelNotFoundError(nameOrPath, p);
    return { name: path.basename(p).replace(/^ggml-/, '').replace(/\.bin$/, ''), path: p };
  }
  if (!isModelName(nameOrPath)) {
    throw new ConfigError(`unknown whisper model "${nameOrPath}"; known: ${MODEL_NAMES.join(', ')} (or a path to a ggml .bin file)`);
  }
  const p = modelPath(nameOrPath);
  if (!existsSync(p)) throw new ModelNotFoundError(nameOrPath, p);
  return { name: nameOrPath, path: p };
}

export interface ModelStatus {
  name: ModelName;
  file: string;
  path: string;
  present: boolean;
  sizeBytes: number | null;
}

export function listModels(): ModelStatus[] {
  return MODEL_NAMES.map((name) => {
    const p = modelPath(name);
    let sizeBytes: number | null = null;
    try {
      const st = statSync(p);
      if (st.isFile()) sizeBytes = st.size;
    } catch {
      /* absent */
    }
    return { name, file: modelFileName(name), path: p, present: sizeBytes !== null, sizeBytes };
  });
}

export function modelUrl(name: ModelName): string {
  return `${MODEL_BASE_URL}/${modelFileName(name)}`;
}

export class ModelDownloadError extends CallqaError {}

export interface DownloadOptions {
  /** bytes so far and total (null when the server sends no length) */
  onProgress?: (doneBytes: number, totalBytes: number | null) => void;
  signal?: AbortSignal;
  /** replaceable for tests */
  fetchImpl?: typeof fetch;
  /** overwrite an existing file */
  force?: boolean;
  /** base URL override (mirrors) */
  baseUrl?: string;
}

/**
 * Download a model into modelsDir(): streamed to a temporary file beside the target, checked (length, ggml
 * magic, SHA-1), then renamed into place, so a half-finished download never looks like a model.
 */
export async function downloadModel(name: string, opts: DownloadOptions = {}): Promise<string> {
  if (!isModelName(name)) {
    throw new ConfigError(`unknown whisper model "${name}"; known: ${MODEL_NAMES.join(', ')}`);
  }
  const target = modelPath(name);
  if (existsSync(target) && !opts.force) return target;
  const url = opts.baseUrl ? `${opts.baseUrl.replace(/\/$/, '')}/${modelFileName(name)}` : modelUrl(name);
  const manual = `download ${url} elsewhere and copy it to ${target}`;
  await mkdir(path.dirname(target), { recursive: true });

  let res: Response;
  try {
    res = await (opts.fetchImpl ?? fetch)(url, { signal: opts.signal, redirect: 'follow' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new ModelDownloadError(`cannot download model "${name}": network unreachable (${why}); ${manual}`, { cause: err });
  }
  if (!res.ok || !res.body) {
    throw new ModelDownloadError(`cannot download model "${name}": ${url} answered HTTP ${res.status}; ${manual}`);
  }
  const lenHeader = res.headers.get('content-length');
  const total = lenHeader ? Number(lenHeader) : null;
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.part-${randomBytes(4).toString('hex')}`);
  const fh = await open(tmp, 'wx');
  const sha1 = createHash('sha1');
  let done = 0;
  let head: Buffer | null = null;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const b = Buffer.from(chunk);
      if (!head) head = b.subarray(0, 4);
      sha1.update(b);
      await fh.write(b);
      done += b.length;
      opts.onProgress?.(done, total);
    }
    await fh.close();
    if (total !== null && done !== total) {
      throw new ModelDownloadError(`download of "${name}" incomplete: got ${done} of ${total} bytes; try again or ${manual}`);
    }
    // legacy ggml files start with the magic 0x67676d6c stored little-endian: "lmgg"
    if (!head || head.readUInt32LE(0) !== 0x67676d6c) {
      throw new ModelDownloadError(`${url} did not return a ggml model file (bad header); ${manual}`);
    }
    const digest = sha1.digest('hex');
    if (digest !== MODEL_SHA1[name]) {
      throw new ModelDownloadError(`download of "${name}" is corrupt (SHA-1 ${digest}, expected ${MODEL_SHA1[name]}); try again or ${manual}`);
    }
    await rename(tmp, target);
    return target;
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    if (err instanceof CallqaError) throw err;
    throw new ModelDownloadError(`download of "${name}" failed: ${(err as Error).message}; ${manual}`, { cause: err });
  }
}
