import { describe, expect, it } from 'vitest';
import { decodedTruncation, truncationWarning, wavTruncation } from './truncation.js';

/** A 44-byte PCM WAV header for `dataBytes` of audio at 8 kHz 16-bit stereo (32,000 bytes/s). */
function wavHeader(dataBytes: number, extraChunk = false): Buffer {
  const chunks: Buffer[] = [];
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8);
  fmt.writeUInt16LE(2, 10);
  fmt.writeUInt32LE(8000, 12);
  fmt.writeUInt32LE(32000, 16);
  fmt.writeUInt16LE(4, 20);
  fmt.writeUInt16LE(16, 22);
  chunks.push(fmt);
  if (extraChunk) {
    const list = Buffer.alloc(8 + 5 + 1);
    list.write('LIST', 0, 'ascii');
    list.writeUInt32LE(5, 4); // odd size: padded to 6
    chunks.push(list);
  }
  const data = Buffer.alloc(8);
  data.write('data', 0, 'ascii');
  data.writeUInt32LE(dataBytes, 4);
  chunks.push(data);
  const body = Buffer.concat(chunks);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(Math.min(0xffffffff, 4 + body.length + dataBytes), 4);
  riff.write('WAVE', 8, 'ascii');
  return Buffer.concat([riff, body]);
}

describe('truncated recordings', () => {
  it('a WAV whose header promises 90 s but whose data ends at 1 s', () => {
    const h = wavHeader(90 * 32000);
    expect(wavTruncation(h, h.length + 32000)).toEqual({ declaredSec: 90, availableSec: 1 });
    const h2 = wavHeader(90 * 32000, true);
    expect(wavTruncation(h2, h2.length + 16000)).toEqual({ declaredSec: 90, availableSec: 0.5 });
  });

  it('complete files, streamed-write placeholders and other formats are not truncated', () => {
    const h = wavHeader(10 * 32000);
    expect(wavTruncation(h, h.length + 10 * 32000)).toBeNull();
    expect(wavTruncation(h, h.length + 10 * 32000 - 100)).toBeNull(); // a few bytes short: padding, not a cut
    expect(wavTruncation(wavHeader(0xffffffff), 1_000_000)).toBeNull();
    expect(wavTruncation(wavHeader(0), 1_000_000)).toBeNull();
    expect(wavTruncation(Buffer.from('OggS\0\0\0\0\0\0\0\0\0\0'), 1_000_000)).toBeNull();
  });

  it('container duration vs decoded audio: more than 1 s and 2 % missing', () => {
    expect(decodedTruncation(90, 1)).toEqual({ declaredSec: 90, availableSec: 1 });
    expect(decodedTruncation(90, 89.5)).toBeNull();
    expect(decodedTruncation(600, 590)).toBeNull(); // 1.7 %
    expect(decodedTruncation(600, 580)).toEqual({ declaredSec: 600, availableSec: 580 });
  });

  it('never for a bare codec stream, whose length ffprobe only estimates from a bit rate (AMR, ADTS AAC, G.722)', () => {
    for (const f of ['amr', 'aac', 'g722']) expect(decodedTruncation(31.0, 29.9, f)).toBeNull();
    expect(decodedTruncation(30.1, 9.9, 'mp3')).toEqual({ declaredSec: 30.1, availableSec: 9.9 });
  });

  it('the warning says it is truncated and how much audio there was', () => {
    expect(truncationWarning({ declaredSec: 90, availableSec: 1 }, 'header')).toMatch(/^truncated: the header promises 90\.0 s of audio but the file holds only 1\.0 s/);
  });
});
