import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import type { CallMetadata } from '../core/types.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import { loadCallMetadata, loadManifest, parseCallMetadata } from '../pipeline/metadata.js';

/** Where call metadata comes from for a batch: a CSV manifest, per-file sidecars, and --meta overrides. */
export interface MetadataSource {
  manifestPath?: string;
  overrides: Record<string, string>;
  /** the parsed manifest, loaded once per batch */
  manifest?: Map<string, CallMetadata>;
}

/**
 * `--meta` values are checked once, before any file: a bad one (started_at=2026-02-30, direction=sideways) is
 * a bad option (exit 2), not a failure of every file of the batch in turn (exit 1).
 */
export function checkMetaOverrides(overrides: Record<string, string>): void {
  if (Object.keys(overrides).length === 0) return;
  try {
    parseCallMetadata(overrides, '--meta');
  } catch (err) {
    throw new ConfigError(errorMessage(err));
  }
}

export async function prepareMetadataSource(src: MetadataSource): Promise<MetadataSource> {
  checkMetaOverrides(src.overrides);
  if (src.manifestPath && !src.manifest) src.manifest = await loadManifest(src.manifestPath);
  return src;
}

/** Manifest < `<recording>.meta.json` sidecar < --meta flags. */
export async function loadMetadataFor(recordingPath: string, src: MetadataSource): Promise<CallMetadata> {
  return loadCallMetadata(recordingPath, { manifest: src.manifest, overrides: src.overrides as Partial<CallMetadata> });
}

/**
 * Manifest rows whose recording does not exist (a typo in the file column, a recording not copied over): their
 * metadata can never be used, and the call it was meant for, if analysed under another name, gets none. One line
 * each (at most `max`, then how many more), naming the manifest and the file as the row wrote it.
 */
export function missingManifestFiles(src: MetadataSource, max = 10): string[] {
  if (!src.manifest || !src.manifestPath) return [];
  const base = dirname(src.manifestPath);
  const missing = [...src.manifest.keys()].filter((k) => isAbsolute(k) && !existsSync(k));
  const lines = missing.slice(0, max).map((k) => `${src.manifestPath}: ${relative(base, k)}: no such file (the row's metadata is not used)`);
  if (missing.length > max) lines.push(`${src.manifestPath}: and ${missing.length - max} more rows naming files that do not exist`);
  return lines;
}
