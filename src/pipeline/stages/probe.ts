import { probe } from '../../audio/ffmpeg.js';
import { InputError } from '../../core/errors.js';
import type { Stage } from '../stage.js';

/** Probe: container, codec, duration, channels, sample rate. Bad or non-audio files fail here, once. */
export const probeStage: Stage = {
  name: 'probe',
  async run(_state, ctx) {
    const info = await probe(ctx.recording.path, ctx.recording.displayName);
    if (!(info.durationSec > 0)) throw new InputError(ctx.recording.displayName, 'zero-length audio (duration 0 s)');
    const notes: string[] = [];
    if (info.channels > 2) notes.push(`${info.channels} channels: only the first two are analysed`);
    return { info, notes };
  },
};
