import { describe, expect, it } from 'vitest';
import { completeEvent } from '../src/core/events.js';
import { normaliseText } from '../src/core/normalise.js';
import { defaultPipeline } from '../src/pipeline/config.js';
import { emptyState, type CallState, type StageContext } from '../src/pipeline/stage.js';
import { scoreStage } from '../src/pipeline/stages/score.js';
import { loadPipeline } from '../src/pipeline/loader.js';
import type { ScorecardDraft } from '../src/score/scorecard.js';

/** End to end through the stage: a sample call with known problems gives exactly the expected deductions. */
const { pipeline } = loadPipeline('inbound-service-zh');
const seg = (speaker: 'agent' | 'customer', start: number, end: number, text: string) => ({ speaker, start, end, text, normText: normaliseText(text) });

function ctx(metadata: Record<string, unknown>, p = pipeline): StageContext {
  return {
    recording: { id: 'r1', path: '/x/call.wav', displayName: 'call.wav', contentHash: 'h', metadata },
    pipeline: p,
    options: { transcribe: true },
  };
}

const state: CallState = {
  ...emptyState(),
  info: { format: 'wav', codec: 'pcm_s16le', durationSec: 60, channels: 2, sampleRate: 8000 },
  timeline: { durationSec: 60, channels: [{ speaker: 'agent', speech: [] }, { speaker: 'customer', speech: [] }], hold: [] },
  transcript: {
    engine: 'sidecar-json',
    language: 'zh',
    segments: [
      seg('agent', 0.5, 6.5, '您好，很高兴为您服务，我是1024号客服，请问有什么可以帮您？'),
      seg('customer', 7, 11, '我想查一下这个月的账单。'),
      seg('agent', 11.5, 16, '这个我不清楚，跟您确认一下是本月吗？'),
      seg('agent', 40, 46, '感谢您的来电，祝您生活愉快，再见。'),
    ],
  },
  events: [
    // hand-written: only the detail fields these rules read, the rest as a detector would default them
    completeEvent({ type: 'greeting', speaker: 'agent', start: 0.5, end: 6.5, details: { text: '您好', entryId: 'zh.greeting.nin-hao' } }),
    completeEvent({ type: 'politeness', speaker: 'agent', start: 0.5, end: 6.5, details: { text: '请问', entryId: 'zh.polite.qing' } }),
    completeEvent({ type: 'banned_phrase', speaker: 'agent', start: 11.5, end: 16, details: { text: '不清楚', entryId: 'zh.banned.bu-qing-chu', category: 'banned', confidence: 1 } }),
    completeEvent({ type: 'silence', speaker: null, start: 17, end: 39, details: { durationSec: 22 } }),
    completeEvent({ type: 'talk_over', speaker: 'agent', start: 10, end: 11.2, details: { overlapSec: 1.2 } }),
    completeEvent({ type: 'backchannel', speaker: 'customer', start: 12, end: 12.3 }),
  ],
};

describe('score stage', () => {
  it('drafts the scorecard with exactly the expected deductions and evidence', async () => {
    const out = await scoreStage.run(state, ctx({ ringSec: 9, hungUpBy: 'customer' }));
    const d = out.scorecard as ScorecardDraft;
    expect(d.pipeline).toEqual({ id: 'inbound-service-zh', version: pipeline.version });
    const deducted = d.sections.flatMap((s) => s.items).filter((i) => i.status === 'deducted');
    expect(deducted.map((i) => [i.id, i.deduction])).toEqual([
      ['banned-phrase', 2],
      ['patience', 1],
      ['quick-operation', 1],
    ]);
    const banned = deducted[0]!;
    expect(banned.evidence).toEqual([
      { kind: 'event', type: 'banned_phrase', start: 11.5, end: 16, speaker: 'agent', text: '不清楚', entryId: 'zh.banned.bu-qing-chu', eventIndex: 2 },
    ]);
    expect(deducted[2]!.evidence[0]).toMatchObject({ type: 'silence', start: 17, end: 39 });
    expect(d.total).toBe(96);
    expect(d.fatal).toBe(false);
    const items = Object.fromEntries(d.sections.flatMap((s) => s.items).map((i) => [i.id, i.status]));
    expect(items['hold-over-minute']).toBe('not_applicable');
    expect(items.apology).toBe('not_applicable');
    expect(items['answer-within-three-rings']).toBe('pass');
    expect(JSON.parse(JSON.stringify(d))).toEqual(d); // plain JSON for the store and the report
  });

  it('metadata-based items are not applicable without metadata, never failed', async () => {
    const d = (await scoreStage.run(state, ctx({}))).scorecard as ScorecardDraft;
    const items = Object.fromEntries(d.sections.flatMap((s) => s.items).map((i) => [i.id, i]));
    expect(items['hang-up-first']!.status).toBe('not_applicable');
    expect(items['answer-within-three-rings']!.status).toBe('not_applicable');
    expect(items['answer-within-three-rings']!.reason).toMatch(/ringSec/);
  });

  it('mono recordings: talk-over items need review rather than pass', async () => {
    const mono: CallState = { ...state, timeline: { ...state.timeline!, channels: [{ speaker: 'unknown', speech: [] }] }, info: { ...state.info!, channels: 1 } };
    const d = (await scoreStage.run(mono, ctx({}))).scorecard as ScorecardDraft;
    expect(d.sections.flatMap((s) => s.items).find((i) => i.id === 'patience')!.status).toBe('needs_review');
  });

  it('an empty transcript (empty sidecar, no words found, all dropped as hallucinations): text items need review, never pass', async () => {
    const { pipeline: basic } = loadPipeline('default');
    const empty: CallState = { ...state, events: [], transcript: { engine: 'sidecar-json', language: 'en', segments: [] } };
    const d = (await scoreStage.run(empty, ctx({}, basic))).scorecard as ScorecardDraft;
    const items = Object.fromEntries(d.sections.flatMap((s) => s.items).map((i) => [i.id, i]));
    for (const id of ['greeting', 'self-identification', 'self-identification-in-time', 'closing', 'banned-phrase', 'filler']) {
      expect([id, items[id]!.status]).toEqual([id, 'needs_review']);
    }
    expect(d.inputs.transcript).toBe(false);
    // audio items are still judged
    expect(items['dead-air']!.status).toBe('pass');
  });

  it('returns nothing for a pipeline without a scorecard', async () => {
    expect(await scoreStage.run(state, ctx({}, defaultPipeline()))).toEqual({});
  });
});
