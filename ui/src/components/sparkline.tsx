/**
 * A VM's CPU or instruction rate over the last minute, drawn by uPlot. The chart exists only while
 * the row is on screen (IntersectionObserver), so 500 rows cost 500 cheap placeholders; new samples
 * redraw the chart without re-rendering the row. The latest value is also text, for screen readers.
 * The box has a fixed size and `contain: strict`, so a redraw never lays the table out again.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { onSample, rate, seriesOf } from '../state/stats.js';

type Metric = 'cpu' | 'ips';

const COLOURS: Record<Metric, string> = { cpu: '#2f6fb3', ips: '#4c9a2a' };
const text = (metric: Metric, v: number | undefined) => (v === undefined ? '–' : metric === 'cpu' ? `${v.toFixed(1)} %` : rate(v));

function options(metric: Metric): uPlot.Options {
  return {
    width: 82,
    height: 20,
    pxAlign: 0,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    axes: [{ show: false }, { show: false }],
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(max, metric === 'cpu' ? 5 : 1)] } },
    series: [{}, { stroke: COLOURS[metric], fill: `${COLOURS[metric]}33`, width: 1, points: { show: false } }],
    padding: [2, 0, 1, 0],
  };
}

/** One observer for every chart on the page. */
const watched = new Map<Element, (visible: boolean) => void>();
let observer: IntersectionObserver | null = null;

function watch(el: Element, onChange: (visible: boolean) => void): () => void {
  observer ??= new IntersectionObserver((entries) => entries.forEach((e) => watched.get(e.target)?.(e.isIntersecting)));
  watched.set(el, onChange);
  observer.observe(el);
  return () => {
    watched.delete(el);
    observer?.unobserve(el);
  };
}

export function Sparkline({ name, metric, label }: { name: string; metric: Metric; label: string }) {
  const chartRef = useRef<HTMLDivElement>(null);
  const valueRef = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const el = chartRef.current!;
    let plot: uPlot | null = null;
    let visible = false;
    const draw = () => {
      if (!visible) return; // off screen: nothing to draw, and no layout to invalidate
      const s = seriesOf(name);
      if (valueRef.current) valueRef.current.textContent = text(metric, s?.[metric].at(-1));
      const data: uPlot.AlignedData = s ? [s.t, s[metric]] : [[], []];
      if (plot) plot.setData(data);
      else if (s && s.t.length > 1) plot = new uPlot(options(metric), data, el);
    };
    const unwatch = watch(el, (now) => {
      visible = now;
      if (visible) draw();
      else {
        plot?.destroy();
        plot = null;
      }
    });
    const off = onSample(name, draw);
    draw();
    return () => {
      off();
      unwatch();
      plot?.destroy();
    };
  }, [name, metric]);
  return (
    <span class="spark">
      <span class="spark-chart" ref={chartRef} aria-hidden="true" />
      <span class="sr-only">{label}: </span>
      <span class="spark-value" ref={valueRef}>
        –
      </span>
    </span>
  );
}
