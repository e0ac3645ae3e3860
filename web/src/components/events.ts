import { t, tMaybe } from '../i18n';
import type { CallEvent } from '../types';

/** One colour per kind of event, also used by the legend and the transcript's highlights. */
const COLORS: Record<string, [number, number, number]> = {
  silence: [107, 114, 128],
  talk_over: [220, 38, 38],
  backchannel: [16, 185, 129],
  hold: [124, 58, 237],
  lexicon: [217, 119, 6],
};

export function eventColor(type: string, alpha: number): string {
  const [r, g, b] = COLORS[type] ?? [37, 99, 235];
  return `rgba(${r},${g},${b},${alpha})`;
}

const side = (s: unknown) => (s === 'agent' ? t('agentSide') : s === 'customer' ? t('customerSide') : '');

export function eventLabel(ev: CallEvent): string {
  if (ev.type === 'talk_over') return t('eventTalkOverBy', { who: side(ev.speaker) });
  if (ev.type === 'silence') return t('eventSilence');
  if (ev.type === 'hold') return t('eventHold');
  if (ev.type === 'backchannel') return t('eventBackchannel');
  if (typeof ev.matched === 'string') return `${tMaybe(`cat_${String(ev.category)}`, String(ev.category ?? ''))}: ${ev.matched}`;
  return tMaybe(`ev_${ev.type}`, ev.type.replaceAll('_', ' '));
}

/** Events worth stepping through with [ and ]: everything with a place on the timeline. */
export function navigableEvents(events: CallEvent[]): CallEvent[] {
  return events
    .filter((e) => e.type !== 'speech_rate' && !(e.end - e.start > 0 && e.type.startsWith('missing_') && e.end - e.start > 20))
    .sort((a, b) => a.start - b.start || a.end - b.end);
}
