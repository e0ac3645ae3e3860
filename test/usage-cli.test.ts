/**
 * Usage slips that used to be answered with an empty result or a wrong claim and exit 0: a folder or a
 * program or saved search that does not exist, files named beside --all, a no-op reported as a change,
 * outdated help. Each is now said plainly (a usage error exits 2 and names the option and the value).
 * Runs the CLI from source.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savedSearches } from '../src/store/schema.js';
import { openStore } from '../src/store/index.js';
import { callqaSync } from './support/cli.js';

const callqa = callqaSync;

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

  it('pipelines validate|show FILE needs no pipelines folder: a missing CALLQA_PIPELINES_DIR or --dir is not in the way', () => {
    const missing = path.join(dir, 'no-such-pipelines');
    const file = path.join(import.meta.dirname, '..', 'pipelines', 'default.yaml');
    for (const args of [['pipelines', 'validate', file], ['pipelines', 'show', file], ['pipelines', '--dir', missing, 'validate', file]]) {
      const r = callqa(args, undefined, { CALLQA_PIPELINES_DIR: missing });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
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

  it('calls list on a data folder with no calls yet says to analyse some first', () => {
    for (const args of [['calls', 'list'], ['calls'], ['calls', '--agent', 'A1']]) {
      const r = callqa([...args, '--data', dir]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, args.join(' ')).toBe('no calls analysed yet (callqa analyze FILES first)\n');
    }
  }, 60_000);

  it('search and watchlist add with a malformed query say what is wrong (exit 2), not "no hits"', () => {
    for (const [query, message] of [
      ['"unterminated', 'unbalanced quote: the " at character 1 is never closed'],
      ['refund NEAR manager', 'NEAR needs its distance: NEAR/n with n 1-20'],
      ['refund AND OR 退款', 'AND OR: two operators with no phrase between them'],
      ['(refund OR 退款) AND manager', 'parentheses do not group'],
    ] as const) {
      const r = callqa(['search', query, '--data', dir]);
      expect(r.code, query).toBe(2);
      expect(r.stderr, query).toContain(`callqa: bad query: ${message}`);
      expect(r.stdout, query).toBe('');
    }
    const w = callqa(['watchlist', 'add', 'open-quote', '"unterminated', '--data', dir]);
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('unbalanced quote: the " at character 1 is never closed');
  }, 120_000);

  it('analyze --help says what --force does now: re-run even a current analysis (changed inputs re-run anyway)', () => {
    const r = callqa(['analyze', '--help']);
    expect(r.code).toBe(0);
    const help = r.stdout.replace(/\s+/g, ' ');
    expect(help).not.toContain('already analysed with this pipeline version');
    expect(help).toMatch(/--force .*still current.*pipeline content, lexicons/);
  }, 60_000);

  it('review plan / rules accuracy with a program that does not exist say so and list the programs (exit 2), not an empty plan', () => {
    for (const args of [['review', 'plan', '--pipeline', 'nope'], ['rules', 'accuracy', '--pipeline', 'nope']]) {
      const r = callqa([...args, '--data', dir]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/--pipeline: no QA program "nope" \(programs: [^)]*\bdefault\b/);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    // a program that exists (in the pipelines folder, no calls yet) is still planned
    expect(callqa(['review', 'plan', '--pipeline', 'default', '--data', dir]).code).toBe(0);
  }, 120_000);

  it('watchlist hits --name of no saved search says so and lists the saved ones (exit 2), not "no hits"', () => {
    const none = callqa(['watchlist', 'hits', '--name', 'ghost', '--data', dir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--name: no saved search named "ghost" \(none saved yet/);
    expect(callqa(['watchlist', 'add', 'refunds', '退款 OR refund', '--data', dir]).code).toBe(0);
    const some = callqa(['watchlist', 'hits', '--name', 'ghost', '--data', dir]);
    expect(some.code).toBe(2);
    expect(some.stderr).toMatch(/--name: no saved search named "ghost" \(saved: refunds\)/);
    const real = callqa(['watchlist', 'hits', '--name', 'refunds', '--data', dir]);
    expect(real.code).toBe(0);
    expect(real.stdout).toBe('no hits\n');
  }, 120_000);

  it('a saved search whose query the search language now refuses is marked in list and named by check, not silent', async () => {
    // saved before parentheses were refused: written as an older callqa would have stored it
    const store = await openStore({ dataDir: dir });
    try {
      await store.db.insert(savedSearches).values({ name: 'old-grouping', query: '(退款 OR refund) AND 经理', createdBy: 'test' });
    } finally {
      await store.close();
    }
    const list = callqa(['watchlist', 'list', '--data', dir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^! old-grouping: \(退款 OR refund\) AND 经理 {2}\(not run: parentheses do not group/m);
    expect(list.stdout).toMatch(/^ {2}refunds: 退款 OR refund$/m);
    const json = JSON.parse(callqa(['watchlist', 'list', '--json', '--data', dir]).stdout) as { name: string; problem: string | null }[];
    expect(json.find((r) => r.name === 'refunds')?.problem).toBeNull();
    expect(json.find((r) => r.name === 'old-grouping')?.problem).toMatch(/parentheses/);
    const check = callqa(['watchlist', 'check', '--data', dir]);
    expect(check.code).toBe(0);
    expect(check.stderr).toContain('callqa: saved search "old-grouping" not run: parentheses do not group');
    expect(check.stderr).not.toContain('"refunds"');
  }, 120_000);
});

describe('the program filter: --program everywhere, --pipeline a hidden alias', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'callqa-program-filter-'));
  beforeAll(() => {
    expect(callqa(['users', 'add', 'setup.admin', '--role', 'admin', '--password-stdin', '--data', dir], 'correct horse battery').code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const commands = [['calls', 'list'], ['calls', 'export'], ['search', '退款'], ['trends'], ['trends', '--qa'], ['review', 'plan'], ['rules', 'accuracy'], ['watchlist', 'add', 'x', '退款']];

  it('both spellings are taken by every command with a program filter, and an unknown program is refused naming the spelling used', () => {
    // each command with one spelling, the two alternating (one CLI start each: this runs the CLI from source)
    for (const [i, cmd] of commands.entries()) {
      const flag = i % 2 ? '--pipeline' : '--program';
      const r = callqa([...cmd, flag, 'nope', '--data', dir]);
      expect(r.code, `${cmd.join(' ')} ${flag}`).toBe(2);
      expect(r.stderr, `${cmd.join(' ')} ${flag}`).toContain(`${flag}: no QA program "nope"`);
    }
    // both, naming different programs: a usage error
    const both = callqa(['calls', 'list', '--program', 'default', '--pipeline', 'nope', '--data', dir]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--program "default" and --pipeline "nope" name different programs/);
    // an existing program by either spelling is a filter as before (search: exit 1, no hits)
    expect(callqa(['calls', 'list', '--pipeline', 'default', '--data', dir]).code).toBe(0);
    expect(callqa(['search', '退款', '--pipeline', 'default', '--data', dir]).code).toBe(1);
  }, 300_000);

  it('--help shows --program and hides --pipeline', () => {
    for (const cmd of [['calls', 'list'], ['search'], ['trends'], ['review', 'plan'], ['rules', 'accuracy'], ['watchlist', 'add']]) {
      const r = callqa([...cmd, '--help']);
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout, cmd.join(' ')).toMatch(/--program <id>/);
      expect(r.stdout, cmd.join(' ')).not.toMatch(/--pipeline/);
    }
  }, 120_000);
});
