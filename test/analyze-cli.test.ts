import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegErrorReason } from '../src/audio/ffmpeg.js';
import { ffmpegPath } from '../src/audio/tools.js';
import { openStore } from '../src/store/index.js';
import { buildCall } from './support/callgen.js';
import { callqaSync } from './support/cli.js';

/**
 * `callqa analyze` end to end, as a user runs it: the real CLI in a child process, real ffmpeg, the embedded
 * database on disk and the PostgreSQL server. Every accepted format, every kind of bad input, hostile names.
 */
const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'src', 'cli', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'callqa-cli-'));
const calls = join(work, 'calls');
const bad = join(work, 'bad');
const PG_ADMIN = process.env.CALLQA_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}
function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: work, env: { ...process.env, ...env, DATABASE_URL: env.DATABASE_URL ?? '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
/** Encode with whichever ffmpeg has the encoder: Debian's has libgsm, the installer's static build has AMR-NB. */
async function ff(args: string[]): Promise<void> {
  let last: unknown;
  for (const bin of [ffmpegPath(), '/usr/bin/ffmpeg']) {
    try {
      await run(bin, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
      return;
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

// One scripted stereo call: agent speaks, 7 s of dead air, customer answers while the agent is still talking.
const SPEC = {
  durationSec: 30,
  seed: 7,
  turns: [
    { speaker: 'agent' as const, at: 0.5, source: { kind: 'asterisk' as const, voice: 'en', prompt: 'vm-intro' } },
    { speaker: 'customer' as const, at: 13.5, source: { kind: 'asterisk' as const, voice: 'fr', prompt: 'vm-intro' } },
    { speaker: 'agent' as const, at: 16, source: { kind: 'asterisk' as const, voice: 'en', prompt: 'vm-intro' } },
  ],
  impairments: { noiseDb: { agent: -55, customer: -52 } },
};

const FORMATS: { name: string; args: string[] }[] = [
  { name: 'pcm.wav', args: ['-c:a', 'pcm_s16le'] },
  { name: 'mulaw.wav', args: ['-c:a', 'pcm_mulaw'] },
  { name: 'alaw.wav', args: ['-c:a', 'pcm_alaw'] },
  { name: 'call.mp3', args: ['-c:a', 'libmp3lame', '-b:a', '32k'] },
  { name: 'call.ogg', args: ['-c:a', 'libopus', '-b:a', '32k', '-mapping_family', '255'] },
  { name: 'call.m4a', args: ['-c:a', 'aac', '-b:a', '48k'] },
  { name: 'call.flac', args: ['-c:a', 'flac'] },
];

let pgUrl = '';
const pgDb = `callqa_cli_${process.pid}_${Date.now()}`;

beforeAll(async () => {
  mkdirSync(calls, { recursive: true });
  mkdirSync(bad, { recursive: true });
  const master = join(work, 'master.wav');
  await buildCall(SPEC, master);
  for (const f of FORMATS) await ff(['-i', master, ...f.args, join(calls, f.name)]);
  // mono codecs: GSM (in WAV) and AMR-NB take one channel at 8 kHz
  await ff(['-i', master, '-ac', '1', '-ar', '8000', '-c:a', 'gsm_ms', join(calls, 'mono-gsm.wav')]);
  try {
    await ff(['-i', master, '-ac', '1', '-ar', '8000', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k', join(calls, 'mono.amr')]);
  } catch {
    // this ffmpeg cannot encode AMR: the decode path is still covered by the installer's ffmpeg in other runs
  }
  copyFileSync(master, join(calls, `it's a "call" $(touch pwned) ; 通话 ü.wav`));
  // bad inputs
  writeFileSync(join(bad, 'empty.wav'), '');
  writeFileSync(join(bad, 'text.wav'), 'this is not audio\n'.repeat(50));
  const rnd = Buffer.alloc(20000);
  for (let i = 0; i < rnd.length; i++) rnd[i] = (i * 7919 + 13) % 251;
  writeFileSync(join(bad, 'random.mp3'), rnd);
  copyFileSync(join(calls, 'pcm.wav'), join(bad, 'truncated-header.wav'));
  truncateSync(join(bad, 'truncated-header.wav'), 30);
  await ff(['-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5', '-t', '2', '-an', '-c:v', 'mpeg4', join(bad, 'video-only.mp4')]);
  // a FLAC whose frames are damaged after its header: ffmpeg reads the header, then fails frame after frame
  await ff(['-i', master, '-c:a', 'flac', join(bad, 'garbled.flac')]);
  const flac = readFileSync(join(bad, 'garbled.flac'));
  for (let i = 20000; i < flac.length; i += 97) flac[i] = (flac[i]! * 31 + 7) & 255;
  writeFileSync(join(bad, 'garbled.flac'), flac);
  // PostgreSQL: a fresh database for this file
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pgDb}`);
  await admin.end();
  pgUrl = PG_ADMIN.replace(/\/[^/]*$/, `/${pgDb}`);
}, 180_000);

afterAll(async () => {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${pgDb} WITH (FORCE)`);
  await admin.end();
  rmSync(work, { recursive: true, force: true });
});

type Report = { schema: string; calls: { file: string; status: string; channels: number; events: { type: string; speaker: string | null; start: number; end: number }[]; metrics: Record<string, unknown>; errors: string[]; warnings: string[]; timeline?: { channels: { speaker: string; speech: { start: number; end: number }[] }[]; hold: { start: number; end: number }[] } | null }[] };

describe('callqa analyze', () => {
  it('--help documents options and exit codes', async () => {
    const r = await cli(['analyze', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--json <file>/);
    expect(r.stdout).toMatch(/--channels/);
    expect(r.stdout).toMatch(/Exit codes/);
  });

  it('analyses every accepted format to the same findings; mono codecs report talk-over as not measurable', async () => {
    const r = await cli(['analyze', '--no-transcribe', '--data', join(work, 'data-formats'), '--json', join(work, 'formats.json'), calls]);
    const report = JSON.parse(readFileSync(join(work, 'formats.json'), 'utf8')) as Report;
    expect(report.schema).toBe('callqa.report/2');
    const failed = report.calls.filter((c) => c.status === 'failed');
    expect(failed, JSON.stringify(failed)).toEqual([]);
    expect(r.code).toBe(0);
    for (const c of report.calls) {
      const silence = c.events.filter((e) => e.type === 'silence');
      expect(silence, `${c.file}: ${JSON.stringify(c.events)}`).toHaveLength(1);
      // the agent's first prompt ends ~6 s in; the customer starts at 13.5 s
      expect(silence[0].start).toBeGreaterThan(5);
      expect(silence[0].end).toBeGreaterThan(12.5);
      expect(silence[0].end).toBeLessThan(14.5);
      if (c.channels === 2) {
        const to = c.events.filter((e) => e.type === 'talk_over');
        expect(to, `${c.file}`).toHaveLength(1);
        expect(to[0].speaker).toBe('agent'); // the agent's second prompt starts while the customer speaks
        expect(c.metrics.talkRatio).toBeGreaterThan(0.5);
        // the speech timeline per side is in the report, and agrees with the events drawn from it
        expect(c.timeline?.channels.map((ch) => ch.speaker)).toEqual(['agent', 'customer']);
        const agentSpeech = c.timeline!.channels[0].speech;
        expect(agentSpeech.length).toBeGreaterThan(0);
        const overlapping = (x: { start: number; end: number }) => (s: { start: number; end: number }) => s.start < x.end && s.end > x.start;
        expect(agentSpeech.some(overlapping(to[0])), JSON.stringify(c.timeline)).toBe(true);
        expect(c.timeline!.channels[1].speech.some(overlapping(to[0]))).toBe(true);
        expect(c.timeline!.channels.some((ch) => ch.speech.some(overlapping({ start: silence[0].start + 0.05, end: silence[0].end - 0.05 })))).toBe(false);
      } else {
        expect(c.metrics.talkOverCount).toBeNull();
        expect(c.metrics.talkRatio).toBeNull();
        expect(c.warnings.join(' ')).toMatch(/talk-over is not measurable/);
        expect(c.errors).toEqual([]);
      }
    }
    const names = report.calls.map((c) => c.file);
    expect(names.some((n) => n.includes('$(touch pwned)'))).toBe(true);
    expect(existsSync(join(work, 'pwned'))).toBe(false);
    expect(r.stdout).toMatch(/dead air/); // the summary table
  });

  it('bad input: one clear error per file naming it, the rest goes on, nothing partial stored, exit 1', async () => {
    const dataDir = join(work, 'data-bad');
    const good = join(calls, 'pcm.wav');
    const r = await cli(['analyze', '--no-transcribe', '--data', dataDir, '--json', join(work, 'bad.json'), bad, good, join(work, 'no-such-file.wav')]);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(work, 'bad.json'), 'utf8')) as Report;
    const byName = new Map(report.calls.map((c) => [c.file.split('/').pop()!, c]));
    expect(byName.get('pcm.wav')?.status).toBe('done');
    const expectations: Record<string, RegExp> = {
      'empty.wav': /empty file/,
      'text.wav': /not a readable audio file|cannot decode/,
      'random.mp3': /not a readable audio file|cannot decode|no audio/,
      'truncated-header.wav': /not a readable audio file|cannot decode|no audio/,
      'no-such-file.wav': /no such file/,
      // the cause, not ffmpeg's last line ("Last message repeated 1 times", the muxer's "non monotonically
      // increasing dts" after the bad frames) nor its "[flac @ 0x…]" prefix
      'garbled.flac': /: cannot decode audio: Error while decoding stream #0:0: Invalid data found when processing input$/,
    };
    for (const [name, re] of Object.entries(expectations)) {
      const c = byName.get(name);
      expect(c?.status, name).toBe('failed');
      expect(c?.errors[0], name).toMatch(re);
      expect(c?.errors[0], name).toContain(name);
      expect(r.stderr).toContain(name);
    }
    // a video-only file a folder walk found is no failure: skipped, with a line saying why
    expect(byName.has('video-only.mp4')).toBe(false);
    expect(r.stderr).toContain(`${join(bad, 'video-only.mp4')}: skipped: no audio stream`);
    expect((report as unknown as { summary: { skipped: unknown[] } }).summary.skipped).toEqual([{ file: join(bad, 'video-only.mp4'), reason: 'no audio stream' }]);
    // the progress line names the file once: "[3/9] …/empty.wav: failed: empty file (0 bytes)"
    expect(r.stderr).toMatch(new RegExp(`\\] ${join(bad, 'empty.wav').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: failed: empty file \\(0 bytes\\)`));
    expect(r.stderr.split('\n').filter((l) => /\] .*: failed: /.test(l) && l.split(bad).length > 2)).toEqual([]);
    // nothing of the bad files reached the database
    const store = await openStore({ dataDir });
    try {
      const schema = await import('../src/store/schema.js');
      const recs = await store.db.select().from(schema.recordings);
      // a file ffprobe could read (garbled.flac fails later, in the audio stage) keeps its recording record
      // and the failed run saying where and why; the rest were refused before anything was recorded
      expect(recs.map((x) => x.fileName.split('/').pop()).sort()).toEqual(['garbled.flac', 'pcm.wav']);
      const garbled = recs.find((x) => x.fileName.endsWith('garbled.flac'))!;
      const runs = await store.db.select().from(schema.analysisRuns).where(eq(schema.analysisRuns.recordingId, garbled.id));
      expect(runs.map((x) => [x.status, x.stage])).toEqual([['failed', 'audio']]);
      expect(runs[0]!.error).toMatch(/Error while decoding stream #0:0: Invalid data found/);
      expect(await store.db.select().from(schema.events).where(eq(schema.events.runId, runs[0]!.id))).toEqual([]);
      expect(await store.db.select().from(schema.stageOutputs).where(eq(schema.stageOutputs.runId, runs[0]!.id))).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("a damaged file's error names the cause with the distribution's ffmpeg too (it ends on the muxer's complaint)", async () => {
    if (!existsSync('/usr/bin/ffmpeg') || !existsSync('/usr/bin/ffprobe')) return; // .ci/setup.sh installs it
    const r = await cli(['analyze', '--no-transcribe', '--data', join(work, 'data-garbled'), '--json', '-', join(bad, 'garbled.flac')], {
      FFMPEG_PATH: '/usr/bin/ffmpeg',
      FFPROBE_PATH: '/usr/bin/ffprobe',
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.calls[0]?.errors[0]).toMatch(/garbled\.flac: cannot decode audio: Error while decoding stream #0:0: Invalid data found when processing input$/);
    expect(r.stderr).not.toMatch(/monoton|Last message repeated|@ 0x/);
  });

  it('the reason for a failed decode is the cause ffmpeg printed, not its bookkeeping (stderr of real runs on garbled.flac)', () => {
    // whether ffmpeg's decoder threads repeat a message back to back (and it folds the repeat into "Last message
    // repeated") varies from run to run, so the end of stderr is pinned here as two real runs printed it
    const installer = [
      '[flac @ 0x1db742c0] invalid coding type',
      '[flac @ 0x1db742c0] decode_frame() failed',
      '[flac @ 0x1db46440] invalid subframe padding',
      '[flac @ 0x1db46440] decode_frame() failed',
      'Error while decoding stream #0:0: Invalid data found when processing input',
      '    Last message repeated 1 times',
      '',
    ].join('\n');
    const debian = [
      '[flac @ 0x559e40323340] invalid subframe padding',
      '[flac @ 0x559e40323340] decode_frame() failed',
      'Error while decoding stream #0:0: Invalid data found when processing input',
      '[s16le @ 0x559e4031eb40] Application provided invalid, non monotonically increasing dts to muxer in stream 0: 199872 >= 199872',
      '',
    ].join('\n');
    for (const stderr of [installer, debian]) {
      expect(ffmpegErrorReason(stderr, '/calls/x.flac')).toBe('Error while decoding stream #0:0: Invalid data found when processing input');
    }
    // the input's own path (with a space in it) is not repeated; the context prefix goes
    const withPath = `[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d0] moov atom not found\nfile:${join(work, 'a b.m4a')}: Invalid data found when processing input\n`;
    expect(ffmpegErrorReason(withPath, join(work, 'a b.m4a'))).toBe('Invalid data found when processing input');
    expect(ffmpegErrorReason('', '/calls/x.flac')).toBe('unknown error');
  });

  it('--manifest from a spreadsheet: BOM, CRLF, quoted cells, an unknown column, Traditional labels; a row naming no file is one warning', async () => {
    const dir = join(work, 'manifest');
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(calls, 'pcm.wav'), join(dir, 'a call.wav'));
    copyFileSync(join(calls, 'call.flac'), join(dir, '通话.flac'));
    const csv = join(dir, 'calls.csv');
    writeFileSync(
      csv,
      '\ufefffile,agent_id,team,direction,hung_up_by,customer_number,notes\r\n' +
        '"a call.wav",A001,"Team ""North"", Taipei",呼入,客戶,+886 912 345 678,"free text, with a comma"\r\n' +
        '通话.flac,A002,South,OUTBOUND,Agent,,\r\n' +
        'mising.wav,A003,South,inbound,,,\r\n',
    );
    const r = await cli(['analyze', '--no-transcribe', '--jobs', '1', '--data', join(work, 'data-manifest'), '--manifest', csv, '--json', '-', dir]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { calls: { file: string; metadata: Record<string, unknown> }[] };
    const md = new Map(report.calls.map((c) => [c.file.split('/').pop()!, c.metadata]));
    expect(md.get('a call.wav')).toEqual({
      agentId: 'A001', team: 'Team "North", Taipei', direction: 'inbound', hungUpBy: 'customer',
      customerNumberMasked: '********5678', notes: 'free text, with a comma',
    });
    expect(md.get('通话.flac')).toEqual({ agentId: 'A002', team: 'South', direction: 'outbound', hungUpBy: 'agent' });
    expect(r.stderr.split('\n').filter((l) => l.includes('mising.wav'))).toEqual([`warning: ${csv}: mising.wav: no such file (the row's metadata is not used)`]);
    expect(r.stdout + r.stderr).not.toContain('912 345');
  });

  it('a stereo call with one side silent all along (that leg not recorded) says so; a two-sided call does not', async () => {
    const dir = join(work, 'one-sided');
    mkdirSync(dir, { recursive: true });
    // the customer's turns only: the agent's channel holds its line noise and nothing else
    await buildCall({ ...SPEC, turns: SPEC.turns.filter((t) => t.speaker === 'customer') }, join(dir, 'agent not recorded.wav'));
    copyFileSync(join(calls, 'pcm.wav'), join(dir, 'both.wav'));
    const r = await cli(['analyze', '--no-transcribe', '--data', join(work, 'data-one-sided'), '--json', '-', dir]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    const byName = new Map(report.calls.map((c) => [c.file.split('/').pop()!, c]));
    const oneSided = byName.get('agent not recorded.wav')!;
    expect(oneSided.metrics.agentTalkSec).toBe(0);
    expect(oneSided.warnings.filter((w) => w.startsWith('no speech found'))).toEqual([
      'no speech found on the agent channel (left) while the other side speaks: a silent party, or that side was not recorded; talk ratio, dead air and talk-over are unreliable',
    ]);
    expect(byName.get('both.wav')!.warnings.filter((w) => w.startsWith('no speech found'))).toEqual([]);
  });

  it('a folder of thousands of files: walks it, skips what is not audio by name, reports every recording', async () => {
    const big = join(work, 'big');
    mkdirSync(join(big, 'nested', 'deeper'), { recursive: true });
    for (let i = 0; i < 2500; i++) writeFileSync(join(big, i % 2 ? 'nested' : '', `notes-${i}.txt`), 'x');
    for (let i = 0; i < 1200; i++) writeFileSync(join(big, i % 3 ? 'nested/deeper' : '', `empty-${i}.wav`), '');
    copyFileSync(join(calls, 'alaw.wav'), join(big, 'nested', 'deeper', 'real call.wav'));
    const r = await cli(['analyze', '--no-transcribe', '--quiet', '--data', join(work, 'data-big'), '--json', join(work, 'big.json'), big]);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(work, 'big.json'), 'utf8')) as Report;
    expect(report.calls).toHaveLength(1201);
    expect(report.calls.filter((c) => c.status === 'done').map((c) => c.file.split('/').pop())).toEqual(['real call.wav']);
    expect(report.calls.filter((c) => c.status === 'failed').every((c) => /empty-\d+\.wav: empty file/.test(c.errors[0]))).toBe(true);
  });

  it('is idempotent: the same content and pipeline version is not analysed twice; a copy under another name is a duplicate', async () => {
    const dataDir = join(work, 'data-idem');
    const f = join(calls, 'pcm.wav');
    const first = await cli(['analyze', '--no-transcribe', '--data', dataDir, '--json', join(work, 'i1.json'), f]);
    expect(first.code).toBe(0);
    // a copy under another name has the same content hash
    const copy = join(work, 'copy of pcm.wav');
    copyFileSync(f, copy);
    const second = await cli(['analyze', '--no-transcribe', '--data', dataDir, '--json', join(work, 'i2.json'), f, copy]);
    expect(second.code).toBe(0);
    const r1 = JSON.parse(readFileSync(join(work, 'i1.json'), 'utf8')) as Report;
    const r2 = JSON.parse(readFileSync(join(work, 'i2.json'), 'utf8')) as Report;
    expect(r2.calls.map((c) => c.status)).toEqual(['cached']);
    expect((r2 as unknown as { summary: { skipped: unknown[] } }).summary.skipped).toEqual([
      { file: copy, duplicateOf: f, reason: `duplicate of ${f}: identical audio, one recording; not analysed again, and that file's metadata and results are kept` },
    ]);
    expect(r2.calls[0].events).toEqual(r1.calls[0].events);
    const store = await openStore({ dataDir });
    try {
      const counts = await store.repo.countRunsByStatus();
      expect(counts).toMatchObject({ done: 1, failed: 0 });
    } finally {
      await store.close();
    }
  });

  it('runs unchanged on a PostgreSQL server (DATABASE_URL), honouring --channels', async () => {
    const f = join(calls, 'mulaw.wav');
    const r = await cli(['analyze', '--no-transcribe', '--channels', 'customer,agent', '--json', join(work, 'pg.json'), f], { DATABASE_URL: pgUrl });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'pg.json'), 'utf8')) as Report;
    // swapped layout: the talk-over is now by the "customer" (left channel)
    expect(report.calls[0].events.filter((e) => e.type === 'talk_over').map((e) => e.speaker)).toEqual(['customer']);
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    const { rows } = await client.query('SELECT type, count(*)::int AS n FROM events GROUP BY type ORDER BY type');
    await client.end();
    expect(rows).toEqual(expect.arrayContaining([{ type: 'silence', n: 1 }, { type: 'talk_over', n: 1 }]));
  });

  it('exit code 2 and a clear message on configuration errors', async () => {
    const r1 = await cli(['analyze', '--pipeline', 'no-such-program', join(calls, 'pcm.wav')]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/unknown pipeline "no-such-program"/);
    const r2 = await cli(['analyze', '--channels', 'agent,agent', join(calls, 'pcm.wav')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/--channels/);
    const r3 = await cli(['analyze', join(calls, 'pcm.wav')], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/cannot connect to PostgreSQL/);
  });
});

void statSync;

describe('the QA program a command runs: --program <id|file> (-p, and --pipeline as it was spelt before)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callqa-program-'));
  const wav = join(dir, 'hello.wav');
  const data = join(dir, 'data');
  const programOf = (stdout: string) => (JSON.parse(stdout) as { calls: { pipeline: { id: string } }[] }).calls.map((c) => c.pipeline.id);
  beforeAll(async () => {
    await run(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=300:d=3', '-ar', '8000', wav]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help of every command that chooses the program shows -p, --program <id|file>, not --pipeline', () => {
    for (const cmd of ['analyze', 'enqueue', 'watch', 'rescore']) {
      const r = callqaSync([cmd, '--help']);
      expect(r.code, `${cmd}: ${r.stderr}`).toBe(0);
      expect(r.stdout, cmd).toMatch(/^\s+-p, --program <id\|file>\s/m);
      expect(r.stdout, cmd).not.toContain('--pipeline');
    }
  });
  it('analyze runs the program --program, -p or --pipeline names', () => {
    const a = callqaSync(['analyze', '--quiet', '--no-transcribe', '--jobs', '1', '--data', data, '--json', '-', '--program', 'support-en', wav]);
    expect(a.code, a.stderr).toBe(0);
    expect(programOf(a.stdout)).toEqual(['support-en']);
    const b = callqaSync(['analyze', '--quiet', '--no-transcribe', '--jobs', '1', '--data', data, '--json', '-', '-p', 'default', wav]);
    expect(b.code, b.stderr).toBe(0);
    expect(programOf(b.stdout)).toEqual(['default']);
    const c = callqaSync(['analyze', '--quiet', '--no-transcribe', '--jobs', '1', '--data', data, '--json', '-', '--pipeline', 'support-en', '--program', 'support-en', wav]);
    expect(c.code, c.stderr).toBe(0);
    expect(programOf(c.stdout)).toEqual(['support-en']);
  }, 180_000);
  it('a program that does not exist, or --program and --pipeline naming two programs, is a usage error (exit 2) before anything runs', () => {
    const none = callqaSync(['analyze', '--data', data, '--program', 'no-such-program', wav]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/unknown pipeline "no-such-program"/);
    for (const cmd of [['analyze', '--data', data], ['enqueue'], ['rescore', '--data', data]]) {
      const r = callqaSync([...cmd, '--program', 'support-en', '--pipeline', 'default', wav]);
      expect(r.code, `${cmd[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr, cmd[0]).toMatch(/--program "support-en" and --pipeline "default" name different programs: give one/);
    }
  });
});
