import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import { ConfigError } from '../src/core/errors.js';
import { discover } from '../src/pipeline/discover.js';
import { REPORT_SCHEMA, type CallReport } from '../src/pipeline/report.js';
import { openReportWriter } from '../src/pipeline/report-writer.js';
import { openStore } from '../src/store/index.js';
import { recordings } from '../src/store/schema.js';

/**
 * Batches as an operator runs them: the report streamed call by call (memory flat in the batch size),
 * Ctrl-C part-way (exit 130, the report and the database hold what finished, the lock is let go), and
 * folders reached through symbolic links (followed, loops and broken links said, not silently dropped).
 */
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'src', 'cli', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'callqa-batch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tone(file: string, hz: number, sec = 2): void {
  execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `sine=f=${hz}:d=${sec}`, '-ar', '8000', file]);
}

describe('streamed --json report', () => {
  it('5,000 calls of 20 kB each: valid JSON, every call in order, and the heap does not grow with the batch', async () => {
    const file = join(work, 'big.json');
    const w = await openReportWriter(file, { generatedAt: '2026-01-01T00:00:00.000Z', callqaVersion: 'test' });
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let heapMax = heap0;
    for (let i = 0; i < 5000; i++) {
      const call: CallReport = { file: `call-${i}.wav`, status: 'done', events: [], metrics: { i }, errors: [], warnings: [], transcript: { engine: 'sidecar-json', language: 'en', segments: [{ text: String(i).padEnd(20_000, 'x') }] } };
      await w.add(call);
      if (i % 500 === 0) heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
    }
    await w.finish({ calls: 5000, analysed: 5000, failed: 0, skipped: [], interrupted: false, notFinished: [] });
    // ~100 MB written, each call's text its own string; holding the calls or the text would raise the heap
    // by at least that much
    expect(heapMax - heap0).toBeLessThan(50 * 1024 * 1024);
    const text = readFileSync(file, 'utf8');
    expect(text.length).toBeGreaterThan(100_000_000);
    const doc = JSON.parse(text) as { schema: string; calls: CallReport[]; summary: { calls: number } };
    expect(doc.schema).toBe(REPORT_SCHEMA);
    expect(doc.calls).toHaveLength(5000);
    expect(doc.calls[4999]!.file).toBe('call-4999.wav');
    expect(doc.summary.calls).toBe(5000);
  });

  it('an empty batch is still a valid report', async () => {
    const file = join(work, 'empty.json');
    const w = await openReportWriter(file, { generatedAt: 'now', callqaVersion: 'test' });
    await w.finish({ calls: 0, analysed: 0, failed: 0, skipped: [], interrupted: false, notFinished: [] });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ calls: [], summary: { calls: 0, interrupted: false } });
  });
});

describe('--json to a place that cannot take a file', () => {
  it('a missing folder or a folder is a ConfigError naming the option, the path and why in words (exit 2), not a bare ENOENT', async () => {
    const header = { generatedAt: 'now', callqaVersion: 'test' };
    const inMissing = join(work, 'no-such-folder', 'report.json');
    const e1 = await openReportWriter(inMissing, header).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ConfigError);
    expect((e1 as Error).message).toBe(`--json ${inMissing}: cannot write the report: no such folder ${join(work, 'no-such-folder')}`);
    const e2 = await openReportWriter(work, header).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(ConfigError);
    expect((e2 as Error).message).toBe(`--json ${work}: cannot write the report: it is a folder`);
  });
});

describe('--json never destroys a file that is not a report', () => {
  it('refuses a recording (`--json calls/*.wav` took the first one for the name), overwrites a report or an empty file', async () => {
    const rec = join(work, 'first.wav');
    tone(rec, 300, 1);
    const bytes = readFileSync(rec);
    await expect(openReportWriter(rec, { generatedAt: 'now', callqaVersion: 'test' })).rejects.toThrow(/--json .*first\.wav: the file exists and is not a callqa report; not overwriting it/);
    expect(readFileSync(rec).equals(bytes)).toBe(true);
    // an earlier report (even one cut short by a crash) and an empty file are fair game
    const old = join(work, 'old.json');
    writeFileSync(old, `{\n  "schema": "${REPORT_SCHEMA}",\n  "generatedAt": "x",\n  "calls": [`);
    const empty = join(work, 'empty-target.json');
    writeFileSync(empty, '');
    for (const f of [old, empty]) {
      const w = await openReportWriter(f, { generatedAt: 'now', callqaVersion: 'test' });
      await w.finish({ calls: 0, analysed: 0, failed: 0, skipped: [], interrupted: false, notFinished: [] });
      expect(JSON.parse(readFileSync(f, 'utf8'))).toMatchObject({ schema: REPORT_SCHEMA, calls: [] });
    }
  });
});

describe('Ctrl-C in the middle of a batch', () => {
  const calls = join(work, 'calls');
  const data = join(work, 'data');
  const N = 12;
  beforeAll(() => {
    mkdirSync(calls);
    for (let i = 0; i < N; i++) tone(join(calls, `c${String(i).padStart(2, '0')}.wav`), 200 + i * 37, 3);
  });

  it('exits 130, says what finished and what did not, the report and the database hold exactly what finished', async () => {
    const report = join(work, 'interrupted.json');
    const child = spawn(process.execPath, [BIN, 'analyze', '--jobs', '2', '--no-transcribe', '--data', data, '--json', report, calls], {
      cwd: work,
      env: { ...process.env, DATABASE_URL: '' },
    });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d) => {
      stderr += d;
      // the first call done: stop the batch there
      if (!sent && /: done$/m.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(sent).toBe(true);
    expect(code).toBe(130);
    const m = /interrupted: (\d+) of (\d+) file\(s\) finished \((\d+) analysed, 0 failed, 0 skipped\); (\d+) not finished \(\d+ stopped part-way, \d+ not started\), nothing of them stored as results: \S*c\d\d\.wav/.exec(stderr);
    expect(m, stderr).not.toBeNull();
    const [finished, total, , notFinished] = m!.slice(1).map(Number);
    expect(total).toBe(N);
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(finished).toBeLessThan(N);
    expect(finished + notFinished).toBe(N);

    const doc = JSON.parse(readFileSync(report, 'utf8')) as { calls: CallReport[]; summary: { interrupted: boolean; notFinished: string[]; calls: number } };
    expect(doc.summary.interrupted).toBe(true);
    expect(doc.calls).toHaveLength(finished);
    expect(doc.calls.every((c) => c.status === 'done')).toBe(true);
    expect(doc.summary.notFinished).toHaveLength(notFinished);

    // the lock is free (the process let go of it) and only the finished calls have results
    const store = await openStore({ dataDir: data });
    try {
      const rows = (await store.db.execute(sql`select status, count(*)::int as n from analysis_runs group by status`)) as unknown as { rows: { status: string; n: number }[] };
      const by = Object.fromEntries(rows.rows.map((r) => [r.status, r.n]));
      expect(by.done).toBe(finished);
      // the calls in hand when Ctrl-C came (up to --jobs 2), if they had started, are marked failed (interrupted)
      expect(by.failed ?? 0).toBeLessThanOrEqual(2);
      expect(by.running ?? 0).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('Ctrl-C after files were skipped', () => {
  const calls = join(work, 'calls-skips');
  const data = join(work, 'data-skips');
  const N = 10;
  beforeAll(() => {
    mkdirSync(calls);
    tone(join(calls, 'a00.wav'), 180, 3);
    copyFileSync(join(calls, 'a00.wav'), join(calls, 'a01.wav')); // a duplicate: skipped, not analysed
    for (let i = 0; i < N; i++) tone(join(calls, `c${String(i).padStart(2, '0')}.wav`), 200 + i * 37, 3);
  });

  it('the closing line counts the skipped files with the rest, as the normal one does: finished + not finished = every file', async () => {
    const report = join(work, 'interrupted-skips.json');
    const a00 = join(calls, 'a00.wav');
    // a00 named, then the folder that holds it: its second mention is skipped as a repeat
    const child = spawn(process.execPath, [BIN, 'analyze', '--jobs', '2', '--no-transcribe', '--data', data, '--json', report, a00, calls], {
      cwd: work,
      env: { ...process.env, DATABASE_URL: '' },
    });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d) => {
      stderr += d;
      // the duplicate skipped and a call done: stop the batch there
      if (!sent && /a01\.wav: skipped: duplicate of /.test(stderr) && /c\d\d\.wav: done$/m.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(sent, stderr).toBe(true);
    expect(code).toBe(130);
    const m = /interrupted: (\d+) of (\d+) file\(s\) finished \((\d+) analysed, 0 failed, (\d+) skipped\); (\d+) not finished \((\d+) stopped part-way, (\d+) not started\), nothing of them stored as results: \S*c\d\d\.wav/.exec(stderr);
    expect(m, stderr).not.toBeNull();
    const [finished, total, analysed, skipped, notFinished, partWay, notStarted] = m!.slice(1).map(Number) as number[];
    // every file: a00, its repeat, its duplicate a01, the N others
    expect(total).toBe(N + 3);
    expect(skipped).toBe(2);
    expect(finished).toBe(analysed! + skipped!);
    expect(finished! + notFinished!).toBe(total);
    expect(partWay! + notStarted!).toBe(notFinished);
    expect(notFinished).toBeGreaterThan(0);

    // the report says the same
    const doc = JSON.parse(readFileSync(report, 'utf8')) as { calls: CallReport[]; summary: { skipped: { file: string }[]; notFinished: string[]; interrupted: boolean } };
    expect(doc.summary.interrupted).toBe(true);
    expect(doc.calls).toHaveLength(analysed!);
    expect(doc.summary.skipped.map((x) => x.file)).toEqual([a00, join(calls, 'a01.wav')]);
    expect(doc.summary.notFinished).toHaveLength(notFinished!);
  });
});

describe('symbolic links while walking folders', () => {
  it('follows linked folders and files, walks a folder once, says which links it skipped and why', async () => {
    const base = join(work, 'links');
    const top = join(base, 'top');
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(join(top, 'real'), { recursive: true });
    mkdirSync(elsewhere);
    writeFileSync(join(top, 'real', 'a.wav'), 'x');
    writeFileSync(join(elsewhere, 'b.wav'), 'x');
    symlinkSync(elsewhere, join(top, 'linked')); // a linked folder: followed
    symlinkSync(join(elsewhere, 'b.wav'), join(top, 'c.wav')); // a linked file: taken
    symlinkSync(top, join(top, 'real', 'loop')); // back to an ancestor: not walked twice
    symlinkSync(join(base, 'nowhere'), join(top, 'broken')); // broken
    const skipped: string[] = [];
    const found: string[] = [];
    for await (const f of discover([top], { onSkip: (p, why) => skipped.push(`${p.slice(top.length + 1)}: ${why}`) })) {
      if ('path' in f) found.push(f.path.slice(top.length + 1));
    }
    expect(found).toEqual(['c.wav', 'linked/b.wav', 'real/a.wav']);
    expect(skipped).toEqual([
      'broken: broken symbolic link (ENOENT)',
      expect.stringMatching(/^real\/loop: folder already walked as .*top \(symbolic link loop or second link to it\)$/),
    ]);
  });
});

describe('a file reached twice', () => {
  it('named twice, by another spelling of its path, or named and inside a folder also given: taken once, the repeat told to onSkip', async () => {
    const dir = join(work, 'twice');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    tone(join(dir, 'a.wav'), 300, 1);
    tone(join(dir, 'sub', 'b.wav'), 300, 1);
    const a = join(dir, 'a.wav');
    const skipped: string[] = [];
    const found: string[] = [];
    for await (const f of discover([a, a, join(dir, 'sub', '..', 'a.wav'), dir, join(dir, 'sub')], { onSkip: (p, why) => skipped.push(`${p}: ${why}`) })) {
      if ('path' in f) found.push(f.path);
    }
    expect(found).toEqual([a, join(dir, 'sub', 'b.wav')]);
    expect(skipped).toEqual([
      `${a}: listed more than once (as ${a} before); analysed once`,
      `${join(dir, 'sub', '..', 'a.wav')}: listed more than once (as ${a} before); analysed once`,
      `${a}: listed more than once (as ${a} before); analysed once`,
      expect.stringMatching(/sub: folder already walked as /),
    ]);
  });
});

describe('names that are not UTF-8', () => {
  it('a GBK-named file or folder fails (or is skipped) saying why it cannot be opened, not a bare "no such file"', async () => {
    const base = join(work, 'gbk');
    // 客户.wav and 录音 in GBK, as a Windows share or a zip made on Chinese Windows leaves them
    const gbkFile = Buffer.concat([Buffer.from(`${base}/`), Buffer.from([0xbf, 0xcd, 0xbb, 0xa7]), Buffer.from('.wav')]);
    const gbkDir = Buffer.concat([Buffer.from(`${base}/`), Buffer.from([0xc2, 0xbc, 0xd2, 0xf4])]);
    mkdirSync(base);
    mkdirSync(gbkDir);
    tone(join(base, 'ok.wav'), 300);
    writeFileSync(gbkFile, readFileSync(join(base, 'ok.wav')));
    writeFileSync(Buffer.concat([gbkDir, Buffer.from('/a.wav')]), readFileSync(join(base, 'ok.wav')));
    const skipped: string[] = [];
    for await (const f of discover([base], { onSkip: (p, why) => skipped.push(why) })) void f;
    expect(skipped).toEqual([expect.stringMatching(/^cannot read folder \(ENOENT\) \(its name holds bytes that are not UTF-8, .*rename it/)]);
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [BIN, 'analyze', '--jobs', '1', '--data', join(work, 'gbk-data'), base], { env: { ...process.env, DATABASE_URL: '' } });
      let stderr = '';
      p.stderr.on('data', (d) => (stderr += d));
      p.on('close', (code) => resolve({ code: code ?? -1, stderr }));
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^callqa: .*gbk\/\S*\ufffd\S*\.wav: no such file \(its name holds bytes that are not UTF-8, shown as \ufffd, so it cannot be opened by name: rename it to UTF-8/m);
    expect(r.stderr).toMatch(/1 of 2 call\(s\) analysed, 1 failed/);
  });
});

/**
 * Two files with byte-identical audio are one recording (content-addressed): the second's metadata and transcript
 * silently replaced the first's. Now the second is a duplicate, said once with both names, listed in the report's
 * summary, and nothing of it is stored; the same file analysed again is not one.
 */
describe('files with the same audio', () => {
  const dir = join(work, 'dups');
  const data = join(work, 'data-dups');
  const [a, b, c] = ['a.wav', 'b.wav', 'c.wav'].map((n) => join(dir, n)) as [string, string, string];
  const moved = join(dir, 'moved', 'a.wav');
  beforeAll(() => {
    mkdirSync(join(dir, 'moved'), { recursive: true });
    tone(a, 300, 3);
    for (const [f, agent, words] of [[a, 'A1', 'hello from a'], [b, 'B2', 'hello from b'], [c, 'C3', 'hello from c']] as const) {
      if (f !== a) copyFileSync(a, f);
      writeFileSync(`${f}.meta.json`, JSON.stringify({ agent_id: agent }));
      writeFileSync(f.replace(/\.wav$/, '.transcript.json'), JSON.stringify({ language: 'en', segments: [{ speaker: 'agent', start: 0.2, end: 2.5, text: words }] }));
    }
    copyFileSync(a, moved);
  });
  type Doc = { calls: (CallReport & { metadata: { agentId?: string } })[]; summary: { calls: number; failed: number; skipped: { file: string; reason: string; duplicateOf?: string }[] } };
  const analyze = (name: string, ...args: string[]) => {
    const json = join(work, `dups-${name}.json`);
    const r = spawnSync(process.execPath, [BIN, 'analyze', '--no-transcribe', '--no-table', '--data', data, '--json', json, ...args], {
      cwd: work,
      env: { ...process.env, DATABASE_URL: '' },
      encoding: 'utf8',
    });
    return { code: r.status, stderr: r.stderr, doc: JSON.parse(readFileSync(json, 'utf8')) as Doc };
  };
  const stored = async () => {
    const store = await openStore({ dataDir: data });
    try {
      return (await store.db.select().from(recordings)).map((x) => [x.fileName, x.metadata.agentId]);
    } finally {
      await store.close();
    }
  };
  const linesAbout = (stderr: string, f: string) => stderr.split('\n').filter((l) => l.includes(f) && !/: (probe|audio|transcribe|detect|score)$/.test(l));

  it('in one batch (--jobs 2): the second is a duplicate of the first, said once with both names and in the report; the first keeps its metadata and transcript', async () => {
    const r = analyze('batch', '--jobs', '2', a, b);
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.calls.map((x) => [x.file, x.status, x.metadata.agentId, (x.transcript as { segments: { text: string }[] } | null)?.segments.map((s) => s.text)])).toEqual([[a, 'done', 'A1', ['hello from a']]]);
    expect(r.doc.summary).toMatchObject({ calls: 1, failed: 0 });
    expect(r.doc.summary.skipped).toEqual([
      { file: b, duplicateOf: a, reason: `duplicate of ${a}: identical audio, one recording; not analysed again, and that file's metadata and results are kept` },
    ]);
    expect(linesAbout(r.stderr, b)).toEqual([`[2/2] ${b}: skipped: duplicate of ${a}: identical audio, one recording; not analysed again, and that file's metadata and results are kept`]);
    expect(r.stderr).toMatch(/^1 of 1 call\(s\) analysed, 1 file\(s\) skipped; report: /m);
    expect(await stored()).toEqual([[a, 'A1']]);
  }, 120_000);

  it('across runs: the same file again is analysed as usual; another name with the same audio is a duplicate of the stored one and changes nothing', async () => {
    const again = analyze('again', a);
    expect(again.code, again.stderr).toBe(0);
    expect(again.doc.calls.map((x) => [x.file, x.status, x.reanalysed])).toEqual([[a, 'cached', undefined]]);
    expect(again.doc.summary.skipped).toEqual([]);

    const other = analyze('other', c);
    expect(other.code, other.stderr).toBe(0);
    expect(other.doc.calls).toEqual([]);
    expect(other.doc.summary.skipped).toEqual([
      { file: c, duplicateOf: a, reason: `duplicate of ${a}, analysed before: identical audio, one recording; not analysed again, and that file's metadata and results are kept (--force analyses this file as that recording, under this name)` },
    ]);
    expect(linesAbout(other.stderr, c)).toHaveLength(1);
    expect(await stored()).toEqual([[a, 'A1']]);
    // nothing of c.wav's metadata or transcript reached a.wav's analysis: still current
    expect(analyze('after', a).doc.calls.map((x) => [x.status, x.reanalysed])).toEqual([['cached', undefined]]);
  }, 120_000);

  it('the same file name in another folder (a moved recording) is the same recording, analysed as usual', async () => {
    const r = analyze('moved', moved);
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.summary.skipped).toEqual([]);
    // its own metadata and transcript now (it has none: metadata changed)
    expect(r.doc.calls.map((x) => [x.file, x.status])).toEqual([[moved, 'done']]);
    expect(await stored()).toEqual([[moved, undefined]]);
  }, 120_000);

  it('a file renamed in its folder (the stored name is gone) is that recording under its new name, not a duplicate of a file that is no more', async () => {
    const renamed = join(dir, 'moved', 'a-renamed.wav');
    copyFileSync(moved, renamed);
    rmSync(moved);
    const r = analyze('renamed', renamed);
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.summary.skipped).toEqual([]);
    expect(r.doc.calls.map((x) => [x.file, x.status])).toEqual([[renamed, 'cached']]);
    expect(await stored()).toEqual([[renamed, undefined]]);
  }, 120_000);

  it('--force analyses a duplicate of a recording stored before (the way out the line names): it becomes that recording, with its own metadata and transcript', async () => {
    const plain = analyze('c-again', c);
    expect(plain.doc.summary.skipped.map((s) => s.file)).toEqual([c]);
    // the line says how to have it analysed instead
    expect(plain.doc.summary.skipped[0]!.reason).toMatch(/--force/);
    const r = analyze('c-force', '--force', c);
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.summary.skipped).toEqual([]);
    expect(r.doc.calls.map((x) => [x.file, x.status, x.metadata.agentId])).toEqual([[c, 'done', 'C3']]);
    expect(await stored()).toEqual([[c, 'C3']]);
    // in one batch --force does not make two names one recording: the second is still the first's duplicate
    const both = analyze('force-batch', '--force', a, b);
    expect(both.doc.calls.map((x) => [x.file, x.status])).toEqual([[a, 'done']]);
    expect(both.doc.summary.skipped.map((s) => [s.file, s.duplicateOf])).toEqual([[b, a]]);
  }, 180_000);

  it('a file whose first copy failed is analysed, not skipped as a duplicate of results that do not exist', async () => {
    const d = join(work, 'dups-failed');
    mkdirSync(d, { recursive: true });
    const [bad, good] = [join(d, 'bad.wav'), join(d, 'good.wav')];
    tone(bad, 440, 3);
    copyFileSync(bad, good);
    // a speaker that names no side: bad.wav fails after its recording is stored
    writeFileSync(join(d, 'bad.transcript.json'), JSON.stringify({ language: 'en', segments: [{ speaker: 'nobody', start: 0.2, end: 2.5, text: 'hello' }] }));
    writeFileSync(join(d, 'good.transcript.json'), JSON.stringify({ language: 'en', segments: [{ speaker: 'agent', start: 0.2, end: 2.5, text: 'hello' }] }));
    const r = analyze('first-failed', '--jobs', '2', bad, good);
    expect(r.code, r.stderr).toBe(1);
    expect(r.doc.summary.skipped).toEqual([]);
    expect(r.doc.calls.map((x) => [x.file, x.status])).toEqual([[bad, 'failed'], [good, 'done']]);
    // and in a later run, bad.wav is now the duplicate of the one that has results
    const again = analyze('first-failed-again', bad, good);
    expect(again.doc.calls.map((x) => [x.file, x.status])).toEqual([[good, 'cached']]);
    expect(again.doc.summary.skipped.map((x) => [x.file, x.duplicateOf])).toEqual([[bad, good]]);
  }, 180_000);
});
