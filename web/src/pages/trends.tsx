import { useEffect, useMemo, useState } from 'preact/hooks';
import { clock, num } from '../format';
import { t, tMaybe } from '../i18n';
import { hrefWith, routeQuery } from '../router';
import { ErrorLine, FilterBar, numCol, TableHead, TextFilter, useRouteForm } from '../components/filters';
import { loadFigures, loadTrends, seriesCsv, type QaFigure, type TrendParams, type Trends, type TrendSeries } from '../search-api';
import { SERIES_COLORS, TrendChart } from '../components/trend-chart';
import './search.css';

/**
 * Trends for supervisors and admins (docs/search.md): calls per period (bars), the rate per 100 calls of the
 * most frequent events and lexicon entries (lines; rows of the table toggle them), emerging customer phrases and
 * the QA figures by team, for the same periods. The series export as CSV.
 */

const TOP = 5;

/** "event:banned_phrase" -> "Banned phrase"; a lexicon entry -> its first phrase in quotes (“不清楚”), told apart from event names; its id when the server has no label. */
export function seriesLabel(s: Pick<TrendSeries, 'key' | 'label'>): string {
  if (s.key.startsWith('event:')) {
    const type = s.key.slice(6);
    return tMaybe(`evt_${type}`, type.replaceAll('_', ' '));
  }
  return s.label ? `“${s.label}”` : s.key.replace(/^lexicon:/, '');
}

/** A period start (YYYY-MM-DD) as a short label: months "2026-11", days and weeks "11-23". */
export function periodLabel(p: string, by: Trends['by']): string {
  return by === 'month' ? p.slice(0, 7) : p.slice(5);
}

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);

export function TrendsPage() {
  // The choice is in the route (#/trends?by=month&periods=6), so Back from a phrase's search or a call returns to it.
  const q = routeQuery.value;
  const by = q.get('by');
  const params: TrendParams = {
    by: by === 'day' || by === 'month' ? by : 'week',
    periods: Math.max(2, Math.min(52, Number(q.get('periods')) || 8)),
    team: q.get('team') ?? '',
    agentId: q.get('agentId') ?? '',
  };
  const { form, setForm, field, apply } = useRouteForm(params, 'trends');
  const [data, setData] = useState<Trends | null>(null);
  const [figures, setFigures] = useState<{ passScorePct: number; figures: QaFigure[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string[] | null>(null);

  useEffect(() => {
    let stale = false;
    setError(null);
    loadTrends(params)
      .then(async (tr) => {
        if (stale) return;
        setData(tr);
        setChosen(null);
        const f = await loadFigures(params, tr.periods[0]);
        if (!stale) setFigures(f);
      })
      .catch((e: Error) => !stale && setError(e.message));
    return () => {
      stale = true;
    };
  }, [params.by, params.periods, params.team, params.agentId]);

  const ranked = useMemo(() => (data ? [...data.series].filter((s) => s.total > 0).sort((a, b) => b.total - a.total || a.key.localeCompare(b.key)) : []), [data]);
  const shown = chosen ?? ranked.slice(0, TOP).map((s) => s.key);
  const colorOf = (key: string) => SERIES_COLORS[shown.indexOf(key) % SERIES_COLORS.length];
  const labels = data ? data.periods.map((p) => periodLabel(p, data.by)) : [];

  function toggle(key: string) {
    setChosen(shown.includes(key) ? shown.filter((k) => k !== key) : [...shown, key].slice(-SERIES_COLORS.length));
  }

  function exportCsv() {
    if (!data) return;
    const blob = new Blob([seriesCsv(data)], { type: 'text/csv;charset=utf-8' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `callqa-trends-${data.by}.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  const hasCalls = !!data && data.volume.some((v) => v.calls > 0);
  const shownSeries = shown.map((k) => ranked.find((s) => s.key === k)).filter((s): s is TrendSeries => !!s);

  return (
    <div class="page trends-page">
      <div class="page-head">
        <h1>{t('trendsTitle')}</h1>
        <span class="spacer" />
        {data && hasCalls && <button onClick={exportCsv}>⤓ {t('trendsExport')}</button>}
      </div>
      <FilterBar class="filters" submit={t('trendsApply')} onSubmit={() => apply()}>
        <label>
          {t('trendsBy')}
          <select
            name="by"
            value={form.by}
            onChange={(e) => {
              const next = { ...form, by: e.currentTarget.value as TrendParams['by'] };
              setForm(next);
              apply(next);
            }}
          >
            {(['day', 'week', 'month'] as const).map((b) => (
              <option value={b}>{t(`by_${b}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('trendsPeriods')}
          <input
            name="periods"
            type="number"
            min={2}
            max={52}
            value={form.periods}
            onChange={(e) => setForm({ ...form, periods: Math.max(2, Math.min(52, Number(e.currentTarget.value) || 8)) })}
            style={{ width: '5em' }}
          />
        </label>
        <TextFilter label={t('filterTeam')} name="team" value={form.team} onInput={field('team')} size={8} />
        <TextFilter label={t('filterAgent')} name="agentId" value={form.agentId} onInput={field('agentId')} size={8} />
      </FilterBar>
      <ErrorLine error={error} />
      {!data && !error && <p class="empty">{t('loading')}</p>}
      {data && !hasCalls && <p class="empty">{t('trendsNoData')}</p>}
      {data && (
        <div class="trends-grid">
          <section class="chart-card rate-chart">
            <h2>{t('trendsRateChart', { n: shownSeries.length })}</h2>
            <TrendChart
              type="line"
              label={t('trendsRateChart', { n: shownSeries.length })}
              labels={labels}
              series={shownSeries.map((s) => ({ label: seriesLabel(s), values: s.rate, color: colorOf(s.key) }))}
              legend
            />
          </section>
          <section class="chart-card volume-chart">
            <h2>{t('trendsVolumeChart')}</h2>
            <TrendChart type="bar" label={t('trendsVolumeChart')} labels={labels} series={[{ label: t('figCalls'), values: data.volume.map((v) => v.calls), color: '#3b6fd8' }]} legend={false} />
          </section>
        </div>
      )}
      {data && ranked.length > 0 && (
        <>
          <div class="section-head">
            <h2>{t('trendsSeries')}</h2>
            <span class="muted small">{t('trendsSeriesNote')}</span>
          </div>
          <div class="series-scroll">
            <table class="grid series">
              <TableHead columns={[t('trendsKey'), numCol(t('trendsTotal')), numCol(t('trendsLastRate')), numCol(t('trendsPerHour')), numCol(t('trendsChange'))]} />
              <tbody>
                {ranked.map((s) => {
                  const last = s.points[s.points.length - 1];
                  const on = shown.includes(s.key);
                  return (
                    <tr class={on ? '' : 'off'} onClick={() => toggle(s.key)}>
                      <td>
                        <label class="check">
                          <input type="checkbox" checked={on} onChange={() => toggle(s.key)} onClick={(e) => e.stopPropagation()} aria-label={`${seriesLabel(s)}: ${t('inChart')}`} />
                          {on && <span class="swatch" style={{ background: colorOf(s.key) }} aria-hidden="true" />}
                          <span title={s.key}>{seriesLabel(s)}</span>
                        </label>
                      </td>
                      <td class="num">{s.total}</td>
                      <td class="num">{num(last?.per100Calls ?? null)}</td>
                      <td class="num">{num(last?.perTalkHour ?? null)}</td>
                      <td class={`num ${last?.change && last.change > 0 ? 'up' : last?.change && last.change < 0 ? 'down' : ''}`}>
                        {last?.change === null || last?.change === undefined ? '—' : `${last.change > 0 ? '▲ +' : last.change < 0 ? '▼ ' : ''}${num(last.change)}`}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {data && (
        <>
          <div class="section-head">
            <h2>{t('emergingTitle')}</h2>
          </div>
          <p class="muted small">{t('emergingNote')}</p>
          {data.emerging.length === 0 ? (
            <p class="empty">{t('emergingNone')}</p>
          ) : (
            <table class="grid emerging">
              <TableHead
                columns={[t('emergingPhrase'), numCol(t('emergingNow')), numCol(t('emergingBefore')), numCol(t('emergingScore')), numCol(t('emergingRatio')), t('emergingExamples')]}
              />
              <tbody>
                {data.emerging.map((e) => (
                  <tr>
                    <td>
                      <a href={hrefWith({ q: e.phrase, speaker: 'customer' }, 'search')}>{e.phrase}</a>
                    </td>
                    <td class="num">{e.countNow}</td>
                    <td class="num">{e.countBefore}</td>
                    <td class="num">{num(e.score)}</td>
                    <td class="num">×{num(2 ** e.logRatio)}</td>
                    <td>
                      {e.exampleCallIds.slice(0, 3).map((id, i) => (
                        <a href={hrefWith({}, 'call', id)} class="example">
                          {i > 0 ? ' · ' : ''}#{i + 1}
                        </a>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {figures && <Figures figures={figures.figures} passScorePct={figures.passScorePct} by={data?.by ?? 'week'} />}
    </div>
  );
}

function Figures({ figures, passScorePct, by }: { figures: QaFigure[]; passScorePct: number; by: Trends['by'] }) {
  const rows = [...figures].sort((a, b) => b.period.localeCompare(a.period) || a.key.localeCompare(b.key));
  return (
    <>
      <div class="section-head">
        <h2>{t('figuresTitle')}</h2>
      </div>
      <p class="muted small">{t('figuresNote', { pct: passScorePct })}</p>
      {rows.length === 0 ? (
        <p class="empty">{t('figuresNone')}</p>
      ) : (
        <div class="table-scroll">
          <table class="grid figures">
            <TableHead
              columns={[
                t('figTeam'),
                t('figPeriod'),
                ...(['figCalls', 'figReviewed', 'figPassRate', 'figAvgFinal', 'figFatalRate', 'figAht', 'figTalk', 'figSilence', 'figHold', 'figRepeat'] as const).map((k) => numCol(t(k))),
              ]}
            />
            <tbody>
              {rows.map((f) => (
                <tr>
                  <td>{f.key === '(no team)' ? t('noTeam') : f.key}</td>
                  <td>{periodLabel(f.period, by)}</td>
                  <td class="num">{f.calls}</td>
                  <td class="num">{f.reviewed}</td>
                  <td class="num">{pct(f.passRate)}</td>
                  <td class="num">{num(f.avgFinal)}</td>
                  <td class="num">{pct(f.fatalRate)}</td>
                  <td class="num">{f.avgHandlingSec === null ? '—' : clock(f.avgHandlingSec)}</td>
                  <td class="num">{pct(f.talkShare)}</td>
                  <td class="num">{pct(f.silenceShare)}</td>
                  <td class="num">{pct(f.holdShare)}</td>
                  <td class="num">{pct(f.repeatContactRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
