import { open, stat } from 'node:fs/promises';
import { probe } from '../../audio/ffmpeg.js';
import { truncationWarning, wavTruncation, type Truncation } from '../../audio/truncation.js';
import { InputError } from '../../core/errors.js';
import type { Stage } from '../stage.js';

/** A WAV's header against its size (ffprobe measures a WAV by the bytes present, so it cannot tell). */
async function wavHeaderTruncation(path: string): Promise<Truncation | null> {
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    return wavTruncation(buffer.subarray(0, bytesRead), (await stat(path)).size);
  } finally {
    await fh.close();
  }
}

/** Probe: container, codec, duration, channels, sample rate. Bad or non-audio files fail here, once. */
export const probeStage: Stage = {
  name: 'probe',
  async run(_state, ctx) {
    const info = await probe(ctx.recording.path, ctx.recording.displayName);
    if (!(info.durationSec > 0)) throw new InputError(ctx.recording.displayName, 'zero-length audio (duration 0 s)');
    const notes: string[] = [];
    if (info.channels > 2) notes.push(`${info.channels} channels: only the first two are analysed`);
    const cut = await wavHeaderTruncation(ctx.recording.path);
    if (cut) {
      notes.push(truncationWarning(cut, 'header'));
      return { info, notes, metrics: { truncatedAtSec: Math.round(cut.availableSec * 10) / 10, declaredSec: Math.round(cut.declaredSec * 10) / 10 } };
    }
    return { info, notes };
  },
};
