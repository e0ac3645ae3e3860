import type { CallMetadata } from '../core/types.js';
import { loadCallMetadata, loadManifest, parseCallMetadata } from '../pipeline/metadata.js';

/** Where call metadata comes from for a batch: a CSV manifest, per-file sidecars, and --meta overrides. */
export interface MetadataSource {
  manifestPath?: string;
  overrides: Record<string, string>;
  /** the parsed manifest, loaded once per batch */
  manifest?: Map<string, CallMetadata>;
}

export async function prepareMetadataSource(src: MetadataSource): Promise<MetadataSource> {
  // a bad --meta value is a usage error (exit 2) said once, not the same failure for every file of the batch
  if (Object.keys(src.overrides).length) parseCallMetadata(src.overrides, '--meta');
  if (src.manifestPath && !src.manifest) src.manifest = await loadManifest(src.manifestPath);
  return src;
}

/** Manifest < `<recording>.meta.json` sidecar < --meta flags. */
export async function loadMetadataFor(recordingPath: string, src: MetadataSource): Promise<CallMetadata> {
  return loadCallMetadata(recordingPath, { manifest: src.manifest, overrides: src.overrides as Partial<CallMetadata> });
}
