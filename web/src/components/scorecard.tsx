import { useEffect, useRef, useState } from 'preact/hooks';
import { clockTenths, evidenceLabel, localReason, localTitle, num } from '../format';
import { t, type MessageKey } from '../i18n';
import type { Decision, Draft, DraftItem, ReviewState } from '../types';
import { REASON_CODES, type DecisionInput, type ReasonCode } from '../../../src/review/reasons';

/**
 * The draft scorecard beside the transcript: per item the machine's answer and the inspector's, side by side.
 * Items the machine could not judge (needs_review, manual) look different from passed ones (dashed, "?"), and the
 * total stays marked provisional while any item is open or the review is not complete.
 */

/** The decideItem request body and its reason codes: the server's own (src/review/reasons.ts). */
export { REASON_CODES, type ReasonCode };
export type DecideInput = DecisionInput;

interface Props {
  draft: Draft;
  review: ReviewState | null;
  canReview: boolean;
  canDispute: boolean;
  selected: number;
  onSelect: (index: number) => void;
  overrideOpen: boolean;
  setOverrideOpen: (open: boolean) => void;
  onDecide: (d: DecideInput) => Promise<void>;
  onComplete: () => Promise<void>;
  onSeek: (sec: number) => void;
  onDispute?: (item: DraftItem) => void;
  disputedItems?: Set<string>;
  /** a ruled dispute's reason by its id: shown on the item its ruling amended */
  rulings?: Map<string, string>;
}

export function flatItems(draft: Draft): DraftItem[] {
  return draft.sections.flatMap((s) => s.items);
}

/** Items still waiting for the inspector, as the server counts them. */
export function openItems(draft: Draft, review: ReviewState | null): DraftItem[] {
  if (review?.stage === 'final') return [];
  const pending = new Set(review?.pending ?? []);
  return flatItems(draft).filter((i) => pending.has(i.id));
}

/** The machine has an answer to accept (a judged item, or an unjudged one with a suggestion). */
export function hasMachineAnswer(item: DraftItem): boolean {
  return item.status !== 'needs_review' || !!item.suggested;
}

export function Scorecard(p: Props) {
  const items = flatItems(p.draft);
  const open = openItems(p.draft, p.review);
  const completed = p.review?.stage === 'final';
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = listRef.current?.querySelector<HTMLElement>(`[data-index="${p.selected}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [p.selected]);

  async function complete() {
    setBusy(true);
    setErr(null);
    try {
      await p.onComplete();
    } catch (e) {
      setErr((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  let index = -1;
  return (
    <div class="scorecard">
      <div class="panel-head">
        <h2>{t('scorecard')}</h2>
        <ScoreBadge draft={p.draft} review={p.review} openCount={open.length} />
      </div>
      <div class="items" ref={listRef} role="list" aria-label={t('scorecard')}>
        {p.draft.sections.map((s) => (
          <section class="sc-section" aria-label={localTitle(s.title)}>
            <h3>
              {localTitle(s.title)} <span class="muted">/ {num(s.max)}</span>
            </h3>
            {s.items.map((item) => {
              index++;
              const i = index;
              return (
                <ItemRow
                  item={item}
                  sectionMax={s.max}
                  index={i}
                  selected={p.selected === i}
                  decision={p.review?.decisions[item.id]}
                  completed={completed}
                  canReview={p.canReview && !completed}
                  canDispute={p.canDispute && completed && !p.disputedItems?.has(item.id)}
                  ruling={item.amendedBy ? p.rulings?.get(item.amendedBy) : undefined}
                  overrideOpen={p.overrideOpen && p.selected === i}
                  setOverrideOpen={(o) => {
                    p.onSelect(i);
                    p.setOverrideOpen(o);
                  }}
                  onSelect={() => p.onSelect(i)}
                  onDecide={async (d) => {
                    await p.onDecide(d);
                    p.setOverrideOpen(false);
                    if (i + 1 < items.length) p.onSelect(i + 1);
                  }}
                  onSeek={p.onSeek}
                  onDispute={p.onDispute}
                />
              );
            })}
          </section>
        ))}
      </div>
      {p.canReview && !completed && (
        <div class="complete-bar">
          {open.length > 0 && <span class="muted">{t('completeBlocked', { n: open.length })}</span>}
          {err && (
            <span class="form-error" role="alert">
              {err}
            </span>
          )}
          <button class="primary" onClick={() => void complete()} disabled={busy || open.length > 0} title={`${t('completeReview')} (Shift+C)`}>
            {t('completeReview')}
          </button>
        </div>
      )}
    </div>
  );
}

export function ScoreBadge({ draft, review, openCount }: { draft: Draft; review: ReviewState | null; openCount: number }) {
  if (review?.stage === 'final' && review.total !== null) {
    const fatal = review.fatal;
    return (
      <div class={`score final${fatal ? ' fatal' : ''}`} aria-label={`${t('final')} ${num(review.total)} / ${num(review.maxTotal ?? draft.maxTotal)}`}>
        <span class="score-kind">{t('final')}</span>
        <span class="score-num">{num(review.total)}</span>
        <span class="score-max">/ {num(review.maxTotal ?? draft.maxTotal)}</span>
        {fatal && <span class="chip fatal">{t('fatalCall')}</span>}
      </div>
    );
  }
  const total = review?.total ?? draft.total;
  return (
    <div class="score provisional" aria-label={`${t('provisional')} ${num(total)} / ${num(draft.maxTotal)}`}>
      <span class="score-kind">{t('provisional')}</span>
      <span class="score-num">{num(total)}</span>
      <span class="score-max">/ {num(draft.maxTotal)}</span>
      {draft.fatal && <span class="chip fatal">{t('fatalCall')}</span>}
      <span class="score-note">{openCount > 0 ? t('provisionalHint', { n: openCount }) : t('provisionalNotCompleted')}</span>
    </div>
  );
}

const STATUS_ICON: Record<string, string> = { pass: '✓', deducted: '−', fatal: '!', needs_review: '?', not_applicable: '–', manual: '?' };

function statusOf(item: DraftItem): string {
  return item.kind === 'manual' && item.status === 'needs_review' ? 'manual' : item.status;
}

function machinePoints(item: DraftItem): string {
  if (item.points === null) return `— / ${num(item.maxPoints)}`;
  if (item.kind === 'penalty' || item.kind === 'bonus') return num(item.points);
  return `${num(item.points)} / ${num(item.maxPoints)}`;
}

interface RowProps {
  item: DraftItem;
  sectionMax: number;
  index: number;
  selected: boolean;
  decision: Decision | undefined;
  completed: boolean;
  canReview: boolean;
  canDispute: boolean;
  overrideOpen: boolean;
  setOverrideOpen: (o: boolean) => void;
  onSelect: () => void;
  onDecide: (d: DecideInput) => Promise<void>;
  onSeek: (sec: number) => void;
  onDispute?: (item: DraftItem) => void;
  /** the reason of the ruling that amended this item, when one did */
  ruling?: string;
}

function ItemRow(r: RowProps) {
  const st = statusOf(r.item);
  const [err, setErr] = useState<string | null>(null);
  const needsJudgement = !hasMachineAnswer(r.item);
  async function confirm() {
    setErr(null);
    try {
      await r.onDecide({ itemId: r.item.id, action: 'confirm' });
    } catch (e) {
      setErr((e as Error).message);
    }
  }
  return (
    <div
      class={`item st-${st}${r.selected ? ' selected' : ''}${r.decision ? ' decided' : ''}`}
      data-index={r.index}
      role="listitem"
      aria-current={r.selected ? 'true' : undefined}
      onClick={r.onSelect}
    >
      <div class="item-head">
        <span class={`st-icon st-${st}`} aria-hidden="true">
          {STATUS_ICON[st]}
        </span>
        <span class="item-title">{localTitle(r.item.title)}</span>
      </div>
      <div class="item-cols">
        <div class="col machine">
          <span class="col-label">{t('machine')}</span>
          <span class={`badge st-${st}`}>{t(`status_${st}` as MessageKey)}</span>
          <span class="pts">{machinePoints(r.item)}</span>
        </div>
        <div class="col human">
          <span class="col-label">{t('inspector')}</span>
          <DecisionView decision={r.decision} item={r.item} ruling={r.ruling} />
        </div>
      </div>
      {r.item.reason && (
        <p class="item-reason" title={r.item.reason}>
          {localReason(r.item.reason)}
        </p>
      )}
      {r.item.guidance && needsJudgement && <p class="item-reason guidance">{r.item.guidance}</p>}
      {r.item.evidence.length > 0 && (
        <ul class="evidence" aria-label={t('evidence')}>
          {r.item.evidence.slice(0, 6).map((e) => (
            <li>
              {e.kind === 'metadata' ? (
                <span class="muted">
                  {e.field}: {e.text}
                </span>
              ) : (
                <button
                  class="link"
                  onClick={(ev) => {
                    ev.stopPropagation();
                    r.onSeek(e.start);
                  }}
                  aria-label={t('jumpTo', { t: clockTenths(e.start) })}
                >
                  ▶ {clockTenths(e.start)}
                  {e.text ? <q>{e.text.length > 80 ? `${e.text.slice(0, 80)}…` : e.text}</q> : e.type ? <span class="ev-what"> {evidenceLabel(e)}</span> : ''}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {r.canReview && !r.overrideOpen && (
        <div class="item-actions">
          {!needsJudgement && (
            <button class={r.decision?.action === 'confirm' ? 'on' : ''} onClick={(e) => (e.stopPropagation(), void confirm())} title={`${t('confirm')} (Enter)`}>
              {t('confirm')}
            </button>
          )}
          <button onClick={(e) => (e.stopPropagation(), r.setOverrideOpen(true))} title={`${t('override')} (O)`}>
            {needsJudgement ? t('scoreManual') : t('override')}
          </button>
        </div>
      )}
      {r.canDispute && r.onDispute && (
        <div class="item-actions">
          <button onClick={(e) => (e.stopPropagation(), r.onDispute!(r.item))}>{t('openDispute')}</button>
        </div>
      )}
      {err && (
        <p class="form-error" role="alert">
          {err}
        </p>
      )}
      {r.overrideOpen && <OverrideForm item={r.item} decision={r.decision} onCancel={() => r.setOverrideOpen(false)} onSubmit={r.onDecide} byHand={needsJudgement && r.item.kind !== 'fatal'} sectionMax={r.sectionMax} />}
    </div>
  );
}

function DecisionView({ decision, item, ruling }: { decision: Decision | undefined; item: DraftItem; ruling?: string }) {
  if (!decision) {
    // a completed review: nobody decided this item and the machine's answer stands (it is final, not "to decide")
    if (item.acceptedAtCompletion) return <span class="badge accepted">✓ {t('acceptedAtCompletion')}</span>;
    return <span class="badge undecided">{t('undecided')}</span>;
  }
  const pts = item.current?.points ?? decision.points;
  const ptsText = item.kind === 'fatal' ? (decision.fatal === false || item.current?.status !== 'fatal' ? t('notFatal') : t('status_fatal')) : `${num(pts)}${item.kind === 'penalty' || item.kind === 'bonus' ? '' : ` / ${num(item.maxPoints)}`}`;
  const scoredByHand = decision.action === 'confirm' && decision.points !== null;
  return (
    <>
      {decision.action === 'confirm' ? (
        <span class="badge decided-confirm">✓ {scoredByHand ? t('decided_scored') : t('decided_confirm')}</span>
      ) : (
        <span class="badge decided-override">{t('decided_override')}</span>
      )}
      <span class="pts">{ptsText}</span>
      {(decision.reasonCode || decision.comment) && (
        <span class="decision-why">
          {/* amended later by a ruling: the inspector's words are the review's, not the points' shown beside them */}
          {item.amendedBy ? t('atReview') : ''}
          {decision.reasonCode ? t(`reason_${decision.reasonCode}` as MessageKey) : ''}
          {decision.comment ? `${decision.reasonCode ? ': ' : ''}${decision.comment}` : ''}
        </span>
      )}
      {item.amendedBy && (
        <span class="decision-why ruling">
          {t('amendedByRuling')}
          {ruling ? ` — ${ruling}` : ''}
        </span>
      )}
    </>
  );
}

/** What the server accepts (src/review/decisions.ts pointsRange); the server checks again. */
function pointsRange(item: DraftItem, sectionMax: number): { min: number; max: number } {
  switch (item.kind) {
    case 'penalty':
      return { min: -sectionMax, max: 0 };
    case 'bonus':
      return { min: 0, max: sectionMax };
    case 'fatal':
      return { min: 0, max: 0 };
    default:
      return { min: 0, max: item.maxPoints };
  }
}

/**
 * Override (points, reason code, comment: all required; a fatal item's override flips its verdict and takes no
 * points), or, for an item only a person can judge, its points.
 */
function OverrideForm({ item, decision, onCancel, onSubmit, byHand, sectionMax }: { item: DraftItem; decision?: Decision; onCancel: () => void; onSubmit: (d: DecideInput) => Promise<void>; byHand: boolean; sectionMax: number }) {
  const range = pointsRange(item, sectionMax);
  const fatalItem = item.kind === 'fatal';
  const [points, setPoints] = useState(String(decision?.points ?? item.suggested?.points ?? item.points ?? range.max));
  const [code, setCode] = useState<ReasonCode>((decision?.reasonCode as ReasonCode) ?? 'wrong_score');
  const [comment, setComment] = useState(decision?.comment ?? '');
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement & HTMLSelectElement>(null);
  useEffect(() => {
    first.current?.focus();
    if (first.current instanceof HTMLInputElement) first.current.select();
  }, []);
  const id = `ov-${item.id}`;
  async function submit(e: Event) {
    e.preventDefault();
    const p = Number(points);
    if (!fatalItem && (points.trim() === '' || !Number.isFinite(p) || p < range.min || p > range.max)) return setErr(t('pointsRange', range));
    if (!byHand && comment.trim() === '') return setErr(t('commentRequired'));
    setBusy(true);
    setErr(null);
    try {
      if (byHand) await onSubmit({ itemId: item.id, action: 'confirm', points: p, ...(comment.trim() ? { reason: { code: 'other', comment: comment.trim() } } : {}) });
      else await onSubmit({ itemId: item.id, action: 'override', ...(fatalItem ? {} : { points: p }), reason: { code, comment: comment.trim() } });
    } catch (x) {
      setErr((x as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      class="override"
      onSubmit={submit}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Escape') onCancel();
      }}
      aria-label={byHand ? t('scoreManual') : t('overrideTitle', { item: localTitle(item.title) })}
    >
      {fatalItem ? (
        <p class="override-note">{item.status === 'fatal' ? t('overrideFatalOff') : t('overrideFatalOn')}</p>
      ) : (
        <>
          <label for={`${id}-pts`}>
            {t('points')} <span class="muted">({t('pointsRange', range)})</span>
          </label>
          <input id={`${id}-pts`} ref={first} type="number" step="0.5" min={range.min} max={range.max} value={points} onInput={(e) => setPoints(e.currentTarget.value)} required />
        </>
      )}
      {!byHand && (
        <>
          <label for={`${id}-code`}>{t('reasonCode')}</label>
          <select id={`${id}-code`} ref={fatalItem ? first : undefined} value={code} onChange={(e) => setCode(e.currentTarget.value as ReasonCode)}>
            {REASON_CODES.map((c) => (
              <option value={c}>{t(`reason_${c}`)}</option>
            ))}
          </select>
        </>
      )}
      <label for={`${id}-comment`}>
        {t('comment')}
        {byHand ? <span class="muted"> ({t('optional')})</span> : ''}
      </label>
      <textarea
        id={`${id}-comment`}
        rows={2}
        value={comment}
        onInput={(e) => setComment(e.currentTarget.value)}
        required={!byHand}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            (e.currentTarget.form as HTMLFormElement).requestSubmit();
          }
        }}
      />
      {err && (
        <p class="form-error" role="alert">
          {err}
        </p>
      )}
      <div class="form-actions">
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {t('save')}
        </button>
      </div>
    </form>
  );
}
