/**
 * Arguments a user naturally gets wrong on the less-travelled commands: the 8-character call ids that
 * `callqa calls list` prints (not UUIDs) and an absurd token lifetime. Each must be a plain usage error
 * (exit 2) that says what to give, never a raw database or JavaScript error. Runs the CLI from source.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callqaSync } from './support/cli.js';

const callqa = callqaSync;

describe('bad ids and values on audit / review example / users token', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'callqa-bad-args-'));
  // a data folder that exists (read commands refuse one that does not): made by adding a user
  beforeAll(() => {
    expect(callqa(['users', 'add', 'setup.admin', '--role', 'admin', '--password-stdin', '--data', dir], 'correct horse battery').code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('audit --call with a short (non-UUID) call id is a usage error, not a database error', () => {
    const r = callqa(['audit', '--data', dir, '--call', '69284825']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/database error|22P02/);
    expect(r.stderr).toMatch(/--call.*UUID.*"69284825"/);
  }, 60_000);

  it('review example with a short (non-UUID) call id says the call is not found', () => {
    const r = callqa(['review', 'example', '69284825', 'greeting', '--data', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/database error|22P02/);
    expect(r.stderr).toMatch(/call 69284825 not found/);
  }, 60_000);

  it('users token --days beyond the API limit of 3650 days or an empty --label is refused with a message, not "Invalid time value"', () => {
    expect(callqa(['users', 'add', 'li.na', '--role', 'inspector', '--password-stdin', '--data', dir], 'correct horse battery').code).toBe(0);
    for (const days of ['99999999', 'Infinity']) {
      const r = callqa(['users', 'token', 'li.na', '--days', days, '--data', dir]);
      expect(r.code).toBe(2);
      expect(r.stdout).not.toMatch(/cqa_/);
      expect(r.stderr).not.toMatch(/Invalid time value/);
      expect(r.stderr).toMatch(/--days/);
    }
    const empty = callqa(['users', 'token', 'li.na', '--label', '', '--data', dir]);
    expect(empty.code).toBe(2);
    expect(empty.stdout).not.toMatch(/cqa_/);
    expect(empty.stderr).toMatch(/--label/);
    const ok = callqa(['users', 'token', 'li.na', '--days', '365', '--data', dir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^cqa_/m);
  }, 120_000);
});

describe('tables written to a pipe or file carry no terminal colour codes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'callqa-plain-tables-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('users list, users tokens, audit, models list, pipelines list/show print plain tables', () => {
    expect(callqa(['users', 'add', 'wang', '--role', 'inspector', '--team', '蓝队', '--password-stdin', '--data', dir], 'correct horse battery').code).toBe(0);
    expect(callqa(['users', 'token', 'wang', '--data', dir]).code).toBe(0);
    for (const args of [['users', 'list', '--data', dir], ['users', 'tokens', 'wang', '--data', dir], ['audit', '--data', dir], ['models', 'list'], ['pipelines', 'list'], ['pipelines', 'show', 'default']]) {
      const r = callqa(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/┌/);
      expect(r.stdout.includes('\u001b['), args.join(' ')).toBe(false);
    }
  }, 240_000);
});

describe('review plan header', () => {
  it('names the ISO week by its Monday and Sunday, not the exclusive end (next Monday)', async () => {
    const { formatPlan } = await import('../src/cli/review.js');
    const header = formatPlan({ week: '2026-W49', start: '2026-11-30T00:00:00.000Z', end: '2026-12-07T00:00:00.000Z', programs: [] } as never).split('\n')[0];
    expect(header).toBe('review plan for 2026-W49 (2026-11-30 to 2026-12-06)');
  });
});

describe('calls export --out', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'callqa-export-out-'));
  beforeAll(() => {
    expect(callqa(['users', 'add', 'setup.admin', '--role', 'admin', '--password-stdin', '--data', dir], 'correct horse battery').code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('into a folder that does not exist is a plain error (exit 2) naming the file, not an unhandled stream error with a stack trace', () => {
    const r = callqa(['calls', 'export', '--data', dir, '-o', path.join(dir, 'no-such-folder', 'x.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/Unhandled 'error' event|at emitErrorNT/);
    expect(r.stderr).toContain(`callqa: --out ${path.join(dir, 'no-such-folder', 'x.csv')}: cannot write the export: no such folder ${path.join(dir, 'no-such-folder')}\n`);
  }, 60_000);

  it('search --csv and trends --csv into a folder that does not exist say which option, which file and why in words (exit 2)', () => {
    const target = path.join(dir, 'no-such-folder', 'x.csv');
    for (const args of [['search', '退款'], ['trends']]) {
      const r = callqa([...args, '--data', dir, '--csv', target]);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr, args[0]).toMatch(new RegExp(`callqa: --csv ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot write the (hits|series): no such folder `));
      expect(r.stderr, args[0]).not.toMatch(/ENOENT|\n\s+at /);
    }
  }, 120_000);

  it('with a mistyped --data leaves an earlier export as it was (the file is opened only once the data is found)', () => {
    const earlier = path.join(dir, 'last-week.csv');
    writeFileSync(earlier, 'call,total\r\nabc,90\r\n');
    const r = callqa(['calls', 'export', '--data', path.join(dir, 'dta'), '-o', earlier]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no callqa data in/);
    expect(readFileSync(earlier, 'utf8')).toBe('call,total\r\nabc,90\r\n');
    // with the right folder it is written (a header and no rows: nothing analysed yet)
    const ok = callqa(['calls', 'export', '--data', dir, '-o', earlier]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/0 row\(s\) written to/);
    expect(readFileSync(earlier, 'utf8')).toMatch(/^\uFEFF\S+,/);
  }, 60_000);
});

describe('a read command given a data folder that holds no callqa data', () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'callqa-no-data-'));
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('says so (exit 2) instead of making an empty database and answering "nothing found"', () => {
    const typo = path.join(parent, 'dta');
    for (const args of [['calls', 'list'], ['search', 'refund'], ['trends'], ['audit'], ['review', 'plan'], ['rules', 'accuracy']]) {
      const r = callqa([...args, '--data', typo]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`callqa: no callqa data in ${typo}: check --data (or CALLQA_DATA_DIR), or analyse calls into it first`);
      expect(existsSync(typo), args.join(' ')).toBe(false);
    }
  }, 180_000);
});
