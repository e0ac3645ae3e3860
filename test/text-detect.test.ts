import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { completeEvent, type EventOf } from '../src/core/events.js';
import { normaliseText } from '../src/core/normalise.js';
import type { Speaker, TimeSpan, TranscriptSegment } from '../src/core/types.js';
import { DEFAULT_TEXT_PARAMS, parseTextParams, runTextDetectors } from '../src/detect/text/index.js';
import { loadLexicons } from '../src/lexicon/loader.js';
import { defaultPipeline } from '../src/pipeline/config.js';
import { emptyState, type StageContext } from '../src/pipeline/stage.js';
import { detectTextStage } from '../src/pipeline/stages/detect-text.js';

const lex = loadLexicons(join(dirname(fileURLToPath(import.meta.url)), '..', 'lexicons'));
const seg = (speaker: Speaker, start: number, end: number, text: string): TranscriptSegment => ({
  speaker,
  start,
  end,
  text,
  normText: normaliseText(text),
});
function run(segments: TranscriptSegment[], holdSpans: TimeSpan[] = [], params = DEFAULT_TEXT_PARAMS, language: 'zh' | 'en' | 'auto' = 'auto') {
  const durationSec = Math.max(...segments.map((s) => s.end)) + 1;
  return runTextDetectors({ transcript: { engine: 'sidecar-json', language: 'zh', segments }, durationSec, holdSpans, language }, lex, params);
}
const types = (r: ReturnType<typeof run>) => r.events.map((e) => e.type);

describe('text detectors', () => {
  const goodCall = [
    seg('agent', 0.5, 7, '您好，欢迎致电东方有线，我是1024号客服，请问有什么可以帮您？'),
    seg('customer', 7.5, 10, '我想查一下话费。'),
    seg('agent', 10.5, 14, '好的，请您稍等，我帮您查询一下。'),
    seg('agent', 40, 45, '感谢您的耐心等待，您的话费是五十元。'),
    seg('customer', 45.5, 47, '好的。'),
    seg('agent', 47.5, 51, '感谢您的来电，再见。'),
  ];

  it('a standard call: greeting, self-identification, hold etiquette, closing; details carry the quote', () => {
    const r = run(goodCall, [{ start: 15, end: 39 }]);
    for (const t of ['greeting', 'self_identification', 'hold_etiquette', 'closing']) expect(types(r)).toContain(t);
    for (const t of ['missing_greeting', 'missing_closing', 'missing_self_identification', 'late_greeting', 'banned_phrase']) {
      expect(types(r)).not.toContain(t);
    }
    const greeting = r.events.find((e) => e.type === 'greeting')!;
    expect(greeting.details).toMatchObject({ entryId: 'zh.greeting.nin-hao', category: 'greeting', confidence: 1, text: goodCall[0].text });
    const hold = r.events.find((e) => e.type === 'hold_etiquette')!;
    expect(hold.details).toMatchObject({ askedBefore: true, thankedAfter: true, ok: true, holdSec: 24 });
    const thanks = r.events.filter((e) => e.type === 'thanks');
    expect(thanks.map((e) => e.details?.afterHold)).toEqual([true, false]);
  });

  it('no hold span: no hold_etiquette event (not applicable), even if the agent said 请您稍等', () => {
    const r = run(goodCall);
    expect(types(r)).not.toContain('hold_etiquette');
    expect(r.metrics.holdEtiquetteChecked).toBe(0);
    expect(r.metrics.holdEtiquetteOk).toBeNull();
  });

  it('missing greeting and closing carry the first/last agent utterances as evidence', () => {
    const r = run([seg('agent', 0.5, 3, '说吧，什么事。'), seg('customer', 3.5, 5, '查话费。'), seg('agent', 5.5, 8, '五十元。')]);
    const mg = r.events.find((e) => e.type === 'missing_greeting')!;
    expect((mg.details?.evidence as { text: string }[]).map((x) => x.text)).toEqual(['说吧，什么事。', '五十元。']);
    const mc = r.events.find((e) => e.type === 'missing_closing')!;
    expect((mc.details?.evidence as { text: string }[]).at(-1)?.text).toBe('五十元。');
    expect(types(r)).toContain('missing_self_identification');
  });

  it('a known whisper hallucination on silence never becomes a closing or thanks', () => {
    for (const h of ['谢谢观看', '請不吝點贊 訂閱 轉發 打賞支持明鏡與點點欄目', '字幕由Amara.org社群提供', 'Thank you for watching.']) {
      const r = run([seg('agent', 0.5, 5, '您好，请问有什么可以帮您？'), seg('customer', 5.5, 7, '没事了。'), seg('agent', 30, 32, h)]);
      expect(types(r), h).toContain('missing_closing');
      expect(types(r), h).not.toContain('thanks');
      expect(r.metrics.hallucinatedSegments).toBe(1);
    }
  });

  it('late greeting: the greeting starts more than lateGreetingSec after the call connected', () => {
    // the customer's 喂 at 0.5 s connects the call: the agent's greeting at 12 s is late
    const r = run([seg('customer', 0.5, 1.5, '喂？'), seg('agent', 12, 15, '您好，请问有什么可以帮您？')]);
    const late = r.events.find((e) => e.type === 'late_greeting')!;
    expect(late.details).toMatchObject({ greetingAtSec: 12, thresholdSec: 8, firstAgentSpeechSec: 12, connectSec: 0.5, delaySec: 3.5 });
    // the same greeting as the first words of a recording that began with 12 s of ringing is in time
    expect(run([seg('agent', 12, 15, '您好，请问有什么可以帮您？')]).events.map((e) => e.type)).not.toContain('late_greeting');
  });

  it('apology after a complaint is marked; an unapologised complaint is counted', () => {
    const r = run([
      seg('customer', 0, 3, '你们什么破服务，我要投诉！'),
      seg('agent', 3.5, 6, '非常抱歉给您带来了不便。'),
      seg('customer', 60, 63, '我要找你们领导。'),
      seg('agent', 63.5, 66, '领导不在。'),
    ]);
    const ap = r.events.find((e) => e.type === 'apology')!;
    expect(ap.details).toMatchObject({ followsComplaint: true });
    expect(ap.details?.complaintEntryId).toMatch(/^zh\.escalation\./);
    expect(ap.details?.complaintAtSec as number).toBeLessThan(3);
    const esc = r.events.filter((e) => e.type === 'customer_escalation');
    expect(esc.map((e) => e.details?.apologised)).toEqual([true, false]);
    expect(r.metrics.complaintsUnapologised).toBe(1);
  });

  it('speech rate: per call always, per turn when flagged; thresholds from params', () => {
    const fast = '您好，您的车险将在下个月到期，现在续保可以享受九折优惠，另外还赠送一年的道路救援服务';
    const r = run([seg('agent', 0, 7, fast)]);
    const call = r.events.find((e): e is EventOf<'speech_rate'> => e.type === 'speech_rate' && e.details.scope === 'call')!;
    expect(call.details).toMatchObject({ unit: 'chars_per_min', flag: 'too_fast', language: 'zh' });
    const han = fast.match(/\p{Script=Han}/gu)!.length;
    expect(call.details.rate).toBeCloseTo((han / 7) * 60, 1);
    expect(r.events.some((e) => e.type === 'speech_rate' && e.details.scope === 'turn')).toBe(true);
    const relaxed = run([seg('agent', 0, 7, fast)], [], parseTextParams({ speechRate: { zh: { tooFastPerMin: 400, tooSlowPerMin: 100 } } }));
    expect(relaxed.events.find((e) => e.type === 'speech_rate')?.details).toMatchObject({ flag: 'ok' });
    expect(relaxed.metrics.speechRateZhCharsPerMin).toBe(call.details.rate);
  });

  it('filler count and rate per agent minute', () => {
    const r = run([seg('agent', 0, 30, '嗯，那个，您的订单那个，已经发货了啊。'), seg('agent', 30, 60, '好的。')]);
    expect(r.metrics.fillerCount).toBe(4);
    expect(r.metrics.fillerPerAgentMin).toBe(4);
  });

  it('companyNames from the pipeline count as the organisation part of self-identification', () => {
    // the company's name at the end, where no cue says it is one (at the start, the opening words would name it)
    const s = [seg('agent', 0.5, 5, '您好，3321号为您服务，星河祝您愉快')];
    expect(types(run(s))).toContain('missing_self_identification');
    expect(types(run(s, [], parseTextParams({ companyNames: ['星河'] })))).toContain('self_identification');
  });
});

describe('detect stage (text)', () => {
  const ctx = { recording: { id: 'r', path: '/x', displayName: 'x.wav', contentHash: 'h', metadata: {} }, pipeline: defaultPipeline(), options: { transcribe: true } } as StageContext;

  it('without a transcript returns a note and no events', async () => {
    const out = await detectTextStage.run({ ...emptyState(), transcript: null, transcriptSkipped: '--no-transcribe' }, ctx);
    expect(out.events).toEqual([]);
    expect(out.notes?.[0]).toContain('--no-transcribe');
  });

  it('runs the detectors, takes hold spans from hold events and records the lexicon version', async () => {
    const state = {
      ...emptyState(),
      transcript: { engine: 'sidecar-json' as const, language: 'zh', segments: [seg('agent', 0.5, 5, '您好，请您稍等。'), seg('agent', 30, 33, '感谢您的耐心等待，再见。')] },
      events: [completeEvent({ type: 'hold', speaker: 'agent', start: 6, end: 29 })],
    };
    const out = await detectTextStage.run(state, ctx);
    expect(out.events?.find((e) => e.type === 'hold_etiquette')?.details).toMatchObject({ ok: true });
    expect(out.metrics?.lexiconVersion).toBe(lex.version);
  });
});
