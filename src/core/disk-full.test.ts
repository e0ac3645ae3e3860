import { describe, expect, it } from 'vitest';
import { isDiskFull } from './disk-full.js';

describe('isDiskFull', () => {
  it("a full disk in a child process's words is one, whatever the recording is called", () => {
    // ffmpeg's words as ToolError carries them; the recording given as "space" (a file with no extension)
    const err = new Error('ffmpeg failed (exit 1): [out#0/s16le @ 0x1] Error writing trailer: No space left on device');
    expect(isDiskFull(err, ['/calls/space', 'space'])).toBe(true);
    expect(isDiskFull(err, ['device', 'e'])).toBe(true);
  });

  it("the words in the recording's own name are no full disk", () => {
    const err = new Error('/calls/No space left on device.wav: not a readable audio file (Invalid data found when processing input)');
    expect(isDiskFull(err, ['/calls/No space left on device.wav', 'No space left on device.wav'])).toBe(false);
    expect(isDiskFull(new Error('ENOSPC.wav: cannot decode audio: moov atom not found'), ['ENOSPC.wav'])).toBe(false);
  });
});
