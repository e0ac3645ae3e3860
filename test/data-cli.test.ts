/**
 * callqa data from the command line (the service itself: test/personal-data.test.ts): find, export to a file
 * readable by its owner only, erase only with --yes (--dry-run shows), usage errors exit 2. Runs the CLI from
 * source on an embedded database holding stored example calls.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callqaSync } from './support/cli.js';
import { openStore } from '../src/store/index.js';
import { recordings } from '../src/store/schema.js';
import { CALLS, storeCall } from './support/review-calls.js';

describe('callqa data (the command line)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'callqa-pd-cli-'));
  const cli = (args: string[]) => {
    return callqaSync([...args, '--data', dir]);
  };
  let ids: string[] = [];
  beforeAll(async () => {
    const store = await openStore({ dataDir: dir });
    try {
      ids = await Promise.all([0, 1, 2].map((i) => storeCall(store, CALLS[i]!, 200 + i)));
      for (const [i, id] of ids.entries())
        await store.db.update(recordings).set({ metadata: { agentId: 'a1', customerId: i < 2 ? 'C-7' : 'C-8', startedAt: `2026-10-0${i + 1}T10:00:00Z` } }).where(eq(recordings.id, id));
    } finally {
      await store.close();
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('find lists the calls; export writes one JSON document readable by its owner only', () => {
    const f = cli(['data', 'find', '--customer', 'C-7']);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toContain(ids[0]!);
    expect(f.stdout).toContain(ids[1]!);
    expect(f.stdout).not.toContain(ids[2]!);
    expect(f.stdout).toMatch(/2 call\(s\)/);
    const out = path.join(dir, 'C-7.json');
    const e = cli(['data', 'export', '--customer', 'C-7', '-o', out]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stderr).toMatch(/2 call\(s\) exported to .*C-7\.json/);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(out, 'utf8')).calls.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2));
  }, 60_000);

  it('erase without --yes erases nothing (exit 2); --dry-run shows what would go; --yes erases', () => {
    const no = cli(['data', 'erase', '--customer', 'C-7']);
    expect(no.code).toBe(2);
    expect(no.stderr).toMatch(/erasing cannot be undone: add --yes to erase, or --dry-run/);
    const dry = cli(['data', 'erase', '--customer', 'C-7', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/dry run: 2 call\(s\) would be erased; nothing was erased/);
    expect(cli(['data', 'find', '--customer', 'C-7']).stdout).toMatch(/2 call\(s\)/);
    const yes = cli(['data', 'erase', '--customer', 'C-7', '--yes', '--json']);
    expect(yes.code, yes.stderr).toBe(0);
    const r = JSON.parse(yes.stdout);
    expect(r.erased.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2));
    expect(r.audioLeft).toEqual(['/nonexistent/call-200.wav', '/nonexistent/call-201.wav']);
    expect(cli(['data', 'find', '--customer', 'C-7']).stdout).toBe('no calls match\n');
    expect(cli(['data', 'find', '--customer', 'C-8']).stdout).toContain(ids[2]!);
  }, 60_000);

  it('usage errors exit 2 and say what to give', () => {
    for (const [args, msg] of [
      [['data', 'find'], /name the calls: --customer ID, --call ID/],
      [['data', 'purge', '--yes'], /purge needs --older-than DAYS or --before YYYY-MM-DD/],
      [['data', 'purge', '--older-than', 'a year', '--yes'], /--older-than must be a whole number of days .*"a year"/],
      [['data', 'purge', '--older-than', '999999999', '--yes'], /--older-than must be a whole number of days from 1 to 36525 .*"999999999"/],
      [['data', 'erase', '--call', '69284825', '--yes'], /whole call id .*"69284825"/],
      [['data', 'erase', '--customer', 'C-8', '--yes', '--dry-run'], /--yes or --dry-run, not both/],
      [['data', 'readmit', path.join(dir, 'no-such.wav')], /no-such\.wav: cannot read it: ENOENT/],
    ] as const) {
      const r = cli([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(msg);
    }
    expect(cli(['data', 'find', '--customer', 'C-8']).stdout).toContain(ids[2]!);
  }, 120_000);
});
