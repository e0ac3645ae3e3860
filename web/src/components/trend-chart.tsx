import { useEffect, useRef } from 'preact/hooks';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

/** Distinct on white (AA for lines 2px+) and in grey scale, for up to 8 series. */
export const SERIES_COLORS = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#b45309', '#0e7490', '#be185d', '#4b5563'];

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
}

/**
 * A line or bar chart of several series over the same labels (Chart.js on a canvas of fixed height, so nothing
 * moves when it draws), with a text label for screen readers naming every value.
 */
export function TrendChart(props: { type: 'line' | 'bar'; labels: string[]; series: ChartSeries[]; label: string; yTitle?: string; legend?: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const sig = JSON.stringify([props.type, props.labels, props.series, props.yTitle, props.legend]);
  useEffect(() => {
    if (!ref.current) return;
    const chart = new Chart(ref.current, {
      type: props.type,
      data: {
        labels: props.labels,
        datasets: props.series.map((s) => ({
          label: s.label,
          data: s.values,
          borderColor: s.color,
          backgroundColor: props.type === 'bar' ? s.color : s.color,
          borderWidth: 2,
          pointRadius: 3,
          tension: 0.15,
          spanGaps: false,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { display: props.legend ?? props.series.length > 1, position: 'bottom', labels: { boxWidth: 12, color: '#111827' } },
        },
        scales: {
          x: { ticks: { color: '#374151' }, grid: { display: false } },
          y: { beginAtZero: true, ticks: { color: '#374151', precision: 0 }, title: props.yTitle ? { display: true, text: props.yTitle, color: '#374151' } : undefined },
        },
      },
    });
    return () => chart.destroy();
  }, [sig]);
  const described = props.series.map((s) => `${s.label}: ${props.labels.map((l, i) => `${l} ${s.values[i] ?? '—'}`).join(', ')}`).join('; ');
  return (
    <div class="chart-box">
      <canvas ref={ref} role="img" aria-label={`${props.label}. ${described}`} />
    </div>
  );
}
