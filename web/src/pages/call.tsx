import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, currentUser } from '../api';
import { applyDecisionResult, toCallDetail, toHistory } from '../api-shapes';
import { baseName, clock, dateTime, localTitle } from '../format';
import { t, tMaybe, type MessageKey } from '../i18n';
import { go, href } from '../router';
import type { CallDetail, DraftItem, HistoryEntry } from '../types';
import { isTyping, helpOpen } from '../components/help';
import { Player, type PlayerHandle } from '../components/player';
import { FollowSwitch, Transcript } from '../components/transcript';
import { Scorecard, flatItems, hasMachineAnswer, type DecideInput } from '../components/scorecard';
import { navigableEvents, eventLabel } from '../components/events';
import { DisputeDialog } from './disputes';
import { nextCallAfter } from './queue';

/** `startAt`: open at this moment (seconds; the route's `?t=`, as search hits link to it). */
export function CallPage({ id, startAt }: { id: string; startAt?: number }) {
  const [call, setCall] = useState<CallDetail | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  const [time, setTime] = useState(0);
  const [selected, setSelected] = useState(0);
  const [overrideOpen, setOverrideOpen] = useState(false);
  const [tab, setTab] = useState<'transcript' | 'history'>('transcript');
  const [follow, setFollow] = useState(true);
  const [disputeItem, setDisputeItem] = useState<DraftItem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const player = useRef<PlayerHandle | null>(null);

  const load = useCallback(async () => {
    try {
      const raw = await api<unknown>('GET', `/calls/${encodeURIComponent(id)}`);
      setCall(toCallDetail(raw, currentUser.value!));
    } catch (e) {
      setError(e as Error);
    }
  }, [id]);
  const loadHistory = useCallback(async () => {
    try {
      setHistory(toHistory(await api<unknown>('GET', `/calls/${encodeURIComponent(id)}/history`)));
    } catch {
      setHistory([]);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (tab === 'history') void loadHistory();
  }, [tab, loadHistory]);

  const events = useMemo(() => (call ? navigableEvents(call.events) : []), [call]);
  // For scripts and the browser tests: the player and the event starts that [ and ] step through.
  useEffect(() => {
    const w = window as unknown as { __callqaPlayer?: PlayerHandle | null; __callqaEvents?: number[] };
    w.__callqaPlayer = player.current;
    w.__callqaEvents = events.map((e) => e.start);
  });
  const items = useMemo(() => (call?.draft ? flatItems(call.draft) : []), [call]);
  const itemTitles = useMemo(() => new Map(items.map((i) => [i.id, i.title])), [items]);

  const seek = useCallback((sec: number) => player.current?.seek(sec), []);
  // A link to a moment: the transcript line and the cursor go there (again when only `t` changes).
  useEffect(() => {
    if (call && startAt !== undefined && startAt >= 0) {
      setTime(startAt);
      player.current?.seek(startAt);
    }
  }, [call?.id, startAt]);

  // Someone else decided on this review since the page loaded it: the server refused the step (409 with the
  // current `revision`). Show the review as it now stands instead of overwriting or completing it unseen.
  const staleReview = useCallback(
    async (err: unknown): Promise<never> => {
      if (err instanceof ApiError && err.status === 409 && typeof err.details.revision === 'number') {
        await load();
        setNotice(t('reviewChangedReloaded'));
        throw new Error(t('reviewChangedReloaded'));
      }
      throw err;
    },
    [load],
  );

  const decide = useCallback(
    async (d: DecideInput) => {
      const expectedRevision = call?.review?.revision ?? undefined;
      const res = await api<unknown>('POST', `/calls/${encodeURIComponent(id)}/review/decisions`, { ...d, expectedRevision }).catch(staleReview);
      // Patch the call from the answer (the item after the decision, the provisional total, what is still open):
      // re-reading the whole call would log another transcript read for every click.
      setCall((c) => (c ? applyDecisionResult(c, d.itemId, res) : c));
    },
    [id, call?.review?.revision, staleReview],
  );

  const complete = useCallback(async () => {
    const rev = call?.review?.revision;
    await api('POST', `/calls/${encodeURIComponent(id)}/review/complete${rev == null ? '' : `?expectedRevision=${rev}`}`).catch(staleReview);
    await load();
    setNotice(t('reviewCompleted'));
    setTab('history');
  }, [id, load, call?.review?.revision, staleReview]);

  // Keyboard: the whole review without the mouse (see the help overlay).
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (isTyping(e) || helpOpen.value || disputeItem || e.ctrlKey || e.metaKey || e.altKey) return;
      // Enter and Space on a focused button or link are that control's own (keyboard users press them).
      const tag = (e.target as HTMLElement | null)?.tagName;
      if ((e.key === 'Enter' && (tag === 'BUTTON' || tag === 'A' || tag === 'LI')) || (e.key === ' ' && (tag === 'BUTTON' || tag === 'A'))) return;
      const p = player.current;
      const now = p?.time() ?? time;
      const item = items[selected];
      switch (e.key) {
        case ' ':
          p?.playPause();
          break;
        case 'ArrowLeft':
          p?.skip(-5);
          break;
        case 'ArrowRight':
          p?.skip(5);
          break;
        case ']': {
          const next = events.find((ev) => ev.start > now + 0.25);
          if (next) p?.seek(next.start);
          break;
        }
        case '[': {
          const prev = [...events].reverse().find((ev) => ev.start < now - 1);
          p?.seek(prev ? prev.start : 0);
          break;
        }
        case 'ArrowDown':
        case 'j':
          setSelected((s) => Math.min(items.length - 1, s + 1));
          setOverrideOpen(false);
          break;
        case 'ArrowUp':
        case 'k':
          setSelected((s) => Math.max(0, s - 1));
          setOverrideOpen(false);
          break;
        case 'Enter':
          if (item && call?.canReview) {
            if (!hasMachineAnswer(item)) setOverrideOpen(true);
            else void decide({ itemId: item.id, action: 'confirm' }).then(() => setSelected((s) => Math.min(items.length - 1, s + 1)));
          }
          break;
        case 'o':
        case 'O':
          if (call?.canReview) setOverrideOpen(true);
          break;
        case '-':
          p?.changeSpeed(-1);
          break;
        case '+':
        case '=':
          p?.changeSpeed(1);
          break;
        case 'C':
          if (e.shiftKey && call?.canReview) void complete().catch((x: Error) => setNotice(x.message));
          break;
        case 'N':
          if (e.shiftKey) void nextCallAfter(id).then((n) => (n ? go('call', n) : setNotice(t('noNextCall'))));
          break;
        default:
          return;
      }
      e.preventDefault();
    }
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [events, items, selected, call, decide, complete, id, disputeItem, time]);

  if (error) {
    return (
      <div class="page">
        <p class="form-error" role="alert">
          {error instanceof ApiError && (error.status === 404 || error.status === 403) ? t('notFound') : `${t('error')}: ${error.message}`}
        </p>
        <a class="back" href={href(currentUser.value?.role === 'agent' ? 'results' : 'queue')}>
          ← {currentUser.value?.role === 'agent' ? t('navResults') : t('backToQueue')}
        </a>
      </div>
    );
  }
  if (!call) return <CallSkeleton />;

  const currentEvent = events.filter((ev) => ev.start <= time + 0.05 && time <= Math.max(ev.end, ev.start + 1)).pop();
  const disputed = new Set(call.disputes.map((d) => d.itemId));
  return (
    <div class="call-page">
      <div class="call-head">
        <a class="back" href={href(currentUser.value?.role === 'agent' ? 'results' : 'queue')}>
          ← {currentUser.value?.role === 'agent' ? t('navResults') : t('backToQueue')}
        </a>
        <h1 class="call-title" title={call.fileName}>
          {baseName(call.fileName)}
        </h1>
        <span class="meta">
          {call.agentId && (
            <span>
              {t('colAgent')}: {call.agentId}
            </span>
          )}
          {call.team && (
            <span>
              {t('team')}: {call.team}
            </span>
          )}
          {call.startedAt && <span>{dateTime(call.startedAt)}</span>}
          <span>{clock(call.durationSec)}</span>
          {call.draft && <span>{localTitle(call.draft.title)}</span>}
        </span>
        <span class="spacer" />
        <span class="now-event" aria-live="polite">
          {currentEvent ? `${t('events')}: ${eventLabel(currentEvent)} ${clock(currentEvent.start)}` : ''}
        </span>
        {currentUser.value?.role !== 'agent' && (
          <button onClick={() => void nextCallAfter(id).then((n) => (n ? go('call', n) : setNotice(t('noNextCall'))))} title={`${t('nextCall')} (Shift+N)`}>
            {t('nextCall')} →
          </button>
        )}
      </div>
      {notice && (
        <div class="notice" role="status">
          {notice}
          <button class="ghost" onClick={() => setNotice(null)} aria-label={t('close')}>
            ×
          </button>
        </div>
      )}
      <Player call={call} handle={player} onTime={setTime} startAt={startAt} />
      <div class="call-body">
        <div class="left">
          <div class="tabs" role="tablist">
            <button role="tab" aria-selected={tab === 'transcript'} class={tab === 'transcript' ? 'active' : ''} onClick={() => setTab('transcript')}>
              {t('transcript')}
            </button>
            <button role="tab" aria-selected={tab === 'history'} class={tab === 'history' ? 'active' : ''} onClick={() => setTab('history')}>
              {t('history')}
            </button>
            <span class="spacer" />
            {tab === 'transcript' && <FollowSwitch follow={follow} setFollow={setFollow} />}
          </div>
          {tab === 'transcript' ? <Transcript segments={call.segments} events={call.events} time={time} onSeek={seek} follow={follow} setFollow={setFollow} /> : <History entries={history} titles={itemTitles} />}
        </div>
        <div class="right">
          {currentUser.value?.role === 'agent' && call.disputeWindow && (
            <p class={`dispute-window${call.disputeWindow.open ? '' : ' closed'}`}>
              {call.disputeWindow.open
                ? t('disputeWindowOpen', { until: dateTime(call.disputeWindow.closesAt), used: call.disputeWindow.used, limit: call.disputeWindow.limit })
                : t('disputeWindowClosed', { until: dateTime(call.disputeWindow.closesAt) })}
            </p>
          )}
          {/* the server's reason is in English; the UI says it in its own language */}
          {call.hidden && <p class="dispute-window scores-hidden">{t(call.hiddenReason === 'blind_calibration' ? 'scoresHiddenBlind' : 'scoresHidden')}</p>}
          {call.draft ? (
            <Scorecard
              draft={call.draft}
              review={call.review}
              canReview={call.canReview}
              canDispute={call.canDispute}
              selected={selected}
              onSelect={setSelected}
              overrideOpen={overrideOpen}
              setOverrideOpen={setOverrideOpen}
              onDecide={decide}
              onComplete={complete}
              onSeek={seek}
              onDispute={setDisputeItem}
              disputedItems={disputed}
              rulings={new Map(call.disputes.filter((d) => d.rulingReason).map((d) => [d.id, d.rulingReason!]))}
            />
          ) : call.hidden ? null : (
            <p class="empty">—</p>
          )}
        </div>
      </div>
      {disputeItem && (
        <DisputeDialog
          callId={id}
          item={disputeItem}
          onClose={(sent) => {
            setDisputeItem(null);
            if (sent) {
              setNotice(t('disputeSent'));
              void load();
            }
          }}
        />
      )}
    </div>
  );
}

function History({ entries, titles }: { entries: HistoryEntry[] | null; titles: Map<string, string> }) {
  if (!entries) return <p class="empty">{t('loading')}</p>;
  if (entries.length === 0) return <p class="empty">{t('noHistory')}</p>;
  return (
    <ol class="history" aria-label={t('history')}>
      {entries.map((e) => (
        <li>
          <time>{dateTime(e.at)}</time> <strong>{e.actor}</strong> <span class="action">{historyAction(e.action)}</span>
          {historyDetail(e, titles)}
        </li>
      ))}
    </ol>
  );
}

function historyAction(action: string): string {
  return tMaybe(`h_${action.replaceAll('.', '_')}`, action);
}

function historyDetail(e: HistoryEntry, titles: Map<string, string>): string {
  const d = e.details;
  const parts: string[] = [];
  const itemId = e.itemId ?? (typeof d.itemId === 'string' ? d.itemId : null);
  if (itemId) parts.push(titles.has(itemId) ? localTitle(titles.get(itemId)!) : itemId);
  if (d.action === 'confirm' || d.action === 'override') parts.push(t(d.action === 'confirm' ? 'decided_confirm' : 'decided_override'));
  if (d.points !== undefined && d.points !== null) parts.push(`${t('points')} ${String(d.points)}`);
  if (typeof d.reasonCode === 'string') parts.push(t(`reason_${d.reasonCode}` as MessageKey) ?? d.reasonCode);
  if (typeof d.reason === 'string') parts.push(`“${d.reason}”`);
  // a ruling's outcome in the UI's language (the server records the code: upheld, amended)
  if (typeof d.outcome === 'string') parts.push(tMaybe(`disputeStatus_${d.outcome}`, d.outcome));
  if (typeof d.total === 'number') parts.push(`${d.total}`);
  return parts.length ? ` · ${parts.join(' · ')}` : '';
}

/** The page's frame at its final size while the call loads: nothing moves when the data arrives. */
function CallSkeleton() {
  return (
    <div class="call-page" aria-busy="true">
      <div class="call-head">
        <span class="muted">{t('loading')}</span>
      </div>
      <section class="player">
        <div class="wave-row">
          <div class="wave" style={{ height: '126px' }} />
        </div>
        <div class="controls" />
      </section>
      <div class="call-body">
        <div class="left" />
        <div class="right" />
      </div>
    </div>
  );
}
