import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import { DATA_LOCK_FILE, lockDataDir, openStore } from '../src/store/index.js';

/**
 * The embedded database's folder lock is flock(2), held by the kernel for the process's lifetime. Real
 * processes (the real PGlite open), real SIGKILL, and a holder in another PID namespace (unshare, as two
 * containers sharing a volume are), where a pid-file lock would have let both in.
 */
const ROOT = path.join(import.meta.dirname, '..');
const HOLDER = path.join(ROOT, 'test', 'support', 'lock-holder.ts');
const dirs: string[] = [];
const children: ChildProcess[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'callqa-lock-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts a holder; resolves with its first line ("open <pid>" or "refused ...") and the process. */
function holder(dir: string, prefix: string[] = [], extra: string[] = []): Promise<{ line: string; child: ChildProcess }> {
  // node itself (not the tsx wrapper), so a SIGKILL hits the process that holds the lock
  const [cmd, ...args] = [...prefix, process.execPath, '--import', 'tsx', HOLDER, dir, ...extra];
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ line: out.slice(0, nl), child });
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`holder exited ${code} without a line: ${err}`));
    });
  });
}
function exited(c: ChildProcess): Promise<void> {
  return c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', () => r()));
}

/** `unshare --pid --fork` works as root on Linux; elsewhere that case says it is skipped. */
const canUnshare = spawnSync('unshare', ['--pid', '--fork', 'true']).status === 0;

describe('data folder lock (kernel-held flock)', () => {
  it('refuses a second process while the first holds the folder, and frees it the moment the holder is SIGKILLed', async () => {
    const dir = tmp();
    const a = await holder(dir);
    expect(a.line).toMatch(/^open \d+$/);
    const b = await holder(dir);
    expect(b.line).toMatch(/^refused data directory .* is in use by another process \(callqa \(embedded database\), pid \d+/);
    expect(b.line).toContain('DATABASE_URL');
    // in this process too
    const err = await openStore({ dataDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);

    a.child.kill('SIGKILL');
    await exited(a.child);
    // no stale lock: the kernel dropped it with the process
    const c = await holder(dir, [], ['lock-only']);
    expect(c.line).toMatch(/^open \d+$/);
    c.child.stdin!.end();
    await exited(c.child);
    expect(c.child.exitCode).toBe(0);
  });

  it('a lock file naming a dead (or unrelated) pid does not let a second process in: the pid is only for messages', async () => {
    const dir = tmp();
    const a = await holder(dir, [], ['lock-only']);
    expect(a.line).toMatch(/^open/);
    // What a pid-file lock would read as stale: a holder whose pid this namespace cannot see.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(path.join(dir, DATA_LOCK_FILE), String(dead));
    const b = await holder(dir);
    expect(b.line).toMatch(/^refused .*in use by another process/);
    a.child.kill('SIGKILL');
    await exited(a.child);
  });

  it.runIf(canUnshare)('a holder in another PID namespace (two containers on one volume) keeps the other out, both ways', async () => {
    const dir = tmp();
    const a = await holder(dir, ['unshare', '--pid', '--fork', '--kill-child'], ['lock-only']);
    // inside its own namespace the holder is pid 1 (or close): invisible from here
    expect(a.line).toBe('open 1');
    const b = await holder(dir);
    expect(b.line).toMatch(/^refused .*in use by another process/);
    const c = await holder(dir, ['unshare', '--pid', '--fork', '--kill-child']);
    expect(c.line).toMatch(/^refused .*in use by another process/);
    a.child.kill('SIGKILL'); // kills unshare; its namespace's init dies with it
    await exited(a.child);
    for (let i = 0; i < 50; i++) {
      const d = await holder(dir, [], ['lock-only']);
      if (d.line.startsWith('open')) {
        d.child.stdin!.end();
        await exited(d.child);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('lock not released after the namespace holder died');
  });
  if (!canUnshare) it.skip('PID namespace case skipped: `unshare --pid --fork` is not permitted here (needs root on Linux)', () => {});

  it('processes racing for a fresh folder: exactly one gets it, and only its writes exist', async () => {
    const dir = tmp();
    const racers = await Promise.all(Array.from({ length: 4 }, () => holder(dir, [], ['write'])));
    const winners = racers.filter((r) => r.line.startsWith('open'));
    expect(winners).toHaveLength(1);
    expect(racers.filter((r) => r.line.startsWith('refused'))).toHaveLength(3);
    const pid = winners[0].line.split(' ')[1];
    winners[0].child.stdin!.end();
    await Promise.all(racers.map((r) => exited(r.child)));
    const s = await openStore({ dataDir: dir });
    try {
      const names = (await s.db.execute(sql`select file_name from recordings`)) as unknown as { rows: { file_name: string }[] };
      expect(names.rows.map((r) => r.file_name)).toEqual([`${pid}.wav`]);
    } finally {
      await s.close();
    }
  });

  it('lockDataDir is one call (for `callqa serve`), refuses a second lock in the same process, and release frees it', () => {
    const dir = tmp();
    const lock = lockDataDir(dir, 'callqa serve');
    expect(() => lockDataDir(dir)).toThrow(/already open in this process/);
    expect(JSON.parse(readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'callqa serve' });
    lock.release();
    lock.release();
    const again = lockDataDir(dir);
    again.release();
  });
});
