/**
 * Diarised transcripts beside recordings, through the real `callqa analyze` with a manifest: the `agent_speaker`
 * column (or a `.meta.json`'s `agentSpeaker`) says which numbered speaker is the agent, and the call is read with
 * that label as the agent and the other as the customer. A label the file does not have, or none given, fails the
 * call naming the file and what to do, never its text. Recordings made here by the npm ffmpeg the CLI uses.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import type { CallReport } from '../src/pipeline/report.js';
import { CLI_BIN } from './support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'callqa-agent-speaker-'));
const calls = join(work, 'calls');
const fixtures = join(import.meta.dirname, 'fixtures', 'sidecars');
// two sides taking turns on one (mono) channel, 8 s; each call its own tone (identical audio is one recording)
const turns = (hz: number) => `aevalsrc=exprs='if(lt(mod(t,4),1.5),0.3*sin(2*PI*${hz}*t),0)+if(between(mod(t,4),2,3.5),0.3*sin(2*PI*500*t),0)':s=8000:d=8`;
const ff = (...args: string[]) => execFileSync(ffmpegPath(), ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);

let report: { calls: CallReport[] };
let status: number | null;
let stderr = '';
beforeAll(() => {
  mkdirSync(calls, { recursive: true });
  ['srt-call', 'aws-call', 'vtt-call', 'wrong', 'none'].forEach((name, i) => ff('-f', 'lavfi', '-i', turns(300 + 20 * i), join(calls, `${name}.wav`)));
  copyFileSync(join(fixtures, 'speaker-numbers.transcript.srt'), join(calls, 'srt-call.transcript.srt'));
  copyFileSync(join(fixtures, 'aws-speakers.transcript.json'), join(calls, 'aws-call.transcript.json'));
  copyFileSync(join(fixtures, 'speaker-numbers.transcript.srt'), join(calls, 'wrong.transcript.srt'));
  copyFileSync(join(fixtures, 'speaker-numbers.transcript.srt'), join(calls, 'none.transcript.srt'));
  writeFileSync(
    join(calls, 'vtt-call.transcript.vtt'),
    'WEBVTT\n\n00:00:00.500 --> 00:00:01.500\n<v Speaker 1>Thank you for calling.\n\n00:00:02.000 --> 00:00:03.500\n<v Speaker 2>I was charged twice.\n',
  );
  // the .meta.json says it for this one; the manifest row for it has no agent_speaker
  writeFileSync(join(calls, 'vtt-call.meta.json'), JSON.stringify({ agent_speaker: 'spk_2' }));
  writeFileSync(
    join(work, 'calls.csv'),
    'file,agent_id,agent_speaker\n' +
      'calls/srt-call.wav,A17,Speaker 1\n' +
      'calls/aws-call.wav,A18,spk_0\n' +
      'calls/vtt-call.wav,A19,\n' +
      'calls/wrong.wav,A20,spk_5\n' +
      'calls/none.wav,A21,\n',
  );
  const r = spawnSync(
    process.execPath,
    [CLI_BIN, 'analyze', '--no-transcribe', '--no-table', '--jobs', '1', '--data', join(work, 'data'), '--manifest', join(work, 'calls.csv'), '--json', join(work, 'r.json'), calls],
    { env: { ...process.env, DATABASE_URL: '' }, encoding: 'utf8' },
  );
  status = r.status;
  stderr = r.stderr;
  report = JSON.parse(readFileSync(join(work, 'r.json'), 'utf8')) as { calls: CallReport[] };
}, 240_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const call = (name: string) => report.calls.find((c) => c.file.endsWith(`/${name}`))!;
const speakers = (c: CallReport) => (c.transcript as { segments: { speaker: string; text: string }[] }).segments.map((s) => [s.speaker, s.text]);

describe('agent_speaker in the manifest: which diarisation label is the agent', () => {
  it('a SubRip file with Speaker 1 / Speaker 2: Speaker 1 is the agent, Speaker 2 the customer; the metadata says so', () => {
    const c = call('srt-call.wav');
    expect(c.status, c.errors.join()).toBe('done');
    expect((c.transcript as { engine: string }).engine).toBe('sidecar-srt');
    expect(speakers(c)).toEqual([
      ['agent', 'Hello, how can I help?'],
      ['customer', 'I was charged twice.'],
    ]);
    expect(c.metadata).toMatchObject({ agentId: 'A17', agentSpeaker: 'Speaker 1' });
  });

  it('an Amazon Transcribe file with spk_0 / spk_1: spk_0 is the agent', () => {
    const c = call('aws-call.wav');
    expect(c.status, c.errors.join()).toBe('done');
    expect((c.transcript as { engine: string }).engine).toBe('sidecar-aws-transcribe');
    expect(speakers(c)).toEqual([
      ['agent', 'Thank you for calling Northwind billing, this is Dana.'],
      ['agent', 'How can I help you today?'],
      ['customer', 'Hi, I was charged twice for March.'],
    ]);
  });

  it("a WebVTT file with <v Speaker 2>, the label given by the recording's .meta.json (agent_speaker: spk_2)", () => {
    const c = call('vtt-call.wav');
    expect(c.status, c.errors.join()).toBe('done');
    expect(speakers(c)).toEqual([
      ['customer', 'Thank you for calling.'],
      ['agent', 'I was charged twice.'],
    ]);
  });

  it('a label the file does not have fails the call naming the file, the field and the labels found, not the text', () => {
    const c = call('wrong.wav');
    expect(c.status).toBe('failed');
    expect(c.errors[0]).toBe(
      `${join(calls, 'wrong.transcript.srt')}: agentSpeaker (the manifest's agent_speaker column, or the .meta.json's agentSpeaker) is "spk_5", ` +
        'but no speaker label in the file is that one; labels found: Speaker 1, speaker 2',
    );
  });

  it('without agent_speaker the call fails as before, saying which column to fill in; the run exits 1', () => {
    const c = call('none.wav');
    expect(c.status).toBe('failed');
    expect(c.errors[0]).toContain(`${join(calls, 'none.transcript.srt')}: cue 1 (line 2): a numbered speaker label (Speaker 1, spk_0) does not say which side is the agent`);
    expect(c.errors[0]).toContain('the manifest column agent_speaker, or agentSpeaker in its .meta.json');
    expect(status, stderr).toBe(1);
    expect(stderr).not.toMatch(/charged|Hello/);
  });
});
