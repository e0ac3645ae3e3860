import { describe, expect, it } from 'vitest';
import { isRetryable } from '../core/errors.js';
import { replayState } from './execute.js';
import { storedStageOutput } from './stored-output.js';

const event = { type: 'silence', speaker: null, start: 3, end: 9, details: { durationSec: 6, thresholdSec: 5 } };
const segment = { speaker: 'agent', start: 0, end: 2, text: '您好', normText: '您好' };

describe('a saved stage output read back', () => {
  it('is taken as it was saved when every known field has its type (unknown fields are kept)', () => {
    const audio = { info: { format: 'wav', codec: 'pcm_mulaw', durationSec: 60, channels: 2, sampleRate: 8000 }, events: [event], metrics: { talkRatio: 0.5, note: null }, notes: ['x'], futureField: 1 };
    expect(storedStageOutput('audio', audio, 'run r1')).toEqual(audio);
    const transcribe = { transcript: { engine: 'sidecar', language: 'zh', segments: [segment] } };
    expect(storedStageOutput('transcribe', transcribe, 'run r1')).toEqual(transcribe);
    expect(storedStageOutput('transcribe', { transcript: null, transcriptSkipped: 'no model' }, 'run r1')).toEqual({ transcript: null, transcriptSkipped: 'no model' });
  });

  it.each([
    ['an event type this version does not know', 'detect', { events: [{ ...event, type: 'sigh' }] }, 'events.0.type'],
    ['an event time that is not a number', 'audio', { events: [{ ...event, start: '3' }] }, 'events.0.start'],
    ['a metric that is an object', 'audio', { metrics: { talkRatio: { v: 1 } } }, 'metrics.talkRatio'],
    ['a transcript segment with no text', 'transcribe', { transcript: { engine: 'sidecar', language: 'zh', segments: [{ ...segment, text: undefined }] } }, 'transcript.segments.0.text'],
    ['not an object at all', 'score', 'garbage', '(the whole output)'],
  ])('%s: an error naming the run, the stage and the field, never the text', (_what, stage, value, field) => {
    expect(() => storedStageOutput(stage as 'audio', value, 'run r1')).toThrow(new RegExp(`^run r1: the saved output of the ${stage} stage is not usable \\(${field.replace(/[.()]/g, '\\$&')}: .*\\); analyse the call again$`));
    try {
      storedStageOutput(stage as 'audio', value, 'run r1');
    } catch (e) {
      expect((e as Error).message).not.toContain('您好');
    }
  });

  it('is an input error: the saved data will not change, so the queue does not retry it', () => {
    let err: unknown;
    try {
      storedStageOutput('audio', { events: 'none' }, 'run r1');
    } catch (e) {
      err = e;
    }
    expect(isRetryable(err)).toBe(false);
  });

  it('replaying a run checks each saved output', () => {
    const outputs = new Map<string, unknown>([
      ['probe', { info: { format: 'wav', codec: 'pcm_s16le', durationSec: 10, channels: 2, sampleRate: 8000 } }],
      ['audio', { events: [event], notes: [] }],
    ]);
    const state = replayState([{ name: 'probe' }, { name: 'audio' }], outputs, { where: 'run r2' });
    expect(state.events).toEqual([event]);
    outputs.set('audio', { events: 'none' });
    expect(() => replayState([{ name: 'probe' }, { name: 'audio' }], outputs, { where: 'run r2' })).toThrow(/^run r2: the saved output of the audio stage is not usable \(events: /);
  });
});
