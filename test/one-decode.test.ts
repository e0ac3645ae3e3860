import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPipeline } from '../src/pipeline/config.js';
import { emptyState, mergeState, type StageContext } from '../src/pipeline/stage.js';
import { audioStage } from '../src/pipeline/stages/audio.js';
import { probeStage } from '../src/pipeline/stages/probe.js';
import { makeTranscribeStage } from '../src/pipeline/stages/transcribe.js';
import { extractChannelPcm } from '../src/transcribe/audio-io.js';
import type { TranscribeRequest, Transcriber } from '../src/transcribe/transcriber.js';

/**
 * One decode per call (issue 10): in the in-process runner the audio stage's ffmpeg decode also feeds
 * whisper, so the transcribe stage does not run ffmpeg on the recording again. Checked on a real
 * sox-made stereo call with real ffmpeg: the files handed to the transcriber are byte-for-byte what the
 * transcribe stage's own per-channel decode makes, and they are gone once the stage has run.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'callqa-one-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const call = path.join(dir, 'call.wav');
// 8 kHz stereo (the telephone case: resampled to 16 kHz for whisper), each side its own tone and rhythm
const side = (name: string, hz: number, tremoloHz: number) => {
  const f = path.join(dir, name);
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', f, 'synth', '6', 'sine', String(hz), 'tremolo', String(tremoloHz), '100']);
  return f;
};
execFileSync('sox', ['-M', side('left.wav', 300, 0.5), side('right.wav', 1100, 1.7), call]);
// whisper will run only if a model is there; the engine itself is swapped out below
const model = path.join(dir, 'ggml-fake.bin');
writeFileSync(model, 'not a real model');

function ctx(sameProcess: boolean): StageContext {
  return {
    recording: { id: 'r', path: call, displayName: 'call.wav', contentHash: 'h', metadata: {} },
    pipeline: defaultPipeline(),
    options: { transcribe: true, model },
    sameProcess,
  };
}

describe('one decode per call', () => {
  it('the audio stage decodes once for both analysis and whisper, byte-identical to a decode of its own', async () => {
    const c = ctx(true);
    let state = mergeState(emptyState(), await probeStage.run(emptyState(), c));
    state = mergeState(state, await audioStage.run(state, c));
    expect(state.decoded?.files).toHaveLength(2);
    const decodedDir = state.decoded!.dir;

    const seen: TranscribeRequest[] = [];
    const copies: Buffer[] = [];
    const fake: Transcriber = {
      engine: 'whisper',
      model: 'fake',
      async transcribe(req) {
        seen.push(req);
        for (const ch of req.channels) copies.push(readFileSync(ch.pcmFile!));
        return { transcript: { engine: 'whisper', language: 'en', segments: [] }, stats: { audioSecTranscribed: 0, whisperSec: 0, droppedSegments: 0, threads: 1 } };
      },
    };
    await makeTranscribeStage(() => fake).run(state, c);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.channels.map((ch) => ch.channel)).toEqual([0, 1]);
    for (const [i, ch] of seen[0]!.channels.entries()) {
      expect(ch.pcmFile).toBe(state.decoded!.files[i]);
      const own = path.join(dir, `own${i}.pcm`);
      const { samples } = await extractChannelPcm(call, i, own);
      expect(samples).toBeGreaterThan(6 * 16000 - 100);
      expect(copies[i]!.equals(readFileSync(own))).toBe(true);
    }
    // used once, then removed
    expect(existsSync(decodedDir)).toBe(false);
  }, 60_000);

  it('not in the queue (stages may run on other machines): nothing is kept, the transcribe stage decodes itself', async () => {
    const c = ctx(false);
    let state = mergeState(emptyState(), await probeStage.run(emptyState(), c));
    state = mergeState(state, await audioStage.run(state, c));
    expect(state.decoded).toBeUndefined();
    let req: TranscribeRequest | undefined;
    const fake: Transcriber = {
      engine: 'whisper',
      model: 'fake',
      async transcribe(r) {
        req = r;
        return { transcript: { engine: 'whisper', language: 'en', segments: [] }, stats: { audioSecTranscribed: 0, whisperSec: 0, droppedSegments: 0, threads: 1 } };
      },
    };
    await makeTranscribeStage(() => fake).run(state, c);
    expect(req!.channels.every((ch) => ch.pcmFile === undefined)).toBe(true);
  }, 60_000);
});
