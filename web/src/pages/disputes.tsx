import { useEffect, useRef, useState } from 'preact/hooks';
import { api, currentUser } from '../api';
import { baseName, dateTime, localTitle, num } from '../format';
import { t, type MessageKey } from '../i18n';
import { href } from '../router';
import type { Decision, DraftItem } from '../types';
import { toCallDetail } from '../api-shapes';

export interface Dispute {
  id: string;
  callId: string;
  fileName: string | null;
  itemId: string;
  itemTitle: string | null;
  status: 'open' | 'upheld' | 'amended';
  reason: string;
  openedBy: string | null;
  openedAt: string | null;
  rulingReason: string | null;
  amendedPoints: number | null;
  itemMaxPoints: number | null;
  itemPoints: number | null;
}

type J = Record<string, unknown>;
function toDispute(x: unknown): Dispute {
  const d = (x ?? {}) as J;
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  const n = (v: unknown) => (typeof v === 'number' ? v : null);
  const item = (d.item ?? {}) as J;
  return {
    id: String(d.id),
    callId: String(d.callId ?? d.recordingId ?? ''),
    fileName: s(d.fileName ?? (d.call as J | undefined)?.fileName),
    itemId: String(d.itemId ?? item.id ?? ''),
    itemTitle: s(d.itemTitle ?? item.title),
    status: (s(d.status) ?? 'open') as Dispute['status'],
    reason: s(d.reason) ?? '',
    openedBy: s(d.openedByName ?? d.openedBy),
    openedAt: s(d.openedAt),
    rulingReason: s(d.rulingReason),
    amendedPoints: n(d.amendedPoints),
    itemMaxPoints: n(d.itemMaxPoints ?? item.maxPoints),
    itemPoints: n(d.itemPoints ?? item.points),
  };
}

async function loadDisputes(query = ''): Promise<Dispute[]> {
  const raw = await api<unknown>('GET', `/disputes${query}`);
  const list = Array.isArray(raw) ? raw : (((raw as J).disputes ?? (raw as J).items ?? []) as unknown[]);
  return list.map(toDispute);
}

export function DisputesPage() {
  return currentUser.value?.role === 'supervisor' ? <RuleDisputes /> : (
    <div class="page">
      <h1>{t('myDisputes')}</h1>
      <MyDisputes />
    </div>
  );
}

export function MyDisputes() {
  const [list, setList] = useState<Dispute[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadDisputes().then(setList).catch((e: Error) => setError(e.message));
  }, []);
  if (error) return <p class="form-error" role="alert">{t('error')}: {error}</p>;
  if (!list) return <p class="empty">{t('loading')}</p>;
  if (list.length === 0) return <p class="empty">{t('noDisputes')}</p>;
  return (
    <table class="grid disputes">
      <thead>
        <tr>
          <th scope="col">{t('colCall')}</th>
          <th scope="col">{t('colItem')}</th>
          <th scope="col">{t('reason')}</th>
          <th scope="col">{t('colStatus')}</th>
          <th scope="col">{t('rulingReason')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((d) => (
          <tr>
            <td><a href={href('call', d.callId)}>{d.fileName ? baseName(d.fileName) : d.callId.slice(0, 8)}</a></td>
            <td>{d.itemTitle ? localTitle(d.itemTitle) : d.itemId}</td>
            <td class="wrap">{d.reason}</td>
            <td><span class={`state dispute-${d.status}`}>{t(`disputeStatus_${d.status}` as MessageKey)}</span>{d.status === 'amended' && d.amendedPoints !== null ? ` → ${num(d.amendedPoints)}` : ''}</td>
            <td class="wrap">{d.rulingReason ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RuleDisputes() {
  const [list, setList] = useState<Dispute[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ruling, setRuling] = useState<string | null>(null);
  const reload = () => loadDisputes().then(setList).catch((e: Error) => setError(e.message));
  useEffect(() => void reload(), []);
  const open = (list ?? []).filter((d) => d.status === 'open');
  const ruled = (list ?? []).filter((d) => d.status !== 'open');
  return (
    <div class="page">
      <h1>{t('disputesToRule')}</h1>
      {error && <p class="form-error" role="alert">{t('error')}: {error}</p>}
      {!list && !error && <p class="empty">{t('loading')}</p>}
      {list && open.length === 0 && <p class="empty">{t('noDisputes')}</p>}
      <ul class="dispute-cards">
        {open.map((d) => (
          <li class="card">
            <div class="dispute-head">
              <a href={href('call', d.callId)}>{d.fileName ? baseName(d.fileName) : d.callId.slice(0, 8)}</a>
              <strong>{d.itemTitle ? localTitle(d.itemTitle) : d.itemId}</strong>
              <span class="muted">{d.openedBy} · {dateTime(d.openedAt)}</span>
            </div>
            <p class="dispute-reason"><span class="muted">{t('reason')}: </span>{d.reason}</p>
            {ruling === d.id ? (
              <RuleForm dispute={d} onDone={() => { setRuling(null); void reload(); }} onCancel={() => setRuling(null)} />
            ) : (
              <button class="primary" onClick={() => setRuling(d.id)}>{t('rule')}</button>
            )}
          </li>
        ))}
      </ul>
      {ruled.length > 0 && (
        <>
          <h2>{t('history')}</h2>
          <table class="grid">
            <tbody>
              {ruled.map((d) => (
                <tr>
                  <td><a href={href('call', d.callId)}>{d.fileName ? baseName(d.fileName) : d.callId.slice(0, 8)}</a></td>
                  <td>{d.itemTitle ? localTitle(d.itemTitle) : d.itemId}</td>
                  <td><span class={`state dispute-${d.status}`}>{t(`disputeStatus_${d.status}` as MessageKey)}</span></td>
                  <td class="wrap">{d.rulingReason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

function RuleForm({ dispute, onDone, onCancel }: { dispute: Dispute; onDone: () => void; onCancel: () => void }) {
  const [outcome, setOutcome] = useState<'upheld' | 'amended'>('upheld');
  const [points, setPoints] = useState(String(dispute.itemPoints ?? ''));
  // The item as it stands (title, points, the machine's and the inspector's answers), from the call itself.
  const [item, setItem] = useState<DraftItem | null>(null);
  const [decision, setDecision] = useState<Decision | null>(null);
  useEffect(() => {
    api<unknown>('GET', `/calls/${encodeURIComponent(dispute.callId)}`)
      .then((raw) => {
        const call = toCallDetail(raw, currentUser.value!);
        const found = call.draft?.sections.flatMap((x) => x.items).find((i) => i.id === dispute.itemId) ?? null;
        setItem(found);
        setDecision(call.review?.decisions[dispute.itemId] ?? null);
        if (found?.current?.points !== undefined && found.current.points !== null) setPoints(String(found.current.points));
      })
      .catch(() => undefined);
  }, [dispute.callId, dispute.itemId]);
  const [reason, setReason] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const id = `rule-${dispute.id}`;
  async function submit(e: Event) {
    e.preventDefault();
    if (!reason.trim()) return setErr(t('commentRequired'));
    try {
      await api('POST', `/disputes/${encodeURIComponent(dispute.id)}/ruling`, { outcome, reason: reason.trim(), ...(outcome === 'amended' ? { points: Number(points) } : {}) });
      onDone();
    } catch (x) {
      setErr((x as Error).message);
    }
  }
  return (
    <form class="rule-form" onSubmit={submit}>
      {item && (
        <div class="rule-item">
          <strong>{localTitle(item.title)}</strong>
          <span>
            {t('machine')}: {t(`status_${item.status}` as MessageKey)} {num(item.points)} / {num(item.maxPoints)}
          </span>
          {decision && (
            <span>
              {t('inspector')}: {t(decision.action === 'override' ? 'decided_override' : 'decided_confirm')} {num(item.current?.points ?? decision.points)}
              {decision.comment ? ` — ${decision.comment}` : ''}
            </span>
          )}
        </div>
      )}
      <fieldset>
        <legend>{t('outcome')}</legend>
        <label class="check"><input type="radio" name={`${id}-o`} checked={outcome === 'upheld'} onChange={() => setOutcome('upheld')} /> {t('uphold')}</label>
        <label class="check"><input type="radio" name={`${id}-o`} checked={outcome === 'amended'} onChange={() => setOutcome('amended')} /> {t('amend')}</label>
      </fieldset>
      {outcome === 'amended' && (
        <label>
          {t('points')}{item ? ` (0–${num(item.maxPoints)})` : ''}
          <input type="number" step="0.5" value={points} onInput={(e) => setPoints(e.currentTarget.value)} required />
        </label>
      )}
      <label>
        {t('rulingReason')}
        <textarea rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} required />
      </label>
      {err && <p class="form-error" role="alert">{err}</p>}
      <div class="form-actions">
        <button type="button" onClick={onCancel}>{t('cancel')}</button>
        <button type="submit" class="primary">{t('save')}</button>
      </div>
    </form>
  );
}

/** Opening a dispute on one item of a completed review (agent). */
export function DisputeDialog({ callId, item, onClose }: { callId: string; item: DraftItem; onClose: (sent: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  async function submit(e: Event) {
    e.preventDefault();
    if (!reason.trim()) return setErr(t('commentRequired'));
    try {
      await api('POST', `/calls/${encodeURIComponent(callId)}/disputes`, { itemId: item.id, reason: reason.trim() });
      onClose(true);
    } catch (x) {
      setErr((x as Error).message);
    }
  }
  return (
    <dialog ref={ref} class="modal" aria-labelledby="dispute-title" onClose={() => onClose(false)}>
      <form onSubmit={submit}>
        <h2 id="dispute-title">{t('disputeTitle', { item: localTitle(item.title) })}</h2>
        <label>
          {t('disputeReason')}
          <textarea rows={4} value={reason} onInput={(e) => setReason(e.currentTarget.value)} required autoFocus />
        </label>
        {err && <p class="form-error" role="alert">{err}</p>}
        <div class="form-actions">
          <button type="button" onClick={() => onClose(false)}>{t('cancel')}</button>
          <button type="submit" class="primary">{t('openDispute')}</button>
        </div>
      </form>
    </dialog>
  );
}
