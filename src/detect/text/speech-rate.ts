import type { CallEvent, TranscriptSegment } from '../../core/types.js';
import { rateLanguage, speechRate, speechUnits, type RateLanguage } from '../../core/speech-rate.js';
import { isAgentSide, round2, type TextContext } from './context.js';

type RateLang = RateLanguage;
export type RateFlag = 'ok' | 'too_fast' | 'too_slow';

interface Turn {
  language: RateLang;
  segments: TranscriptSegment[];
  units: number;
  speakingSec: number;
}

function languageOf(seg: TranscriptSegment, mode: 'zh' | 'en' | 'auto'): RateLang {
  return mode !== 'auto' ? mode : rateLanguage(seg.text);
}

/**
 * 语速: agent characters (zh) or words (en) per minute of speaking time (the sum of the agent's segment
 * durations), per turn and per call, flagged against the pipeline's speechRate bands. Every call with enough
 * agent speech gets one scope=call event per language spoken; turns get an event only when flagged.
 */
export function detectSpeechRate(
  ctx: TextContext,
  mode: 'zh' | 'en' | 'auto',
): { events: CallEvent[]; metrics: Record<string, number | string | null> } {
  const p = ctx.params.speechRate;
  const unitName = (l: RateLang) => (l === 'zh' ? 'chars_per_min' : 'words_per_min');
  const flagOf = (l: RateLang, rate: number): RateFlag =>
    rate > p[l].tooFastPerMin ? 'too_fast' : rate < p[l].tooSlowPerMin ? 'too_slow' : 'ok';

  // build turns: consecutive agent segments of one language, no other speaker between, gap <= turnMergeGapSec
  const turns: Turn[] = [];
  let prev: TranscriptSegment | undefined;
  for (const seg of ctx.segments) {
    if (!isAgentSide(seg.speaker)) {
      prev = undefined;
      continue;
    }
    const lang = languageOf(seg, mode);
    const units = speechUnits(seg.text, lang);
    const sec = Math.max(0, seg.end - seg.start);
    const last = turns[turns.length - 1];
    if (prev && last && last.language === lang && seg.start - prev.end <= p.turnMergeGapSec) {
      last.segments.push(seg);
      last.units += units;
      last.speakingSec += sec;
    } else turns.push({ language: lang, segments: [seg], units, speakingSec: sec });
    prev = seg;
  }

  const events: CallEvent[] = [];
  const metrics: Record<string, number | string | null> = {
    speechRateZhCharsPerMin: null,
    speechRateEnWordsPerMin: null,
    speechRateFlag: null,
    speechRateTurnsTooFast: 0,
    speechRateTurnsTooSlow: 0,
  };
  for (const t of turns) {
    const r = speechRate(t.segments, t.language, p.minTurnSec);
    if (!r) continue;
    const rate = r.perMin;
    const flag = flagOf(t.language, rate);
    if (flag === 'ok') continue;
    metrics[flag === 'too_fast' ? 'speechRateTurnsTooFast' : 'speechRateTurnsTooSlow'] =
      (metrics[flag === 'too_fast' ? 'speechRateTurnsTooFast' : 'speechRateTurnsTooSlow'] as number) + 1;
    const first = t.segments[0];
    const last = t.segments[t.segments.length - 1];
    events.push({
      type: 'speech_rate',
      speaker: first.speaker,
      start: first.start,
      end: last.end,
      details: {
        scope: 'turn',
        text: t.segments.map((s) => s.text).join(' '),
        entryId: null,
        category: 'speech_rate',
        confidence: 1,
        language: t.language,
        rate: round2(rate),
        unit: unitName(t.language),
        units: t.units,
        speakingSec: round2(t.speakingSec),
        flag,
        tooFastPerMin: p[t.language].tooFastPerMin,
        tooSlowPerMin: p[t.language].tooSlowPerMin,
      },
    });
  }
  const flags: RateFlag[] = [];
  for (const lang of ['zh', 'en'] as const) {
    const ts = turns.filter((t) => t.language === lang);
    const r = speechRate(
      ts.flatMap((t) => t.segments),
      lang,
      p.minTurnSec,
    );
    if (!r) continue;
    const { units, speakingSec: sec, perMin: rate } = r;
    const flag = flagOf(lang, rate);
    flags.push(flag);
    metrics[lang === 'zh' ? 'speechRateZhCharsPerMin' : 'speechRateEnWordsPerMin'] = round2(rate);
    const segs = ts.flatMap((t) => t.segments);
    events.push({
      type: 'speech_rate',
      speaker: segs[0].speaker,
      start: segs[0].start,
      end: segs[segs.length - 1].end,
      details: {
        scope: 'call',
        text: '',
        entryId: null,
        category: 'speech_rate',
        confidence: 1,
        language: lang,
        rate: round2(rate),
        unit: unitName(lang),
        units,
        speakingSec: round2(sec),
        flag,
        tooFastPerMin: p[lang].tooFastPerMin,
        tooSlowPerMin: p[lang].tooSlowPerMin,
      },
    });
  }
  metrics.speechRateFlag = flags.length === 0 ? null : flags.find((f) => f !== 'ok') ?? 'ok';
  return { events, metrics };
}
