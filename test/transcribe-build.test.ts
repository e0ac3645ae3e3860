import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The whisper-cli build's lock and progress, with a stand-in `cmake` (the real build takes minutes and is
 * exercised by CI setup and by test/transcribe.test.ts on a fresh clone): two processes asking for
 * whisper-cli at once build it once, both get the binary, progress lines are shown.
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'callqa-build-test-'));
  const fake = path.join(dir, 'fakebin', 'cmake');
  mkdirSync(path.dirname(fake), { recursive: true });
  writeFileSync(
    fake,
    `#!/bin/sh
case "$1" in
  --build)
    echo build >> "$FAKE_CMAKE_LOG"
    echo "[ 50%] Building CXX object src/whisper.cpp.o"
    sleep 1
    mkdir -p "$2/bin"
    printf '#!/bin/sh\\necho fake\\n' > "$2/bin/whisper-cli"
    chmod +x "$2/bin/whisper-cli"
    echo "[100%] Built target whisper-cli";;
  *)
    echo configure >> "$FAKE_CMAKE_LOG"
    echo "-- Configuring done";;
esac
`,
  );
  chmodSync(fake, 0o755);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function child(tag: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const tsx = path.resolve('node_modules/.bin/tsx');
    const c = spawn(tsx, ['test/support/transcribe-build-child.ts', tag], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (b: Buffer) => (out += b.toString()));
    c.stderr.on('data', (b: Buffer) => (out += b.toString()));
    c.on('close', (code) => resolve({ code, out }));
  });
}

describe('whisper-cli build on first use', () => {
  it('two processes at once: one builds (progress shown), the other waits; both get the binary', async () => {
    const buildDir = path.join(dir, 'build');
    const log = path.join(dir, 'cmake.log');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${path.join(dir, 'fakebin')}:${process.env.PATH}`,
      CALLQA_WHISPER_BUILD_DIR: buildDir,
      FAKE_CMAKE_LOG: log,
    };
    delete env.CALLQA_WHISPER_CLI;
    const [a, b] = await Promise.all([child('A', env), child('B', env)]);
    expect(a.code, a.out).toBe(0);
    expect(b.code, b.out).toBe(0);
    const bin = path.join(buildDir, 'bin', 'whisper-cli');
    expect(a.out).toContain(`A: DONE ${bin}`);
    expect(b.out).toContain(`B: DONE ${bin}`);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['configure', 'build']);
    const all = a.out + b.out;
    expect(all).toMatch(/building whisper-cli from whisper\.cpp 1\.9\.1/);
    expect(all).toMatch(/\[100%\] Built target whisper-cli/);
    expect(all).toMatch(/another process (\(pid \d+\) )?is building whisper-cli; waiting for it/);
    expect(existsSync(`${buildDir}.callqa-lock`)).toBe(false);
    // afterwards: found, not rebuilt
    const again = await child('C', env);
    expect(again.out).toContain(`C: DONE ${bin}`);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('a stale lock left by a dead process is taken over', async () => {
    const buildDir = path.join(dir, 'build2');
    const log = path.join(dir, 'cmake2.log');
    const lock = `${buildDir}.callqa-lock`;
    mkdirSync(lock, { recursive: true });
    writeFileSync(path.join(lock, 'pid'), '999999');
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.join(dir, 'fakebin')}:${process.env.PATH}`, CALLQA_WHISPER_BUILD_DIR: buildDir, FAKE_CMAKE_LOG: log };
    delete env.CALLQA_WHISPER_CLI;
    const r = await child('D', env);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/removing stale build lock of process 999999/);
    expect(r.out).toContain('D: DONE');
  });
});
