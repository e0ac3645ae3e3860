/**
 * A recording the user running callqa may not read (EACCES: copied in by another account, a share's
 * permissions): said once, on its name, as a reason, not Node's "EACCES: permission denied, open '<full path>'"
 * after the name again. Needs a user who cannot read it: as root the CLI runs as nobody (setpriv).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import { CLI_BIN } from './support/cli.js';

const root = process.getuid?.() === 0;
const noSetpriv = root && spawnSync('setpriv', ['--version']).status !== 0 ? 'root without setpriv: cannot run as a user who may not read the file' : null;
const NOBODY = 65534;

describe('a recording that cannot be read', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'callqa-unreadable-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(noSetpriv !== null)('fails on its name with "permission denied", the path not repeated', () => {
    const file = path.join(dir, 'locked.wav');
    execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=400:d=2', '-ar', '8000', file]);
    chmodSync(file, 0o000);
    chmodSync(dir, 0o777);
    const data = path.join(dir, 'data');
    const cmd = [process.execPath, CLI_BIN, 'analyze', '--no-transcribe', '--no-table', '--data', data, file];
    const env = { ...process.env, DATABASE_URL: '', HOME: dir };
    if (root) chownSync(file, 0, 0);
    const r = root
      ? spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...cmd], { env, encoding: 'utf8' })
      : spawnSync(cmd[0]!, cmd.slice(1), { env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    const line = r.stderr.split('\n').find((l) => l.startsWith('callqa: ') && l.includes('locked.wav'));
    expect(line).toMatch(/locked\.wav: cannot read: permission denied \(EACCES\)/);
    // the name once: not again as Node's "open '/tmp/…/locked.wav'"
    expect(line!.split('locked.wav').length - 1).toBe(1);
    // 44 s measured idle, most of it tsx compiling src/ for a user with no cache yet: room for a loaded machine
  }, 240_000);
});
