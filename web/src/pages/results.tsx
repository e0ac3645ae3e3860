import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { toQueue, type QueueEntry } from '../api-shapes';
import { baseName, clock, dateTime, num } from '../format';
import { t } from '../i18n';
import { go, href } from '../router';
import { SmallChart } from '../components/chart';
import { MyDisputes } from './disputes';

/** The agent's own calls: completed reviews with their final score (open reviews are not shown as results). */
export function ResultsPage() {
  const [calls, setCalls] = useState<QueueEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<unknown>('GET', '/calls?state=completed')
      .then((raw) => setCalls(toQueue(raw).entries))
      .catch((e: Error) => setError(e.message));
  }, []);
  const done = (calls ?? []).filter((c) => c.state === 'completed');
  const chronological = [...done].reverse();
  return (
    <div class="page">
      <h1>{t('myResults')}</h1>
      {error && <p class="form-error" role="alert">{t('error')}: {error}</p>}
      {!calls && !error && <p class="empty">{t('loading')}</p>}
      {calls && done.length === 0 && <p class="empty">{t('noResults')}</p>}
      {done.length > 1 && (
        <SmallChart type="line" label={t('myResults')} labels={chronological.map((c) => baseName(c.fileName))} values={chronological.map((c) => c.finalTotal ?? 0)} max={Math.max(...done.map((c) => c.maxTotal ?? 100))} height={120} />
      )}
      {done.length > 0 && (
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{t('colCall')}</th>
              <th scope="col">{t('colDate')}</th>
              <th scope="col" class="num">{t('colDuration')}</th>
              <th scope="col" class="num">{t('final')}</th>
            </tr>
          </thead>
          <tbody>
            {done.map((c) => (
              <tr onClick={() => go('call', c.id)}>
                <td><a href={href('call', c.id)} title={c.fileName}>{baseName(c.fileName)}</a></td>
                <td>{dateTime(c.date)}</td>
                <td class="num">{c.durationSec !== null ? clock(c.durationSec) : '—'}</td>
                <td class="num">{num(c.finalTotal)}{c.maxTotal !== null ? ` / ${num(c.maxTotal)}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('myDisputes')}</h2>
      <MyDisputes />
    </div>
  );
}
