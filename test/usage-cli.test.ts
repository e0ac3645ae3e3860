/**
 * Usage slips that used to be answered with an empty result or a wrong claim and exit 0: a folder or a
 * program or saved search that does not exist, files named beside --all, a no-op reported as a change,
 * outdated help. Each is now said plainly (a usage error exits 2 and names the option and the value).
 * Runs the CLI from source.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.join(import.meta.dirname, '..', 'src', 'cli', 'bin.js');

function callqa(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '' }, input, encoding: 'utf8', maxBuffer: 1 << 24 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('usage slips are said, not answered with nothing', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'callqa-usage-'));
  beforeAll(() => {
    expect(callqa(['users', 'add', 'setup.admin', '--role', 'admin', '--password-stdin', '--data', dir], 'correct horse battery').code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('pipelines --dir naming a folder that does not exist is an error naming it, not an empty list', () => {
    const missing = path.join(dir, 'no-such-pipelines');
    for (const args of [['pipelines', '--dir', missing, 'list'], ['pipelines', 'list', '--dir', missing], ['pipelines', '--dir', missing, 'validate']]) {
      const r = callqa(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(`--dir: no such folder "${missing}"`);
      expect(r.stdout, args.join(' ')).not.toMatch(/┌|id/);
    }
  }, 60_000);

  it('rescore --all with files named too is a usage error, not a silent rescore of everything', () => {
    const r = callqa(['rescore', '--pipeline', 'default', '--all', 'calls/a.wav', '--data', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--all.*not both.*"calls\/a\.wav"/);
  }, 60_000);

  it('users enable on an active user says it already was active; disable then enable reports the change', () => {
    const already = callqa(['users', 'enable', 'setup.admin', '--data', dir]);
    expect(already.code).toBe(0);
    expect(already.stdout).toMatch(/setup\.admin was already active/);
    expect(callqa(['users', 'add', 'li.na', '--role', 'inspector', '--password-stdin', '--data', dir], 'correct horse battery').code).toBe(0);
    expect(callqa(['users', 'disable', 'li.na', '--data', dir]).stdout).toMatch(/^disabled li\.na/);
    expect(callqa(['users', 'disable', 'li.na', '--data', dir]).stdout).toMatch(/li\.na was already disabled/);
    expect(callqa(['users', 'enable', 'li.na', '--data', dir]).stdout).toBe('enabled li.na\n');
    // the no-op leaves no 'user.enable' entry in the audit log: only the real one does
    const audit = callqa(['audit', '--data', dir, '--action', 'user.enable', '--json']);
    expect(audit.code).toBe(0);
    expect((audit.stdout.match(/user\.enable/g) ?? []).length).toBe(1);
  }, 120_000);

  it('analyze --help says what --force does now: re-run even a current analysis (changed inputs re-run anyway)', () => {
    const r = callqa(['analyze', '--help']);
    expect(r.code).toBe(0);
    const help = r.stdout.replace(/\s+/g, ' ');
    expect(help).not.toContain('already analysed with this pipeline version');
    expect(help).toMatch(/--force .*still current.*pipeline content, lexicons/);
  }, 60_000);
});
