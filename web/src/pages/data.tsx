import type { RefObject } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { clock } from '../format';
import { t, tMaybe } from '../i18n';
import { ErrorLine, FilterBar, numCol, TableHead } from '../components/filters';
import type { ErasureResult, SubjectCall, SubjectSelector } from '../../../src/core/personal-data-types';

type Erasure = ErasureResult;
type Selector = Pick<SubjectSelector, 'customerId'> & { callIds?: string[] };

/** the API takes at most this many call ids at once */
const IDS_PER_REQUEST = 1000;

/** `a.json` for customer "a": only characters safe in a file name on every system */
export function exportFileName(sel: Selector, today = new Date()): string {
  const base = sel.customerId ? sel.customerId.replace(/[^\p{L}\p{N}_.-]+/gu, '_').replace(/^\.+/, '_') : `calls-${today.toISOString().slice(0, 10)}`;
  return `${base || 'customer'}.json`;
}

/** Saves a document as a file through the browser (a Blob and a temporary link). */
function saveJson(doc: unknown, fileName: string): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // the download has its own copy by then; keep the URL a while for slow browsers
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Admin: a customer's access or erasure request. Find the calls held for a customer id (and named calls), download
 * the export, erase them after typing the customer id again. The original recordings stay: only `callqa data
 * erase --delete-audio` deletes them, and the result names where they are.
 */
export function DataPage() {
  const [customer, setCustomer] = useState('');
  const [ids, setIds] = useState('');
  const [sel, setSel] = useState<Selector | null>(null);
  const [calls, setCalls] = useState<SubjectCall[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [downloaded, setDownloaded] = useState<string | null>(null);
  const [erasure, setErasure] = useState<Erasure | null>(null);
  const foundRef = useRef<HTMLHeadingElement>(null);
  const erasedRef = useRef<HTMLHeadingElement>(null);

  async function find() {
    const callIds = ids.split(/[\s,;]+/).filter(Boolean);
    const next: Selector = { ...(customer.trim() ? { customerId: customer.trim() } : {}), ...(callIds.length ? { callIds } : {}) };
    setError(null);
    setDownloaded(null);
    setErasure(null);
    if (!next.customerId && !next.callIds) {
      setError(t('dataNeedSelector'));
      return;
    }
    setBusy(true);
    try {
      const r = await api<{ calls: SubjectCall[] }>('POST', '/data/find', next);
      setSel(next);
      setCalls(r.calls);
      requestAnimationFrame(() => foundRef.current?.focus());
    } catch (x) {
      setSel(null);
      setCalls(null);
      setError((x as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function download() {
    if (!sel) return;
    setError(null);
    setBusy(true);
    try {
      const doc = await api<{ calls: unknown[] }>('POST', '/data/export', sel);
      const name = exportFileName(sel);
      saveJson(doc, name);
      setDownloaded(t('dataDownloaded', { file: name, n: doc.calls.length }));
    } catch (x) {
      setError((x as Error).message);
    } finally {
      setBusy(false);
    }
  }

  /** Erases exactly the calls listed (by id, so a call stored since the lookup is not erased unseen), then looks again. */
  async function erase() {
    if (!sel || !calls?.length) return;
    setError(null);
    setDownloaded(null);
    setBusy(true);
    const total: Erasure = { erased: [], kept: [], rows: {}, filesDeleted: [], filesFailed: [], audioLeft: [] };
    try {
      for (let i = 0; i < calls.length; i += IDS_PER_REQUEST) {
        const callIds = calls.slice(i, i + IDS_PER_REQUEST).map((c) => c.id);
        const r = await api<Erasure>('POST', '/data/erase', { callIds, reason: 'request', confirm: true });
        total.erased.push(...r.erased);
        total.kept.push(...r.kept);
        for (const [k, n] of Object.entries(r.rows)) total.rows[k] = (total.rows[k] ?? 0) + n;
        total.filesDeleted.push(...r.filesDeleted);
        total.filesFailed.push(...r.filesFailed);
        total.audioLeft.push(...r.audioLeft);
        if (r.queueJobsRemoved !== undefined) total.queueJobsRemoved = (total.queueJobsRemoved ?? 0) + r.queueJobsRemoved;
      }
    } catch (x) {
      setError((x as Error).message);
    }
    // what is held now (also after a failed batch: the page never shows erased calls as still there)
    try {
      setCalls((await api<{ calls: SubjectCall[] }>('POST', '/data/find', sel)).calls);
    } catch (x) {
      setError((x as Error).message);
    }
    if (total.erased.length || total.kept.length || total.filesFailed.length) {
      setErasure(total);
      requestAnimationFrame(() => erasedRef.current?.focus());
    }
    setBusy(false);
  }

  return (
    <div class="page data-page">
      <div class="page-head">
        <h1>{t('dataTitle')}</h1>
      </div>
      <p class="muted intro">{t('dataIntro')}</p>
      <FilterBar class="card filters data-find" label={t('dataFind')} submit={t('dataFind')} busy={busy} onSubmit={() => void find()}>
        <label>
          {t('dataCustomerId')}
          <input name="customerId" value={customer} onInput={(e) => setCustomer(e.currentTarget.value)} autoComplete="off" spellcheck={false} maxLength={200} size={22} autoFocus />
        </label>
        <label class="grow">
          {t('dataCallIds')}
          <input name="callIds" value={ids} onInput={(e) => setIds(e.currentTarget.value)} autoComplete="off" spellcheck={false} />
        </label>
      </FilterBar>
      <ErrorLine error={error} />
      {sel && calls && (
        <section class="data-found" aria-labelledby="data-found-title">
          <div class="page-head">
            <h2 id="data-found-title" tabIndex={-1} ref={foundRef}>
              {calls.length === 0
                ? sel.customerId
                  ? t('dataNoneFor', { customer: sel.customerId })
                  : t('dataNoneIds')
                : sel.customerId
                  ? t('dataFoundFor', { n: calls.length, customer: sel.customerId })
                  : t('dataFoundIds', { n: calls.length })}
            </h2>
            {calls.length > 0 && (
              <button type="button" class="download" onClick={() => void download()} disabled={busy}>
                {t('dataDownload')}
              </button>
            )}
          </div>
          {downloaded && (
            <p class="notice-inline" role="status">
              {downloaded}
            </p>
          )}
          {calls.length > 0 && (
            <>
              <table class="grid data-calls">
                <TableHead
                  columns={[t('colDate'), t('dataColFile'), t('colAgent'), t('dataColCustomer'), numCol(t('colDuration')), t('dataColReview'), numCol(t('dataColDisputes'))]}
                />
                <tbody>
                  {calls.map((c) => (
                    <tr>
                      <td class="nowrap">{c.callDate}</td>
                      <td class="wrap" title={c.id}>
                        {c.fileName}
                      </td>
                      <td>{c.agentId ?? '—'}</td>
                      <td>{c.customerId ?? '—'}</td>
                      <td class="num">{c.durationSec == null ? '—' : clock(c.durationSec)}</td>
                      <td>
                        {c.reviewState ? (
                          <span class={`state st-${c.reviewState}`}>{t(c.reviewState === 'completed' ? 'statusCompleted' : 'statusInProgress')}</span>
                        ) : (
                          <span class="muted">{t('statusUnreviewed')}</span>
                        )}
                      </td>
                      <td class="num">{c.openDisputes > 0 ? <span class="state dispute-open">{c.openDisputes}</span> : 0}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <EraseBox key={calls.map((c) => c.id).join()} sel={sel} n={calls.length} busy={busy} onErase={() => void erase()} />
            </>
          )}
        </section>
      )}
      {erasure && <ErasureResult r={erasure} headingRef={erasedRef} />}
    </div>
  );
}

function EraseBox({ sel, n, busy, onErase }: { sel: Selector; n: number; busy: boolean; onErase: () => void }) {
  const [typed, setTyped] = useState('');
  const expected = sel.customerId ?? String(n);
  const ok = typed.trim() === expected;
  return (
    <section class="card erase-box" aria-labelledby="erase-title">
      <h2 id="erase-title">{t('dataEraseTitle')}</h2>
      <p class="erase-warn" id="erase-warn">
        {t('dataEraseWarn', { n })}
      </p>
      <p class="erase-warn" id="erase-audio">
        {t('dataEraseAudio')}
      </p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (ok && !busy) onErase();
        }}
      >
        <label>
          {sel.customerId ? t('dataConfirmCustomer', { customer: sel.customerId }) : t('dataConfirmCount', { n })}
          <input name="confirm" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} autoComplete="off" spellcheck={false} aria-describedby="erase-warn erase-audio" size={24} />
        </label>
        <button type="submit" class="danger" disabled={!ok || busy}>
          {busy ? t('dataErasing') : t('dataErase', { n })}
        </button>
      </form>
    </section>
  );
}

function ErasureResult({ r, headingRef }: { r: Erasure; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const rows = Object.entries(r.rows).filter(([, n]) => n > 0);
  return (
    <section class="card erase-result" aria-labelledby="erased-title">
      <h2 id="erased-title" tabIndex={-1} ref={headingRef}>
        {t('dataErasedTitle')}
      </h2>
      <p class="notice-inline" role="status">
        <span>{t('dataErased', { n: r.erased.length })}</span>
        <span>{t('dataFilesDeleted', { n: r.filesDeleted.length })}</span>
        {r.queueJobsRemoved !== undefined && <span>{t('dataQueueJobs', { n: r.queueJobsRemoved })}</span>}
      </p>
      {r.kept.length > 0 && (
        <>
          <h3>{t('dataKept')}</h3>
          <ul class="erase-list kept">
            {r.kept.map((k) => (
              <li>
                {k.call.fileName} ({k.call.callDate}): {k.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {r.filesFailed.length > 0 && (
        <>
          <h3 class="bad">{t('dataFilesFailed')}</h3>
          <ul class="erase-list failed">
            {r.filesFailed.map((f) => (
              <li>
                <code>{f.path}</code>: {f.error}
              </li>
            ))}
          </ul>
        </>
      )}
      {r.audioLeft.length > 0 && (
        <>
          <h3>{t('dataAudioLeft')}</h3>
          <ul class="erase-list audio-left">
            {r.audioLeft.map((p) => (
              <li>
                <code>{p}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      {rows.length > 0 && (
        <table class="grid erase-rows">
          <caption>{t('dataRows')}</caption>
          <TableHead columns={[t('dataTable'), numCol(t('dataCount'))]} />
          <tbody>
            {rows.map(([table, n]) => (
              <tr data-table={table}>
                <td title={table}>{tMaybe(`dataRow_${table}`, table)}</td>
                <td class="num">{n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
