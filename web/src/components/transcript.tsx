import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { clock } from '../format';
import { t } from '../i18n';
import type { CallEvent, Segment } from '../types';
import { eventLabel } from './events';
import { isLexiconHit } from './player';

/**
 * The transcript as speaker turns. Lexicon hits are highlighted where their matched words are in the line; the
 * line being played is marked and kept in view while "follow" is on (scrolling by hand turns it off); clicking a
 * line (or Enter on it) seeks there.
 */
interface Props {
  segments: Segment[];
  events: CallEvent[];
  time: number;
  onSeek: (sec: number) => void;
  follow: boolean;
  setFollow: (on: boolean) => void;
}

/** The "follow playback" switch; the call view puts it in its tab bar. */
export function FollowSwitch({ follow, setFollow }: { follow: boolean; setFollow: (on: boolean) => void }) {
  return (
    <label class="check follow">
      <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} />
      {t('follow')}
    </label>
  );
}

export function Transcript({ segments, events, time, onSeek, follow, setFollow }: Props) {
  const listRef = useRef<HTMLOListElement>(null);
  const programmatic = useRef(false);
  const hitsBySegment = useMemo(() => {
    const m = new Map<number, CallEvent[]>();
    for (const e of events) {
      if (!isLexiconHit(e)) continue;
      const idx = typeof e.segmentIndex === 'number' ? e.segmentIndex : segments.findIndex((s) => s.start <= e.start && e.start < s.end + 0.05);
      if (idx < 0) continue;
      m.set(idx, [...(m.get(idx) ?? []), e]);
    }
    return m;
  }, [events, segments]);
  const active = useMemo(() => {
    let a = -1;
    for (let i = 0; i < segments.length; i++) {
      if (segments[i].start <= time + 0.05) a = i;
      else break;
    }
    return a >= 0 && time <= segments[a].end + 1.5 ? a : -1;
  }, [segments, time]);

  useEffect(() => {
    if (!follow || active < 0 || !listRef.current) return;
    const el = listRef.current.children[active] as HTMLElement | undefined;
    if (!el) return;
    const box = listRef.current.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    if (r.top < box.top || r.bottom > box.bottom) {
      programmatic.current = true;
      listRef.current.scrollTop += r.top - box.top - box.height / 3;
      setTimeout(() => (programmatic.current = false), 100);
    }
  }, [active, follow]);

  if (segments.length === 0) return <p class="empty">{t('noTranscript')}</p>;
  return (
    <div class="transcript">
      <ol
        class="turns"
        ref={listRef}
        onWheel={() => !programmatic.current && setFollow(false)}
        aria-label={t('transcript')}
      >
        {segments.map((s, i) => (
          <li
            class={`turn side-${s.speaker}${i === active ? ' active' : ''}`}
            tabIndex={0}
            aria-current={i === active ? 'true' : undefined}
            onClick={() => onSeek(s.start)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.stopPropagation();
                onSeek(s.start);
              }
            }}
          >
            <span class="turn-meta">
              <span class="who">{s.speaker === 'agent' ? t('agentSide') : s.speaker === 'customer' ? t('customerSide') : t('unknownSide')}</span>
              <time>{clock(s.start)}</time>
            </span>
            <span class="turn-text">{highlight(s.text, hitsBySegment.get(i) ?? [])}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Marks each hit's matched words in the line (case-insensitive); hits whose words are not found verbatim are listed after it. */
function highlight(text: string, hits: CallEvent[]): ComponentChildren {
  if (hits.length === 0) return text;
  const lower = text.toLowerCase();
  const marks: { from: number; to: number; ev: CallEvent }[] = [];
  const unplaced: CallEvent[] = [];
  for (const h of hits) {
    const word = String(h.matched).toLowerCase();
    let from = -1;
    let pos = lower.indexOf(word);
    while (pos >= 0) {
      if (!marks.some((m) => pos < m.to && pos + word.length > m.from)) {
        from = pos;
        break;
      }
      pos = lower.indexOf(word, pos + 1);
    }
    if (from < 0 || word.length === 0) unplaced.push(h);
    else marks.push({ from, to: from + word.length, ev: h });
  }
  marks.sort((a, b) => a.from - b.from);
  const out: ComponentChildren[] = [];
  let at = 0;
  for (const m of marks) {
    if (m.from > at) out.push(text.slice(at, m.from));
    out.push(
      <mark class={`hit cat-${String(m.ev.category)}`} title={eventLabel(m.ev)}>
        {text.slice(m.from, m.to)}
      </mark>,
    );
    at = m.to;
  }
  out.push(text.slice(at));
  for (const u of unplaced) out.push(<mark class={`hit tag cat-${String(u.category)}`}>{eventLabel(u)}</mark>);
  return out;
}
