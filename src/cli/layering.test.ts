import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering the CLI and the API share (README "Layout"): commands in src/cli and routes in src/api call
 * src/services; neither reaches into src/store or src/queue. The exceptions are listed here, each with why.
 * And `callqa --help` stays fast: what main.ts imports at start (statically, all the way down) is only
 * commander, Node's own modules and small core helpers; every command module is loaded lazily.
 */
const SRC = path.join(import.meta.dirname, '..');

/** file (relative to src/) -> modules under store/ or queue/ it may import, and why */
const EXCEPTIONS: Record<string, { modules: string[]; why: string }> = {
  'cli/data.ts': {
    modules: ['store/db.ts'],
    why: 'opening the store: the command owns the process, decides where the data lives (--data) and holds the data folder lock for its life',
  },
};

interface ImportRef {
  /** the specifier as written */
  spec: string;
  /** `import type` / `export type`: erased at build, no module loaded */
  typeOnly: boolean;
  /** import('...'): loaded when the code runs, not at start */
  dynamic: boolean;
}

/** Every module a TypeScript source names: static imports and re-exports (type-only marked), and import() calls. */
export function importsOf(source: string): ImportRef[] {
  const out: ImportRef[] = [];
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^;]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
    out.push({ spec: m[3]!, typeOnly: Boolean(m[2]), dynamic: false });
  }
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ spec: m[1]!, typeOnly: false, dynamic: true });
  return out;
}

/** The source file (relative to src/) a relative specifier names, or null for a package or node: module. */
function resolve(fromFile: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return path.relative(SRC, path.resolve(path.dirname(path.join(SRC, fromFile)), spec)).replace(/\\/g, '/').replace(/\.js$/, '.ts');
}

function sourcesIn(dir: string): string[] {
  return readdirSync(path.join(SRC, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => `${dir}/${f.replace(/\\/g, '/')}`);
}

/** Imports of store/ or queue/ modules that no exception covers, as "file -> module". */
export function layeringViolations(files: { file: string; source: string }[]): string[] {
  const bad: string[] = [];
  for (const { file, source } of files) {
    for (const ref of importsOf(source)) {
      const target = resolve(file, ref.spec);
      if (!target || !/^(store|queue)\//.test(target)) continue;
      if (EXCEPTIONS[file]?.modules.includes(target)) continue;
      bad.push(`${file} -> ${target}`);
    }
  }
  return bad;
}

const read = (file: string) => ({ file, source: readFileSync(path.join(SRC, file), 'utf8') });

describe('layering: the CLI and the API go through src/services', () => {
  it('the scanner sees every form of import (so the check below can fail)', () => {
    const probe = [
      "import { openStore } from '../store/db.js';",
      'import type { Store } from "../store/db.js";',
      "export { x } from '../queue/jobs.js';",
      "const { reconcile } = await import('../queue/enqueue.js');",
      "const [{ a }, { b }] = await Promise.all([import('../store/index.js'), import('../services/index.js')]);",
      "import {\n  many,\n  names,\n} from '../store/schema.js';",
      "// import { commented } from '../store/db.js';",
      "import { fine } from '../services/operations.js';",
    ].join('\n');
    expect(layeringViolations([{ file: 'cli/probe.ts', source: probe }])).toEqual([
      'cli/probe.ts -> store/db.ts',
      'cli/probe.ts -> store/db.ts',
      'cli/probe.ts -> queue/jobs.ts',
      'cli/probe.ts -> store/schema.ts',
      'cli/probe.ts -> queue/enqueue.ts',
      'cli/probe.ts -> store/index.ts',
    ]);
    // the listed exception covers only its own file and module
    expect(layeringViolations([{ file: 'cli/data.ts', source: "import { openStore } from '../store/db.js';\nimport { q } from '../store/schema.js';" }])).toEqual([
      'cli/data.ts -> store/schema.ts',
    ]);
  });

  it('no command in src/cli imports from src/store or src/queue (beyond the listed exceptions)', () => {
    const files = sourcesIn('cli').map(read);
    expect(files.length).toBeGreaterThan(15);
    expect(layeringViolations(files)).toEqual([]);
  });

  it('no route or module in src/api imports from src/store or src/queue', () => {
    const files = sourcesIn('api').map(read);
    expect(files.length).toBeGreaterThan(5);
    expect(layeringViolations(files)).toEqual([]);
  });

  it('every exception is still needed (a stale one would let the next import through unnoticed)', () => {
    for (const [file, ex] of Object.entries(EXCEPTIONS)) {
      const targets = importsOf(read(file).source).map((r) => resolve(file, r.spec));
      for (const m of ex.modules) expect(targets, `${file} still imports ${m}`).toContain(m);
    }
  });
});

describe('a CLI that starts fast', () => {
  /** What loading `file` loads at once: its static, non-type imports, all the way down. */
  function eagerClosure(file: string, seen = new Set<string>()): Set<string> {
    if (seen.has(file)) return seen;
    seen.add(file);
    if (!file.endsWith('.ts')) return seen;
    for (const ref of importsOf(read(file).source)) {
      if (ref.dynamic || ref.typeOnly) continue;
      const target = resolve(file, ref.spec);
      if (target) eagerClosure(target, seen);
      else seen.add(ref.spec);
    }
    return seen;
  }

  it('main.ts loads only commander, node: modules and core/ helpers at start; commands and services lazily', () => {
    const eager = [...eagerClosure('cli/main.ts')];
    expect(eager).toContain('commander');
    const heavy = eager.filter((m) => !(m === 'commander' || m.startsWith('node:') || m === 'cli/main.ts' || m.startsWith('core/')));
    expect(heavy).toEqual([]);
  });
});
