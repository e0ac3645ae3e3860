import type { CallMetadata } from '../core/types.js';

/** Where call metadata comes from for a batch: a CSV manifest, per-file sidecars, and --meta overrides. */
export interface MetadataSource {
  manifestPath?: string;
  overrides: Record<string, string>;
}

export async function loadMetadataFor(_recordingPath: string, src: MetadataSource): Promise<CallMetadata> {
  return { ...src.overrides };
}
