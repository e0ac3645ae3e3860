/**
 * The commands around the review API, run as a user would: `callqa users` (password on stdin), `callqa serve`
 * on port 0 over real HTTP, `callqa analyze` refused while serve owns the embedded data folder, and
 * `callqa audit`. Runs the CLI from source (src/cli/bin.js), never a stale build.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePipeline } from '../src/pipeline/loader.js';
import { analyzeFile } from '../src/pipeline/runner.js';
import { openStore } from '../src/store/index.js';
import { ApiClient, SAMPLES } from './support/api-env.js';

const BIN = join(import.meta.dirname, '..', 'src', 'cli', 'bin.js');
const dir = mkdtempSync(join(tmpdir(), 'callqa-serve-cli-'));
const env = { ...process.env, DATABASE_URL: '', CALLQA_DATA_DIR: dir };

function run(args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(stdin ?? '');
  });
}

let server: ChildProcessWithoutNullStreams | null = null;

beforeAll(async () => {
  const store = await openStore({ dataDir: dir });
  try {
    const outcome = await analyzeFile(
      { path: join(SAMPLES, 'en-billing-bad.ogg'), displayName: 'en-billing-bad.ogg', metadata: { agentId: 'A1', team: 'blue' } },
      { repo: store.repo, pipeline: resolvePipeline('support-en'), options: { transcribe: false }, versions: { test: '1' } },
    );
    if (outcome.status === 'failed') throw outcome.error;
  } finally {
    await store.close();
  }
});

afterAll(() => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('callqa users / serve / audit', () => {
  it('users add reads the password from stdin, refuses a weak one, and never prints it', async () => {
    const add = await run(['users', 'add', 'li.na', '--role', 'inspector', '--password-stdin'], 'a long enough secret\n');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('added li.na (inspector)');
    const agent = await run(['users', 'add', 'wang', '--role', 'agent', '--agent-id', 'A1', '--team', 'blue', '--password-stdin'], 'another long secret');
    expect(agent.code).toBe(0);
    const weak = await run(['users', 'add', 'zhao', '--role', 'supervisor', '--team', 'blue', '--password-stdin'], 'short');
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/at least 10 characters/);
    const noStdin = await run(['users', 'add', 'x1', '--role', 'admin']);
    expect(noStdin.stderr).toMatch(/--password-stdin/);
    const list = await run(['users', 'list', '--json']);
    const users = JSON.parse(list.stdout) as { username: string; role: string; agentId: string | null }[];
    expect(users.map((u) => [u.username, u.role, u.agentId])).toEqual([
      ['li.na', 'inspector', null],
      ['wang', 'agent', 'A1'],
    ]);
    expect(list.stdout + add.stdout + agent.stdout).not.toContain('secret');
  });

  it('serve listens on a free port, answers the API, owns the data folder, and stops on SIGTERM', async () => {
    server = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env });
    let out = '';
    let err = '';
    server.stderr.on('data', (d) => (err += d));
    const base = await new Promise<string>((resolve, reject) => {
      server!.stdout.on('data', (d) => {
        out += d;
        const m = /listening on (http:\/\/\S+?)\/ /.exec(out);
        if (m) resolve(m[1]!);
      });
      server!.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
    const c = new ApiClient(base);
    expect((await c.login('li.na', 'a long enough secret')).status).toBe(200);
    const calls = await c.req('GET', '/api/calls');
    expect(calls.body.calls.map((x: { fileName: string }) => x.fileName)).toEqual(['en-billing-bad.ogg']);
    const call = await c.req('GET', `/api/calls/${calls.body.calls[0].id}`);
    expect(call.body.transcript.segments.length).toBeGreaterThan(0);
    expect((await c.req('GET', '/')).status).toBe(200);

    // a second process on the same embedded database is refused, and told who holds it and what to do
    const analyze = await run(['analyze', '--no-transcribe', '-q', join(SAMPLES, 'en-support-good.mp3')]);
    expect(analyze.code).toBe(2);
    expect(analyze.stderr).toMatch(/in use by another process \(callqa serve/);
    expect(analyze.stderr).toMatch(/DATABASE_URL/);

    const exited = new Promise<number | null>((resolve) => server!.on('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('users disable/set-password/token and audit show who did what', async () => {
    const token = await run(['users', 'token', 'li.na', '--label', 'export', '--days', '30']);
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^cqa_[A-Za-z0-9_-]{40,}$/);
    const tokens = await run(['users', 'tokens', 'li.na', '--json']);
    expect(tokens.code).toBe(0);
    const [tk] = JSON.parse(tokens.stdout) as { id: string; label: string; status: string; expiresAt: string | null }[];
    expect(tk).toMatchObject({ label: 'export', status: 'active' });
    expect(tk!.expiresAt).not.toBeNull();
    expect(tokens.stdout).not.toContain(token.stdout.trim());
    const revoke = await run(['users', 'revoke-token', tk!.id]);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toMatch(/revoked token .* of li\.na \(export\)/);
    expect((await run(['users', 'tokens', 'li.na'])).stdout).toMatch(/revoked/);
    const unknown = await run(['users', 'revoke-token', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/not found/);
    expect((await run(['users', 'set-password', 'wang', '--password-stdin'], 'a brand new secret')).stdout).toMatch(/password of wang changed/);
    expect((await run(['users', 'disable', 'wang'])).stdout).toMatch(/disabled wang/);
    const audit = await run(['audit', '--json']);
    expect(audit.code).toBe(0);
    const entries = audit.stdout.trim().split('\n').map((l) => JSON.parse(l) as { actor: string; action: string; details: Record<string, unknown> });
    const actions = entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.add', 'session.login', 'call.transcript.read', 'token.create', 'token.revoke', 'user.set_password', 'user.disable']));
    expect(entries.find((e) => e.action === 'call.transcript.read')?.actor).toBe('li.na');
    expect(entries.find((e) => e.action === 'user.add')?.actor).toMatch(/^cli:/);
    expect(audit.stdout).not.toContain('secret');
    const filtered = await run(['audit', '--action', 'user.disable']);
    expect(filtered.stdout).toContain('user.disable');
    expect(filtered.stdout).not.toContain('session.login');
  });
});
