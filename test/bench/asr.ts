/**
 * ASR benchmark: real-time factor of whisper transcription on a synthetic stereo call, with and without
 * voice-activity gating, for several thread counts.
 *
 *   npx tsx test/bench/asr.ts [--model <name|path>] [--minutes 2] [--threads 1,2,4]
 *
 * Needs a real model: --model, else CALLQA_WHISPER_MODEL, else models/ggml-base.bin. Without one it prints
 * that it skipped and exits 0 (so `npm run bench` works everywhere). `--model random` runs the same
 * measurement on a generated random-weights model: that times our plumbing (extraction, gating, whisper-cli
 * start-up, encoder) but NOT realistic decoding, and is labelled as such.
 *
 * RTF = wall-clock seconds of transcribe() for the whole call (both channels) / call duration.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { TimeSpan } from '../../src/core/types.js';
import { defaultPipeline } from '../../src/pipeline/config.js';
import { emptyState, mergeState, type StageContext } from '../../src/pipeline/stage.js';
import { ModelNotFoundError, resolveModel, type ResolvedModel } from '../../src/transcribe/models.js';
import { ensureWhisperCli } from '../../src/transcribe/whisper-build.js';
import { WhisperTranscriber, type DecodingOptions } from '../../src/transcribe/whisper.js';
import { buildLongCall } from '../support/callgen.js';
import { writeRandomGgmlModel } from '../support/transcribe-ggml-model.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    minutes: { type: 'string', default: '2' },
    threads: { type: 'string' },
  },
});

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'callqa-bench-asr-'));
  try {
    const requested = values.model ?? process.env.CALLQA_WHISPER_MODEL ?? 'base';
    let model: ResolvedModel;
    let decoding: DecodingOptions | undefined;
    let label: string;
    if (requested === 'random') {
      const p = path.join(dir, 'ggml-random.bin');
      await writeRandomGgmlModel(p);
      model = { name: 'random', path: p };
      decoding = { beamSize: 1, bestOf: 1, noFallback: true };
      label = 'GENERATED RANDOM-WEIGHTS MODEL (plumbing only, not representative of real decoding)';
    } else {
      try {
        model = resolveModel(requested);
      } catch (err) {
        if (err instanceof ModelNotFoundError) {
          console.log(`asr bench: SKIPPED, no real whisper model (${err.message}; or set CALLQA_WHISPER_MODEL)`);
          return;
        }
        throw err;
      }
      label = `model ${model.name} (${model.path})`;
    }
    await ensureWhisperCli();

    const minutes = Number(values.minutes);
    const callFile = path.join(dir, 'call.wav');
    process.stderr.write(`asr bench: building a ${minutes}-minute stereo call...\n`);
    const truth = await buildLongCall(minutes, callFile, { sampleRate: 16000, impairments: 'none', seed: 7 });
    const durationSec = truth.durationSec;

    // speech spans as the pipeline would have them: the real probe + audio stages; ground truth as fallback
    let speech: { agent: readonly TimeSpan[]; customer: readonly TimeSpan[] } = truth.speech;
    let spanSource = 'ground truth';
    try {
      const { probeStage } = await import('../../src/pipeline/stages/probe.js');
      const { audioStage } = await import('../../src/pipeline/stages/audio.js');
      const ctx: StageContext = {
        recording: { id: 'bench', path: callFile, displayName: 'bench call', contentHash: 'bench', metadata: {} },
        pipeline: defaultPipeline(),
        options: { transcribe: true },
      };
      let state = mergeState(emptyState(), await probeStage.run(emptyState(), ctx));
      state = mergeState(state, await audioStage.run(state, ctx));
      const ch = state.timeline!.channels;
      speech = { agent: ch[0].speech, customer: ch[1].speech };
      spanSource = 'audio stage VAD';
    } catch (err) {
      process.stderr.write(`asr bench: audio stage unavailable (${(err as Error).message}); gating on ground truth\n`);
    }
    const speechSec = [...speech.agent, ...speech.customer].reduce((a, s) => a + s.end - s.start, 0);

    const cores = availableParallelism();
    const threadList = values.threads
      ? values.threads.split(',').map(Number)
      : [...new Set([1, 2, 4].map((t) => Math.min(t, cores)))];

    console.log(`asr bench: ${label}`);
    console.log(
      `call ${durationSec.toFixed(0)} s stereo; speech ${speechSec.toFixed(0)} s over both channels (${spanSource}); ${cores} cores`,
    );
    console.log('| gating | threads | audio fed to whisper (s) | whisper-cli (s) | wall (s) | RTF |');
    console.log('|---|---|---|---|---|---|');
    for (const threads of threadList) {
      for (const gated of [true, false]) {
        const tr = new WhisperTranscriber({ model, decoding, threads, gate: gated ? undefined : false });
        const t0 = performance.now();
        const { stats, transcript } = await tr.transcribe({
          audioPath: callFile,
          durationSec,
          language: 'en',
          channels: [
            { channel: 0, speaker: 'agent', speech: speech.agent },
            { channel: 1, speaker: 'customer', speech: speech.customer },
          ],
        });
        const wall = (performance.now() - t0) / 1000;
        console.log(
          `| ${gated ? 'VAD-gated' : 'whole channels'} | ${threads} | ${stats.audioSecTranscribed.toFixed(0)} | ${stats.whisperSec.toFixed(1)} | ${wall.toFixed(1)} | ${(wall / durationSec).toFixed(3)} |` +
            (transcript.segments.length === 0 ? ' (no segments)' : ''),
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!existsSync(path.resolve('package.json'))) process.stderr.write('asr bench: run from the repository root\n');
await main();
