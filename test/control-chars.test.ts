import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import { forTerminal } from '../src/core/control-chars.js';
import { InputError, errorMessage, publicError } from '../src/core/errors.js';
import { loadCallMetadata, loadManifest } from '../src/pipeline/metadata.js';
import { openStore } from '../src/store/index.js';
import { parseJsonSidecar, parseVttSidecar } from '../src/transcribe/sidecar.js';
import { parseWhisperJson } from '../src/transcribe/whisper-json.js';

/**
 * NUL and other control characters in data from outside (sidecar transcripts, metadata CSV/JSON) are
 * refused where they enter, naming file, segment/line and field, and no transcript text ever appears in an
 * error: not in the message, the terminal, the JSON report or the run's stored error. A secret marker in
 * the text makes any leak visible.
 */
const SECRET = 'SECRETCARD4111';
const work = mkdtempSync(join(tmpdir(), 'callqa-ctl-'));

/** Runs the CLI from source (embedded database, not DATABASE_URL) and collects its exit code and output. */
function callqa(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(import.meta.dirname, '..', 'src', 'cli', 'bin.js'), ...args], {
      env: { ...process.env, DATABASE_URL: '' },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
afterAll(() => rmSync(work, { recursive: true, force: true }));

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('sidecar transcripts', () => {
  it('a NUL in a JSON segment is an InputError naming file, segment and field, without the text', () => {
    const text = JSON.stringify({
      language: 'en',
      segments: [
        { speaker: 'agent', start: 0, end: 1, text: 'hello' },
        { speaker: 'customer', start: 1, end: 2, text: `my card is ${SECRET}\u0000\u0000 ok` },
      ],
    });
    const err = caught(() => parseJsonSidecar(text, 'calls/a.transcript.json'));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(
      'calls/a.transcript.json: segments[1].text: contains a control character (U+0000 at character 26; 2 in all); remove it from the source data',
    );
  });

  it('other C0 controls and unpaired surrogates too; tab and newline are fine', () => {
    const mk = (t: string) => JSON.stringify({ language: 'en', segments: [{ speaker: 'agent', start: 0, end: 1, text: t }] });
    expect(caught(() => parseJsonSidecar(mk(`${SECRET}\u001b[31m`), 'f.json')).message).toMatch(/segments\[0\]\.text: contains a control character \(U\+001B at character 15\)/);
    expect(caught(() => parseJsonSidecar(mk(`${SECRET}\ud800`), 'f.json')).message).toMatch(/unpaired UTF-16 surrogate \(U\+D800/);
    expect(parseJsonSidecar(mk('a\tb\nc 😀'), 'f.json').segments[0].text).toBe('a\tb\nc 😀');
  });

  it('a control character in a WebVTT cue names the cue and line; a malformed timing line is not quoted', () => {
    const vtt = `WEBVTT\n\n00:00.000 --> 00:01.000\n<v Agent>hello</v>\n\n00:01.000 --> 00:02.000\n<v Customer>${SECRET}\u0007</v>\n`;
    const err = caught(() => parseVttSidecar(vtt, 'b.vtt'));
    expect(err.message).toMatch(/^b\.vtt: cue 2 \(line 6\)\.text: contains a control character \(U\+0007/);
    expect(err.message).not.toContain(SECRET);
    const bad = caught(() => parseVttSidecar(`WEBVTT\n\n${SECRET} spoken where a timing line should be\n`, 'c.vtt'));
    expect(bad.message).toMatch(/cue 1 \(line \d\): bad timing line/);
    expect(bad.message).not.toContain(SECRET);
  });
});

describe('malformed JSON: the parser\'s message quotes the input, the error never does', () => {
  // V8 (Node 20+) puts the text around the fault in the message: `..."4111"},]}" is not valid JSON`
  const broken = [
    `{"language":"en","segments":[{"speaker":"agent","start":0,"end":1,"text":"card ${SECRET}"},]}`,
    `{"language":"en","segments":[{"speaker":"agent","start":0,"end":1,"text":"card ${SECRET}" "x"}]}`,
    `{"language":"en","segments":[{"speaker":"agent","start":0,"end":1,"text":"card ${SECRET}`,
    `{"language":"en","segments":[{"speaker":"agent","start":0,"end":1,"text":"card ${SECRET}"}]} ${SECRET}`,
  ];

  it('a sidecar transcript: names the file and the fault (line, column when known), without the text', () => {
    for (const text of broken) {
      const err = caught(() => parseJsonSidecar(text, 'calls/a.transcript.json'));
      expect(err).toBeInstanceOf(InputError);
      expect(err.message).toMatch(/^calls\/a\.transcript\.json: transcript sidecar is not valid JSON: /);
      expect(err.message).not.toMatch(/CARD|4111/);
    }
    expect(caught(() => parseJsonSidecar('{\n  "language": "en",\n  "segments": [1 2]\n}', 'b.json')).message).toBe(
      'b.json: transcript sidecar is not valid JSON: syntax error at line 3, column 18',
    );
  });

  it('whisper-cli output', () => {
    for (const text of broken) {
      const err = caught(() => parseWhisperJson(text.replace('segments', 'transcription')));
      expect(err.message).toMatch(/unreadable JSON output/);
      expect(err.message).not.toMatch(/CARD|4111/);
    }
  });

  it('a .meta.json sidecar: the customer number never appears', async () => {
    const rec = join(work, 'j.wav');
    // an unquoted number is the usual slip in a hand-made export
    for (const text of [`{"agent_id": "A1", "customer_number": ${SECRET}}`, `{"customer_number": "${SECRET}" "x"}`, `{"customer_number": "${SECRET}`]) {
      writeFileSync(`${rec}.meta.json`, text);
      const err = (await loadCallMetadata(rec).catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(InputError);
      expect(err.message).toMatch(/j\.wav\.meta\.json: not valid JSON: /);
      expect(err.message).not.toMatch(/CARD|4111/);
    }
  });
});

describe('call metadata', () => {
  it('a NUL in a manifest cell names the file, line and field, without the value', async () => {
    const csv = join(work, 'm.csv');
    writeFileSync(csv, `file,agent_id,team\na.wav,A1,blue\nb.wav,A2,${SECRET}\u0000\n`);
    const err = (await loadManifest(csv).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`${csv}: line 3: team: contains a control character (U+0000 at character 15); remove it from the source data`);
  });

  it('in a .meta.json sidecar, a value or a field name', async () => {
    const rec = join(work, 'r.wav');
    writeFileSync(`${rec}.meta.json`, JSON.stringify({ agent_id: 'A1', note: `${SECRET}\u0000` }));
    const err = (await loadCallMetadata(rec).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/r\.wav\.meta\.json: note: contains a control character \(U\+0000/);
    expect(err.message).not.toContain(SECRET);
    writeFileSync(`${rec}.meta.json`, JSON.stringify({ ['x\u0000']: 'y' }));
    expect(((await loadCallMetadata(rec).catch((e: unknown) => e)) as Error).message).toMatch(/a field name contains a control character/);
  });
});

describe('database errors never carry the values of the query', () => {
  it('a failed insert on the real embedded database: the message is the database\'s, without the value', async () => {
    const store = await openStore({ dataDir: join(work, 'db') });
    try {
      const err = await store.repo
        .upsertRecording({ contentHash: 'h1', path: '/x/a.wav', fileName: 'a.wav', sizeBytes: 1, metadata: { note: `${SECRET}\u0000` } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toContain(SECRET); // drizzle's own message does carry it...
      expect(errorMessage(err)).toMatch(/^database error( \w+)?: /); // ...ours never does
      expect(errorMessage(err)).not.toContain(SECRET);
      expect(publicError(err).message).not.toContain(SECRET);
      const n = (await store.db.execute(sql`select count(*)::int as n from recordings`)) as unknown as { rows: { n: number }[] };
      expect(n.rows[0].n).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('callqa analyze with a poisoned transcript', () => {
  const calls = join(work, 'calls');
  const data = join(work, 'data');
  beforeAll(() => {
    mkdirSync(calls);
    for (const [name, hz] of [['good', 300], ['poisoned', 440]] as const) {
      execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `sine=f=${hz}:d=3`, '-ar', '8000', join(calls, `${name}.wav`)]);
    }
    const seg = (text: string) => JSON.stringify({ language: 'en', segments: [{ speaker: 'agent', start: 0.2, end: 2, text }] });
    writeFileSync(join(calls, 'good.transcript.json'), seg('Thank you for calling, how can I help?'));
    writeFileSync(join(calls, 'poisoned.transcript.json'), seg(`my card number is ${SECRET}\u0000`));
  });

  it('fails that call only, naming file, segment and field; no transcript text in stderr, report or stored error', async () => {
    const report = join(work, 'report.json');
    const r = await callqa(['analyze', '--data', data, '--json', report, calls]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/poisoned\.transcript\.json: segments\[0\]\.text: contains a control character \(U\+0000/);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const text = readFileSync(report, 'utf8');
    expect(text).not.toContain(SECRET);
    const rep = JSON.parse(text) as { calls: { file: string; status: string; errors: string[] }[] };
    expect(rep.calls.map((c) => [c.file.replace(/^.*\//, ''), c.status])).toEqual([
      ['good.wav', 'done'],
      ['poisoned.wav', 'failed'],
    ]);
    const store = await openStore({ dataDir: data });
    try {
      const rows = (await store.db.execute(sql`select status, error from analysis_runs`)) as unknown as { rows: { status: string; error: string | null }[] };
      expect(rows.rows.length).toBeGreaterThan(0);
      for (const row of rows.rows) expect(row.error ?? '').not.toContain(SECRET);
    } finally {
      await store.close();
    }
  });
});

describe('file names on the terminal', () => {
  it('forTerminal makes every steering character visible and leaves the rest alone', () => {
    expect(forTerminal('客户来电 张三 $(x) `y`.wav')).toBe('客户来电 张三 $(x) `y`.wav');
    expect(forTerminal('a\u001b[31mb\r\n\t\u0007\u007f\u009b\u202ec.wav')).toBe('a\\x1b[31mb\\r\\n\\t\\x07\\x7f\\x9b\\u202ec.wav');
  });

  it('callqa analyze: a name holding escape sequences, a carriage return or a new line cannot rewrite the output', async () => {
    const dir = join(work, 'names');
    mkdirSync(dir);
    // a failing file whose name tries to erase its own line and print a fake success in its place
    const evil = 'bad\u001b[2K\r[1] good.wav: done\n.wav';
    writeFileSync(join(dir, evil), 'not audio at all');
    execFileSync(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=300:d=2', '-ar', '8000', join(dir, 'red\u001b[31m.wav')]);
    const report = join(work, 'names.json');
    const r = await callqa(['analyze', '--jobs', '1', '--data', join(work, 'names-data'), '--json', report, dir]);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).not.toMatch(/[\u001b\r]/);
    expect(out).not.toMatch(/^\.wav/m);
    expect(r.stderr).toContain('bad\\x1b[2K\\r[1] good.wav: done\\n.wav: not a readable audio file');
    expect(r.stdout).toContain('red\\x1b[31m.wav');
    // the report keeps the names as they are
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { calls: { file: string; status: string }[] };
    expect(rep.calls.map((c) => [c.file.slice(dir.length + 1), c.status])).toEqual([
      [evil, 'failed'],
      ['red\u001b[31m.wav', 'done'],
    ]);
  });
});
