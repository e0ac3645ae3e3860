/**
 * `callqa analyze` on DATABASE_URL when the PostgreSQL server goes away during the batch (a restart, a
 * failover), made exact with a proxy that drops the connection at a chosen query (test/support/pg-cut-proxy.ts):
 * the summary is always printed and the exit code says what happened.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import { openStore } from '../src/store/db.js';
import { CLI_BIN } from './support/cli.js';
import { postgresBackend } from './support/db-backends.js';
import { startCutProxy, type CutProxy } from './support/pg-cut-proxy.js';

/** The CLI in a child process, asynchronously: the proxy lives in this process and must keep forwarding. */
function callqa(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    // killed, not left running past the test, if it hangs (a pool waiting for ever for a lost connection is the
    // failure this file is about): the test then fails on its exit code
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 100_000,
      killSignal: 'SIGKILL',
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

const work = mkdtempSync(join(tmpdir(), 'callqa-pg-gone-'));
const files = ['a.wav', 'b.wav'].map((f) => join(work, f));

describe('analyze when the PostgreSQL server goes away mid-batch', () => {
  const backend = postgresBackend();
  let proxy: CutProxy;
  let url = '';
  beforeAll(async () => {
    const opts = await backend.setup();
    // migrated before the runs, so what the proxy watches for is the batch's own queries
    await (await openStore(opts)).close();
    proxy = await startCutProxy(opts.databaseUrl!);
    url = proxy.urlFor(opts.databaseUrl!);
    files.forEach((f, i) =>
      execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `sine=f=${300 + 200 * i}:d=2`, '-ac', '2', '-ar', '8000', f]),
    );
  });
  afterAll(async () => {
    await proxy?.close();
    await backend.teardown();
    rmSync(work, { recursive: true, force: true });
  });

  it('a connection lost on a BEGIN fails that call only, and the batch still ends with its summary (it exited 0 silently)', async () => {
    proxy.heal();
    const before = proxy.cuts;
    // the first BEGIN after the batch's first query on a call's recording (not the migrator's)
    proxy.cutOn('begin', { after: '"recordings"' });
    const r = await callqa(['analyze', '--no-transcribe', '--jobs', '1', '--force', '--no-table', ...files], { DATABASE_URL: url });
    expect(proxy.cuts).toBe(before + 1);
    expect(r.stderr).toMatch(/1 of 2 call\(s\) analysed, 1 failed/);
    expect(r.code).toBe(1);
  }, 120_000);

  it('the database gone when the watch list runs: the calls are reported and the summary printed, then exit 2', async () => {
    proxy.heal();
    // this test's own cut: the counter is the proxy's, and the test before cut once already
    const before = proxy.cuts;
    proxy.cutOn('saved_searches', { always: true, thenRefuse: true });
    const r = await callqa(['analyze', '--no-transcribe', '--jobs', '1', '--force', '--no-table', ...files], { DATABASE_URL: url });
    expect(proxy.cuts).toBeGreaterThan(before);
    expect(r.stderr).toMatch(/2 of 2 call\(s\) analysed/);
    expect(r.stderr).toMatch(/callqa: watch list not checked for this batch: /);
    // the summary first, then what was not done (README "Exit codes")
    expect(r.stderr.indexOf('watch list not checked')).toBeGreaterThan(r.stderr.indexOf('2 of 2 call(s) analysed'));
    expect(r.code).toBe(2);
  }, 120_000);
});
