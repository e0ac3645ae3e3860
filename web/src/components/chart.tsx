import { useEffect, useRef } from 'preact/hooks';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

// Only the pieces the small charts use are registered (tree-shaken bundle).
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip);

/** A small chart with an accessible text label; Chart.js draws it on a canvas of fixed height (no layout jump). */
export function SmallChart(props: { type: 'bar' | 'line'; labels: string[]; values: number[]; max?: number; label: string; height?: number; color?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = new Chart(ref.current, {
      type: props.type,
      data: {
        labels: props.labels,
        datasets: [{ label: props.label, data: props.values, backgroundColor: props.color ?? '#3b6fd8', borderColor: props.color ?? '#3b6fd8', tension: 0.2 }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, max: props.max } },
      },
    });
    return () => chart.destroy();
  }, [props.type, props.labels.join('\u0000'), props.values.join(','), props.max, props.label]);
  return (
    <div class="chart" style={{ height: `${props.height ?? 140}px` }}>
      <canvas ref={ref} role="img" aria-label={`${props.label}: ${props.labels.map((l, i) => `${l} ${props.values[i]}`).join(', ')}`} />
    </div>
  );
}
