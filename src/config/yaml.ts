/**
 * YAML for configuration files (pipelines, lexicons), loaded on first use: the `yaml` module alone takes
 * ~0.1 s to load, and a start whose files are all in the cache (config/cache.ts) parses none.
 */
import { createRequire } from 'node:module';

type YamlModule = typeof import('yaml');
let yaml: YamlModule | undefined;

export function parseYaml(text: string): unknown {
  yaml ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yaml.parse(text);
}

/** The yaml package's version (for cache keys: another parser version may read a file differently). */
export function yamlVersion(): string {
  return (createRequire(import.meta.url)('yaml/package.json') as { version: string }).version;
}

/** True when JSON keeps `v` as it is (no non-finite numbers, no undefined, dates or other objects than plain ones). */
export function jsonSafe(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(jsonSafe);
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).every(jsonSafe);
  return false;
}
