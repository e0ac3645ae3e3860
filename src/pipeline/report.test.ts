import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { failedCallReport } from './report.js';

describe('failedCallReport', () => {
  it('errors[0] names the file: as the InputError gives it, else prefixed with the recording', () => {
    expect(failedCallReport('calls/a.wav', new InputError('calls/a.wav', 'empty file (0 bytes)')).errors).toEqual(['calls/a.wav: empty file (0 bytes)']);
    // an InputError about the call's sidecar names the sidecar
    expect(failedCallReport('calls/a.wav', new InputError('calls/a.transcript.json', 'bad')).errors).toEqual(['calls/a.transcript.json: bad']);
    // a tool's or the runtime's own error does not name it
    expect(failedCallReport('calls/a.wav', new RangeError('Invalid code point 99999999')).errors).toEqual(['calls/a.wav: Invalid code point 99999999']);
    expect(failedCallReport('calls/a.wav', new Error('calls/a.wav: no such file or directory')).errors).toEqual(['calls/a.wav: no such file or directory']);
    // an InputError rebuilt from a worker thread keeps only its name
    expect(failedCallReport('b.wav', Object.assign(new Error('b.vtt: cue 1: bad'), { name: 'InputError' })).errors).toEqual(['b.vtt: cue 1: bad']);
  });
});
