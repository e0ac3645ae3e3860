/**
 * The machine's reasons as the web UI shows them (web/src/format.ts `localReason`), in Chinese: every event type
 * the scorer can name has a name in both dictionaries, and the scorer's own prose (no transcript, no audio
 * analysis, manual item, the situation did not arise) reads in the UI's language instead of leaking English
 * and event ids such as `late_self_identification` into a Chinese page. Reasons come from the real scorer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../src/core/events.js';
import { resolvePipeline } from '../src/pipeline/loader.js';
import { buildContext } from '../src/score/rules.js';
import { draftItem } from '../src/score/scorecard.js';
import type { CallEvent } from '../src/core/types.js';

// loaded by path, not by a typed import: the web code is type-checked by web/tsconfig.json (DOM, bundler resolution)
interface Format { localReason(reason: string): string; evidenceLabel(e: { type?: string; start: number; end?: number }): string }
interface I18n { setLang(l: 'en' | 'zh'): void; tMaybe(key: string, fallback: string): string }
const WEB = new URL('../web/src/', import.meta.url).href;
let format: Format;
let i18n: I18n;

beforeAll(async () => {
  // the UI's modules read the browser's language and storage when loaded
  const store = new Map<string, string>();
  Object.assign(globalThis, {
    localStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v) },
    navigator: { languages: ['zh-CN'], language: 'zh-CN' },
    document: { documentElement: { lang: '' } },
  });
  i18n = (await import(/* @vite-ignore */ `${WEB}i18n.ts`)) as I18n;
  format = (await import(/* @vite-ignore */ `${WEB}format.ts`)) as Format;
});

// as src/score/rules.ts and src/score/scorecard.ts write them (the sample calls with and without a transcript)
const REASONS = [
  '-2: missing_self_identification|late_self_identification event',
  '-10: agent banned_phrase event (2 times)',
  '-10: agent talk_over event >= 1 s (2 times)',
  'no fault: agent filler event at least 3 times',
  'cannot judge automatically: no transcript, so no missing_greeting events',
  'cannot judge automatically: no transcript, so no hold_etiquette events; no transcript, so no thanks events',
  'cannot judge automatically: no audio analysis, so no silence events',
  'cannot judge automatically: talk-over not measurable (mono recording)',
  'manual item: judged by the inspector',
  'not applicable: the situation did not arise (customer customer_escalation event)',
];

describe('machine reasons in the UI language', () => {
  it('every event type has a name in English and Chinese', () => {
    for (const ty of EVENT_TYPES) {
      i18n.setLang('zh');
      const zh = i18n.tMaybe(`ev_${ty}`, '');
      i18n.setLang('en');
      const en = i18n.tMaybe(`ev_${ty}`, '');
      expect(zh, ty).not.toBe('');
      expect(en, ty).not.toBe('');
      expect(zh, ty).not.toBe(en);
    }
  });

  it('Chinese: no event ids and none of the scorer\'s English prose', () => {
    i18n.setLang('zh');
    for (const r of REASONS) {
      const shown = format.localReason(r);
      expect(shown, r).not.toMatch(/[a-z]+_[a-z_]+/);
      expect(shown, r).not.toMatch(/no transcript|no audio|manual item|did not arise|not measurable|\bevents?\b/);
    }
    expect(format.localReason(REASONS[4]!)).toBe('无法自动判定：没有转写文本，无法检测缺少开头语');
    expect(format.localReason(REASONS[8]!)).toBe('人工项：由质检员判定');
    // a passed item says what was not found, not the fault's name as if it were the finding
    expect(format.localReason('no fault: missing_greeting|late_greeting event')).toBe('未发现问题，未检出：缺少开头语 / 开头语过晚');
  });

  it('English: event types by name, the prose kept', () => {
    i18n.setLang('en');
    expect(format.localReason(REASONS[0]!)).toBe('−2: No self-identification / Late self-identification');
    expect(format.localReason('no fault: missing_greeting|late_greeting event')).toBe('No fault, not found: No greeting / Late greeting');
    expect(format.localReason(REASONS[4]!)).toBe('Cannot judge automatically: no transcript, so “No greeting” cannot be detected');
  });

  it('evidence that quotes no words names the event and its length, not its id', () => {
    i18n.setLang('zh');
    expect(format.evidenceLabel({ type: 'hold', start: 39.74, end: 108 })).toBe('保持，68.3 秒');
    expect(format.evidenceLabel({ type: 'talk_over', start: 18.48, end: 20.52 })).toBe('抢话，2 秒');
    i18n.setLang('en');
    expect(format.evidenceLabel({ type: 'silence', start: 28.8, end: 37.2 })).toBe('Dead air, 8.4 s');
  });

  it('the default program\'s hold etiquette (details: askedBefore / thankedAfter) reads in words, not field = value', () => {
    // the reason as the real scorer writes it for a call whose agent neither asked before the hold nor thanked after
    const item = (resolvePipeline('default').scorecard?.sections ?? []).flatMap((s) => s.items).find((i) => i.id === 'hold-etiquette');
    if (!item) throw new Error('default program: no hold-etiquette item');
    const events: CallEvent[] = [
      { type: 'hold', speaker: 'agent', start: 30, end: 60, details: { durationSec: 30 } } as CallEvent,
      {
        type: 'hold_etiquette', speaker: 'agent', start: 30, end: 60,
        details: { text: '', entryId: null, category: 'hold', confidence: 1, holdSec: 30, askedBefore: false, thankedAfter: false, ok: false, before: null, after: null },
      },
    ];
    const reason = draftItem(item, buildContext({ events, transcript: { engine: 'sidecar-json', language: 'zh', segments: [] } })).reason;
    expect(reason).toMatch(/^-5: .*askedBefore = false/);
    i18n.setLang('zh');
    const zh = format.localReason(reason);
    expect(zh).toBe('扣 5 分：(坐席保持礼仪（保持前未请客户稍等） 或 (坐席保持礼仪（保持后未致谢） 且 保持后 20 秒内无坐席致谢))（2 次）');
    expect(zh).not.toMatch(/[A-Za-z]/);
    i18n.setLang('en');
    expect(format.localReason(reason)).toBe(
      '−5: (Agent: Hold etiquette (did not ask the customer before the hold) OR (Agent: Hold etiquette (did not thank the customer after the hold) AND no Agent: Thanks within 20 s after the hold)) (2 times)',
    );
  });
});
