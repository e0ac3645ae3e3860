import { useEffect, useState } from 'preact/hooks';
import { api, currentUser } from '../api';
import { toQueue, type Inspector, type QueueEntry } from '../api-shapes';
import { baseName, dateTime, localTitle, num } from '../format';
import { t, type MessageKey } from '../i18n';
import { go, href, route } from '../router';
import { SmallChart } from '../components/chart';
import type { CalibrationView } from '../../../src/review/calibration-view';

/**
 * Calibration (002 监控人员的再确认): a supervisor puts calls and inspectors into a session; each inspector scores the
 * items blind; when the supervisor closes it, everyone's agreement with the benchmark is shown.
 */

/** The session as the API answers it: the server's own type (src/review/calibration-view.ts). */
type Session = CalibrationView;
interface SessionRow {
  id: string;
  title: string;
  status: 'open' | 'closed';
  benchmark: string;
  createdAt: string;
  calls: number;
  members: number;
}

export function CalibrationPage() {
  const id = route.value[1];
  return id ? <SessionView id={id} key={id} /> : <SessionList />;
}

function SessionList() {
  const [rows, setRows] = useState<SessionRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    api<{ sessions: SessionRow[] }>('GET', '/calibrations')
      .then((r) => setRows(r.sessions))
      .catch((e: Error) => setError(e.message));
  }, []);
  const supervisor = currentUser.value?.role === 'supervisor';
  return (
    <div class="page">
      <div class="page-head">
        <h1>{t('calibrationSessions')}</h1>
        {supervisor && !creating && (
          <button class="primary" onClick={() => setCreating(true)}>
            {t('newSession')}
          </button>
        )}
      </div>
      {creating && <NewSession onCancel={() => setCreating(false)} />}
      {error && (
        <p class="form-error" role="alert">
          {t('error')}: {error}
        </p>
      )}
      {!rows && !error && <p class="empty">{t('loading')}</p>}
      {rows && rows.length === 0 && <p class="empty">{t('noSessions')}</p>}
      {rows && rows.length > 0 && (
        <table class="grid sessions">
          <thead>
            <tr>
              <th scope="col">{t('sessionTitle')}</th>
              <th scope="col">{t('colStatus')}</th>
              <th scope="col">{t('benchmark')}</th>
              <th scope="col" class="num">{t('colCall')}</th>
              <th scope="col" class="num">{t('members')}</th>
              <th scope="col">{t('colDate')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr onClick={() => go('calibration', s.id)}>
                <td>
                  <a href={href('calibration', s.id)}>{s.title}</a>
                </td>
                <td>
                  <span class={`state ${s.status === 'open' ? 'st-in_progress' : 'st-completed'}`}>{t(s.status === 'open' ? 'sessionOpen' : 'sessionClosed')}</span>
                </td>
                <td>{t(`benchmark_${s.benchmark}` as MessageKey)}</td>
                <td class="num">{s.calls}</td>
                <td class="num">{s.members}</td>
                <td>{dateTime(s.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function NewSession({ onCancel }: { onCancel: () => void }) {
  const [calls, setCalls] = useState<QueueEntry[]>([]);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [title, setTitle] = useState('');
  // the inspectors the supervisor may pick, as the assignment page offers them (never a typed name: a typo named nobody)
  const [inspectors, setInspectors] = useState<Inspector[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [benchmark, setBenchmark] = useState<'supervisor' | 'consensus'>('supervisor');
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    api<unknown>('GET', '/calls?limit=100')
      .then((raw) => setCalls(toQueue(raw).entries))
      .catch((e: Error) => setErr(e.message));
    api<{ inspectors: Inspector[] }>('GET', '/inspectors')
      .then((r) => setInspectors(r.inspectors))
      .catch((e: Error) => setErr(e.message));
  }, []);
  // a consensus needs two scorers besides the supervisor (the API says so too)
  const enough = chosen.size >= (benchmark === 'consensus' ? 2 : 1);
  async function submit(e: Event) {
    e.preventDefault();
    try {
      const s = await api<{ id: string }>('POST', '/calibrations', { title: title.trim(), callIds: [...picked], inspectors: [...chosen], benchmark });
      go('calibration', s.id);
    } catch (x) {
      setErr((x as Error).message);
    }
  }
  return (
    <form class="card new-session" onSubmit={submit}>
      <label>
        {t('sessionTitle')}
        <input value={title} onInput={(e) => setTitle(e.currentTarget.value)} required />
      </label>
      <fieldset class="pick-inspectors">
        <legend>{t('inspectorsField')}</legend>
        {!inspectors && !err && <span class="muted">{t('loading')}</span>}
        {inspectors && inspectors.length === 0 && <span class="muted">{t('noInspectors')}</span>}
        {(inspectors ?? []).map((i) => (
          <label class="check">
            <input
              type="checkbox"
              name="inspector"
              value={i.username}
              checked={chosen.has(i.username)}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.currentTarget.checked) next.add(i.username);
                else next.delete(i.username);
                setChosen(next);
              }}
            />
            <span>{t('inspectorOption', { name: i.username, team: i.team ?? t('noTeam'), open: i.openCalls })}</span>
          </label>
        ))}
      </fieldset>
      <label>
        {t('benchmark')}
        <select value={benchmark} onChange={(e) => setBenchmark(e.currentTarget.value as 'supervisor' | 'consensus')}>
          <option value="supervisor">{t('benchmark_supervisor')}</option>
          <option value="consensus">{t('benchmark_consensus')}</option>
        </select>
      </label>
      <fieldset class="pick-calls">
        <legend>{t('pickCalls')}</legend>
        {calls.map((c) => (
          <label class="check">
            <input
              type="checkbox"
              checked={picked.has(c.id)}
              onChange={(e) => {
                const next = new Set(picked);
                if (e.currentTarget.checked) next.add(c.id);
                else next.delete(c.id);
                setPicked(next);
              }}
            />
            <span title={c.fileName}>{baseName(c.fileName)}</span> <span class="muted">{c.agentId ?? ''}</span>
          </label>
        ))}
      </fieldset>
      {err && (
        <p class="form-error" role="alert">
          {err}
        </p>
      )}
      <div class="form-actions">
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
        <button type="submit" class="primary" disabled={picked.size === 0 || !enough}>
          {t('save')}
        </button>
      </div>
    </form>
  );
}

function SessionView({ id }: { id: string }) {
  const [s, setS] = useState<Session | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({});
  // said in the UI's language when shown, so a language switch changes it too
  const [notice, setNotice] = useState<{ text: () => string } | null>(null);
  const key = (callId: string, itemId: string) => `${callId}/${itemId}`;
  function take(session: Session) {
    setS(session);
    const d: Record<string, string> = {};
    for (const sc of session.myScores) d[key(sc.callId, sc.itemId)] = String(sc.points);
    setDraft(d);
  }
  useEffect(() => {
    api<Session>('GET', `/calibrations/${encodeURIComponent(id)}`)
      .then(take)
      .catch((e: Error) => setError(e.message));
  }, [id]);
  if (error)
    return (
      <div class="page">
        <p class="form-error" role="alert">
          {t('error')}: {error}
        </p>
      </div>
    );
  if (!s) return <div class="page empty">{t('loading')}</div>;

  async function save(e: Event) {
    e.preventDefault();
    const scores = Object.entries(draft)
      .filter(([, v]) => v.trim() !== '')
      .map(([k, v]) => {
        const [callId, itemId] = k.split('/');
        return { callId, itemId, points: Number(v) };
      });
    try {
      const after = await api<Session>('POST', `/calibrations/${encodeURIComponent(id)}/scores`, { scores });
      take(after);
      const left = after.expectedScores - after.myScores.length;
      setNotice({ text: () => (after.you.submitted ? t('scoresSubmitted') : t('scoresSavedLeft', { n: left })) });
    } catch (x) {
      setNotice({ text: () => `${t('error')}: ${(x as Error).message}` });
    }
  }
  async function close() {
    try {
      take(await api<Session>('POST', `/calibrations/${encodeURIComponent(id)}/close`));
    } catch (x) {
      setNotice({ text: () => `${t('error')}: ${(x as Error).message}` });
    }
  }
  return (
    <div class="page calibration">
      <a href={href('calibration')}>← {t('calibrationSessions')}</a>
      <div class="page-head">
        <h1>{s.title}</h1>
        <span class={`state ${s.status === 'open' ? 'st-in_progress' : 'st-completed'}`}>{t(s.status === 'open' ? 'sessionOpen' : 'sessionClosed')}</span>
        <span class="muted">
          {t('benchmark')}: {t(`benchmark_${s.benchmark}` as MessageKey)}
        </span>
        {s.you.canClose && s.status === 'open' && (
          <button class="primary" onClick={() => void close()}>
            {t('closeSession')}
          </button>
        )}
      </div>
      <p class="muted">
        {t('members')}: {s.members.map((m) => `${m.username} (${m.scored}/${s.expectedScores})`).join(' · ')}
      </p>
      {s.status === 'open' && <p class="blind-note">{t('blindNote')}</p>}
      {s.you.machineHidden && <p class="blind-note machine-hidden">{t('machineHiddenNote')}</p>}
      {notice && (
        <p class="notice-inline" role="status">
          {notice.text()}
        </p>
      )}
      {s.results && <Results s={s} />}
      {!s.you.canScore && !s.you.machineHidden && s.myScores.length > 0 && <Comparison s={s} />}
      {s.you.canScore && s.status === 'open' && (
        <form onSubmit={save} class="calib-form">
          {s.calls.map((c) => (
            <section class="card calib-call">
              <h2>
                <a href={href('call', c.id)} title={c.fileName}>
                  {baseName(c.fileName)}
                </a>
              </h2>
              <table class="grid">
                <tbody>
                  {c.items.map((it) => (
                    <tr>
                      <td>{localTitle(it.title)}</td>
                      <td class="num">
                        <label class="inline">
                          <span class="sr-only">
                            {localTitle(it.title)} {t('points')}
                          </span>
                          <input
                            type="number"
                            step="0.5"
                            min={it.min}
                            max={it.max}
                            value={draft[key(c.id, it.id)] ?? ''}
                            onInput={(e) => setDraft({ ...draft, [key(c.id, it.id)]: e.currentTarget.value })}
                            aria-label={`${localTitle(it.title)} ${t('points')}`}
                          />
                        </label>
                        <span class="muted"> / {num(it.max)}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
          <div class="form-actions">
            <button type="submit" class="primary">
              {t('saveScores')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

/**
 * The scorer's own scores beside the machine's draft, shown once their scores are in (every item scored) or the
 * session is closed: never while they are still scoring (blind).
 */
function Comparison({ s }: { s: Session }) {
  const mine = new Map(s.myScores.map((x) => [`${x.callId}/${x.itemId}`, x.points]));
  let same = 0;
  let compared = 0;
  for (const c of s.calls)
    for (const it of c.items) {
      const p = mine.get(`${c.id}/${it.id}`);
      if (p === undefined || !it.machine || it.machine.points === null) continue;
      compared++;
      if (Math.abs(p - it.machine.points) < 1e-9) same++;
    }
  return (
    <section class="card calib-compare">
      <h2>{t('compareTitle')}</h2>
      <p class="muted">{t('compareSummary', { same, n: compared })}</p>
      {s.calls.map((c) => (
        <section class="calib-call">
          <h3>
            <a href={href('call', c.id)} title={c.fileName}>
              {baseName(c.fileName)}
            </a>
          </h3>
          <table class="grid">
            <thead>
              <tr>
                <th scope="col">{t('colItem')}</th>
                <th scope="col" class="num">{t('yourScore')}</th>
                <th scope="col">{t('machine')}</th>
                <th scope="col" class="num">{t('difference')}</th>
              </tr>
            </thead>
            <tbody>
              {c.items.map((it) => {
                const p = mine.get(`${c.id}/${it.id}`);
                const m = it.machine;
                const diff = p !== undefined && m && m.points !== null ? p - m.points : null;
                return (
                  <tr class={diff !== null && Math.abs(diff) > 1e-9 ? 'differs' : ''}>
                    <td>{localTitle(it.title)}</td>
                    <td class="num">{p === undefined ? '—' : `${num(p)} / ${num(it.max)}`}</td>
                    <td class="machine">
                      {m ? (
                        <>
                          <span class={`badge st-${m.status}`}>{t(`status_${m.status}` as MessageKey)}</span> {m.points === null ? '—' : num(m.points)}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td class="num">{diff === null ? '—' : diff === 0 ? '0' : `${diff > 0 ? '+' : '−'}${num(Math.abs(diff))}`}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      ))}
    </section>
  );
}

function Results({ s }: { s: Session }) {
  const r = s.results!;
  const rows = r.inspectors;
  return (
    <section class="card results">
      <h2>{t('deviation')}</h2>
      <SmallChart type="bar" label={t('deviation')} labels={rows.map((x) => x.inspector)} values={rows.map((x) => Math.round((x.accuracy ?? 0) * 1000) / 10)} max={100} height={120} />
      <table class="grid">
        <thead>
          <tr>
            <th scope="col">{t('inspector')}</th>
            <th scope="col" class="num">{t('accuracy')}</th>
            <th scope="col">{t('bias')}</th>
            <th scope="col" class="num">{t('compared')}</th>
            <th scope="col">{t('colStatus')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((x) => (
            <tr>
              <td>{x.inspector}</td>
              <td class="num">{x.accuracy === null ? '—' : `${num(x.accuracy * 100)}%`}</td>
              <td>{t(`bias_${x.bias}` as MessageKey)}</td>
              <td class="num">{x.compared}</td>
              <td>{x.needsRetraining ? <span class="chip fatal">{t('needsRetraining')}</span> : <span class="state st-completed">{t('passes')}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">{t('passAt', { pct: num(r.passAccuracy * 100) })}</p>
    </section>
  );
}
