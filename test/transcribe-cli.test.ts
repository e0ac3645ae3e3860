import { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { register } from '../src/cli/models.js';

/** `callqa models ...` in-process, stdout captured. */
async function run(args: string[]): Promise<{ out: string; error?: Error }> {
  const program = new Command('callqa').exitOverride();
  let out = '';
  program.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
  register(program);
  for (const c of program.commands) {
    c.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
    for (const sub of c.commands) sub.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
  }
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  try {
    await program.parseAsync(['node', 'callqa', ...args]);
    return { out };
  } catch (err) {
    return { out, error: err as Error };
  } finally {
    spy.mockRestore();
  }
}

describe('callqa models', () => {
  let dir: string;
  const prev = process.env.CALLQA_MODELS_DIR;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'callqa-models-cli-'));
    process.env.CALLQA_MODELS_DIR = dir;
  });
  afterAll(() => {
    if (prev === undefined) delete process.env.CALLQA_MODELS_DIR;
    else process.env.CALLQA_MODELS_DIR = prev;
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['models', 'models list', 'models download', 'models build'])('%s --help explains itself', async (cmd) => {
    const { out } = await run([...cmd.split(' '), '--help']);
    expect(out).toMatch(/Usage: callqa models/);
    expect(out.length).toBeGreaterThan(200);
  });

  it('list shows present/absent, size and path (JSON form)', async () => {
    writeFileSync(path.join(dir, 'ggml-tiny.bin'), Buffer.alloc(1234));
    const { out, error } = await run(['models', 'list', '--json']);
    expect(error).toBeUndefined();
    const j = JSON.parse(out) as { modelsDir: string; models: { name: string; present: boolean; sizeBytes: number | null; path: string }[] };
    expect(j.modelsDir).toBe(dir);
    expect(j.models.find((m) => m.name === 'tiny')).toMatchObject({ present: true, sizeBytes: 1234, path: path.join(dir, 'ggml-tiny.bin') });
    expect(j.models.find((m) => m.name === 'base')).toMatchObject({ present: false, sizeBytes: null });
  });

  it('list as a table', async () => {
    const { out } = await run(['models', 'list']);
    expect(out).toMatch(/base \(default\)/);
    expect(out).toMatch(/whisper-cli: /);
  });

  it('download of an unknown name is a clear error', async () => {
    const { error } = await run(['models', 'download', 'huge']);
    expect(error?.message).toMatch(/unknown whisper model "huge"; known: tiny, tiny.en, base/);
  });
});
