import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { resolvePipelineFile } from '../pipeline/loader.js';
import { COMMANDS, buildProgram, commandWord, main, registerCommands, type CommandEntry } from './main.js';

/** Start-up: only the command that runs is imported; the top-level help is built from the table alone. */
function spyTable(): { table: CommandEntry[]; loaded: string[] } {
  const loaded: string[] = [];
  const table = COMMANDS.map((c) => ({
    ...c,
    load: async () => {
      loaded.push(c.name);
      return { register: (p: Command) => void p.command(c.name).description(c.summary) };
    },
  }));
  return { table, loaded };
}

describe('callqa command table', () => {
  it('finds the command word after global options and in `help X`', () => {
    expect(commandWord(['node', 'callqa', '--debug', 'analyze', 'a.wav'])).toBe('analyze');
    expect(commandWord(['node', 'callqa', 'help', 'rescore'])).toBe('rescore');
    expect(commandWord(['node', 'callqa', '--help'])).toBeUndefined();
  });

  it('--help and unknown commands load no command module; a command loads only its own', async () => {
    for (const argv of [['node', 'callqa', '--help'], ['node', 'callqa', 'analyse'], ['node', 'callqa']]) {
      const { table, loaded } = spyTable();
      const p = buildProgram();
      await registerCommands(p, argv, table);
      expect(loaded).toEqual([]);
      expect(p.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
    }
    const { table, loaded } = spyTable();
    await registerCommands(buildProgram(), ['node', 'callqa', 'analyze', 'x.wav'], table);
    expect(loaded).toEqual(['analyze']);
  });

  it("each summary is the command's own description (the top-level help cannot drift)", async () => {
    for (const c of COMMANDS) {
      const p = new Command('callqa');
      (await c.load()).register(p);
      const cmd = p.commands.find((x) => x.name() === c.name);
      expect(cmd, `${c.name} registered by its module`).toBeDefined();
      expect(cmd?.description()).toBe(c.summary);
    }
  }, 180_000); // imports every command's module: slow on a loaded machine

  it('every --program named in a help example is a shipped program, and analyze names the folders QA staff move', async () => {
    for (const name of ['analyze', 'enqueue', 'rescore']) {
      const p = new Command('callqa');
      (await COMMANDS.find((c) => c.name === name)!.load()).register(p);
      const cmd = p.commands.find((x) => x.name() === name)!;
      let help = '';
      cmd.configureOutput({ writeOut: (s) => void (help += s), writeErr: (s) => void (help += s) });
      cmd.outputHelp();
      for (const m of help.matchAll(/^\s+callqa .*--program (\S+)/gm)) expect(() => resolvePipelineFile(m[1]!), `${name}: ${m[0]}`).not.toThrow();
      if (name === 'analyze') for (const v of ['CALLQA_PIPELINES_DIR', 'CALLQA_LEXICONS_DIR']) expect(help).toContain(v);
    }
  }, 120_000);

  it('usage errors exit 2 (README: 1 means a file failed), help exits 0', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    // commander must throw (exitOverride), not call process.exit itself past main's exit-code mapping
    const exit = vi.spyOn(process, 'exit').mockImplementation(((c?: number) => {
      throw new Error(`process.exit(${c})`);
    }) as never);
    try {
      expect(await main(['node', 'callqa', 'analyze', '--bogus', 'x.wav'])).toBe(2); // unknown option
      expect(await main(['node', 'callqa', 'analyze'])).toBe(2); // missing argument
      expect(await main(['node', 'callqa', 'analyze', 'x.wav', '--json'])).toBe(2); // option without its value
      expect(await main(['node', 'callqa', 'no-such-command'])).toBe(2);
      expect(await main(['node', 'callqa', 'analyze', '--help'])).toBe(0);
      expect(exit).not.toHaveBeenCalled();
    } finally {
      exit.mockRestore();
      err.mockRestore();
      out.mockRestore();
    }
  }, 60_000);

  it('a group command without its subcommand (`callqa users`) prints its help on stderr and exits 2, as bare `callqa` does; `callqa help` exits 0', async () => {
    const run = async (argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
      const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
      try {
        return { code: await main(['node', 'callqa', ...argv]), stdout, stderr };
      } finally {
        err.mockRestore();
        out.mockRestore();
      }
    };
    for (const group of ['users', 'review', 'data', 'watchlist', 'models', 'pipelines', 'rules']) {
      const r = await run([group]);
      expect(r.code, group).toBe(2);
      expect(r.stdout, group).toBe('');
      expect(r.stderr, group).toMatch(new RegExp(`^Usage: callqa ${group} \\[options\\] \\[command\\]`));
      expect(r.stderr, group).toMatch(/Commands:/);
    }
    const bare = await run([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^Usage: callqa /);
    for (const argv of [['help'], ['help', 'users'], ['users', '--help'], ['users', 'help']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout + r.stderr, argv.join(' ')).toMatch(/Usage: callqa/);
    }
  }, 60_000);

  it('an option of a subcommand given before it (`callqa watchlist --data X`) is a usage error that names the subcommands taking it', async () => {
    let stderr = '';
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
    try {
      expect(await main(['node', 'callqa', 'watchlist', '--data', '/x'])).toBe(2);
      expect(stderr).toContain("error: unknown option '--data'");
      expect(stderr).toContain('callqa: --data is an option of the subcommand: callqa watchlist add|list|disable|enable|check|hits --data …\n');
      stderr = '';
      expect(await main(['node', 'callqa', 'review', '--week=2026-W49'])).toBe(2);
      expect(stderr).toContain('callqa: --week is an option of the subcommand: callqa review plan --week …\n');
      // ... with the subcommand named after the option (the usual slip: `callqa watchlist --data X list`)
      stderr = '';
      expect(await main(['node', 'callqa', 'watchlist', '--data', '/x', 'list'])).toBe(2);
      expect(stderr).toContain('callqa: --data is an option of the subcommand: callqa watchlist list --data …\n');
      // an option no subcommand has, or one unknown to the subcommand named, gets no such line
      stderr = '';
      expect(await main(['node', 'callqa', 'watchlist', '--bogus'])).toBe(2);
      expect(await main(['node', 'callqa', 'watchlist', 'list', '--speaker', 'agent'])).toBe(2);
      expect(stderr).not.toContain('is an option of the subcommand');
    } finally {
      err.mockRestore();
    }
  }, 60_000);

  it('analyze --transcripts naming no folder is a usage error, not a batch with no transcripts', async () => {
    let said = '';
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((said += String(s)), true));
    try {
      expect(await main(['node', 'callqa', 'analyze', '--no-transcribe', '--data', '/nonexistent/data', '--transcripts', '/nonexistent/transcripts', 'x.wav'])).toBe(2);
    } finally {
      err.mockRestore();
    }
    expect(said).toContain('callqa: --transcripts /nonexistent/transcripts: no such folder');
  }, 60_000);
});

describe('a command whose modules fail to load', () => {
  it('a configuration error raised while loading (a malformed environment variable) is one line and exit 2', async () => {
    const { ConfigError } = await import('../core/errors.js');
    const table: CommandEntry[] = COMMANDS.map((c) => ({
      ...c,
      load: async () => {
        throw new ConfigError('environment: REDIS_URL: must start with redis:// or rediss://');
      },
    }));
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      expect(await main(['node', 'callqa', 'status'], table)).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(written.join('')).toBe('callqa: environment: REDIS_URL: must start with redis:// or rediss://\n');
  });
});

describe('usage errors exit 2 (README), never 1 ("a file failed"; for search "no hits")', () => {
  async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      return { code: await main(['node', 'callqa', ...argv]), stderr: written.join('') };
    } finally {
      process.stderr.write = write;
    }
  }
  it.each([
    [['search', 'refund', '--from', '2026-13-01'], /--from <date>.*expected a date YYYY-MM-DD/],
    [['search', 'refund', '--from', '2026-02-30'], /expected a date YYYY-MM-DD/],
    [['trends', '--to', '2026-02-30'], /--to <date>.*expected a date YYYY-MM-DD/],
    [['trends', '--from', '2026-11-30T10:00'], /--from <date>.*expected a date YYYY-MM-DD/],
    [['trends', '--by', 'year'], /day, week or month/],
    [['worker', '--reconcile-every', '10m'], /^callqa: --reconcile-every: a number of seconds \(0 or more\), got "10m"\n$/],
    [['worker', '--grace', 'abc'], /^callqa: --grace: a number of seconds/],
    [['status', '--window', '-5'], /^callqa: --window: a number of seconds above 0, got "-5"\n$/],
    [['search', 'refund', '--event', 'banned_phrases'], /--event <type>.*unknown event type; one of .*banned_phrase/],
    [['trends', '--qa', '--pass-score', '150'], /^callqa: --pass-score: a percentage, 1-100\n$/],
    [['trends', '--qa', '--group', 'dept'], /^callqa: --group: agent, team or all\n$/],
    [['trends', '--periods', 'abc'], /^callqa: --periods: a whole number of at least 1, got "abc"\n$/],
    [['trends', '--from', '2026-11-20', '--to', '2026-11-01'], /^callqa: --from 2026-11-20 is after --to 2026-11-01\n$/],
  ])('%j', async (argv, message) => {
    const r = await run(argv);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('--meta is checked before any file', () => {
  it('a bad value is a bad option (exit 2, one line), not a failure of each file (exit 1)', async () => {
    const { checkMetaOverrides } = await import('./metadata-source.js');
    const { metaOverrides } = await import('./enqueue.js');
    expect(() => checkMetaOverrides({ started_at: '2026-02-30' })).toThrow(/^--meta: invalid call metadata: startedAt: expected a date-time/);
    expect(() => metaOverrides(['direction=sideways'])).toThrow(/^--meta: invalid call metadata: direction: expected inbound or outbound/);
    expect(() => checkMetaOverrides({ agent_id: 'A17', started_at: '2026-11-30T09:00:00+08:00' })).not.toThrow();
    const { ConfigError } = await import('../core/errors.js');
    expect(() => checkMetaOverrides({ started_at: 'yesterday' })).toThrow(ConfigError);
  });
});
