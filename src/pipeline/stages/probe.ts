import { open } from 'node:fs/promises';
import { probe } from '../../audio/ffmpeg.js';
import { truncationWarning, wavTruncation } from '../../audio/truncation.js';
import { wavHeaderInfo } from '../../audio/wav-header.js';
import { InputError } from '../../core/errors.js';
import type { Stage } from '../stage.js';

/** The start of the file (where a WAV's chunks before its audio are) and the file's size. */
async function headOf(path: string): Promise<{ head: Buffer; size: number }> {
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    return { head: buffer.subarray(0, bytesRead), size: (await fh.stat()).size };
  } finally {
    await fh.close();
  }
}

/**
 * Probe: container, codec, duration, channels, sample rate. Bad or non-audio files fail here, once. A plain
 * WAV is read from its header (audio/wav-header.ts: no process started); anything else is ffprobe's.
 */
export const probeStage: Stage = {
  name: 'probe',
  async run(_state, ctx) {
    const { head, size } = await headOf(ctx.recording.path);
    const info = wavHeaderInfo(head, size) ?? (await probe(ctx.recording.path, ctx.recording.displayName));
    if (!(info.durationSec > 0)) throw new InputError(ctx.recording.displayName, 'zero-length audio (duration 0 s)');
    const notes: string[] = [];
    if (info.channels > 2) notes.push(`${info.channels} channels: only the first two are analysed`);
    // a recorder that writes each side as its own stream: the second side would be silently missing
    if ((info.audioStreams ?? 1) > 1) {
      notes.push(
        `${info.audioStreams} audio streams: only the first is analysed (a recording with each side in its own stream can be made one ` +
          'stereo file first: ffmpeg -i IN -filter_complex "[0:a:0][0:a:1]amerge=inputs=2" -ac 2 OUT.wav)',
      );
    }
    // a WAV's header against its size (ffprobe gives the length the header declares, so it cannot tell)
    const cut = wavTruncation(head, size);
    if (cut) {
      notes.push(truncationWarning(cut, 'header'));
      return { info, notes, metrics: { truncatedAtSec: Math.round(cut.availableSec * 10) / 10, declaredSec: Math.round(cut.declaredSec * 10) / 10 } };
    }
    return { info, notes };
  },
};
