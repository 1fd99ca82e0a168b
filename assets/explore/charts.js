// The page's two charts: a line chart over years (uPlot, on a canvas) and horizontal bars
// with shares (SVG drawn here: a few rectangles need no library). Each chart states how
// many data points it drew in `data-points`, which the browser check reads.
import uPlot from './vendor/uPlot.esm.js';
import { el, usd, pct } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';

/**
 * Years on x, one line per series (null: no figure that year, drawn as a gap; a lone
 * figure is drawn as a point). `series`: [{ label, values, stroke, dash }].
 */
export function lineChart(container, years, series, title) {
  container.replaceChildren();
  const points = series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
  container.dataset.points = String(points);
  container.setAttribute('role', 'img');
  container.setAttribute('aria-label', `${title}: line chart of ${series.map((s) => s.label).join(', ')} by year; the figures are in the table below`);
  const width = Math.max(320, Math.min(container.clientWidth || 720, 900));
  const opts = {
    title,
    width,
    height: 280,
    // Whole years on x; y from zero (or below, for a deficit), so that bars of growth are
    // not exaggerated by a cut axis.
    scales: {
      x: { time: false, range: (u, min, max) => [min - 0.5, max + 0.5] },
      y: { range: (u, min, max) => [Math.min(0, min) * 1.1, Math.max(0, max) * 1.1 || 1] },
    },
    axes: [
      { incrs: [1, 2, 5, 10, 20], values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) },
      { size: 110, values: (u, ticks) => ticks.map((t) => usd(t)) },
    ],
    series: [
      { label: 'Year', value: (u, v) => (v === null ? '—' : String(v)) },
      ...series.map((s) => ({
        label: s.label,
        stroke: s.stroke,
        dash: s.dash,
        width: 2,
        spanGaps: false,
        points: { show: true, size: 8, fill: s.stroke },
        value: (u, v) => usd(v),
      })),
    ],
  };
  const chart = new uPlot(opts, [years, ...series.map((s) => s.values)], container);
  return chart;
}

/** Horizontal bars, one per row: { label, value, share }; bar length is the share. */
export function barChart(container, rows, title) {
  container.replaceChildren();
  container.dataset.points = String(rows.length);
  const rowH = 26;
  const labelW = 170;
  const barW = 420;
  const height = rows.length * rowH + 8;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${labelW + barW + 180} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${title}: bar chart; the figures are in the table below`);
  const max = Math.max(...rows.map((r) => r.share ?? 0), 0.0001);
  rows.forEach((r, i) => {
    const y = i * rowH + 4;
    const g = document.createElementNS(SVG, 'g');
    const t = document.createElementNS(SVG, 'title');
    t.textContent = `${r.label}: ${usd(r.value)}, ${pct(r.share)}`;
    const label = document.createElementNS(SVG, 'text');
    label.setAttribute('x', String(labelW - 8));
    label.setAttribute('y', String(y + 16));
    label.setAttribute('text-anchor', 'end');
    label.textContent = r.label;
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('x', String(labelW));
    rect.setAttribute('y', String(y));
    rect.setAttribute('height', String(rowH - 6));
    rect.setAttribute('width', String(Math.max(1, ((r.share ?? 0) / max) * barW)));
    rect.setAttribute('class', 'bar');
    const value = document.createElementNS(SVG, 'text');
    value.setAttribute('x', String(labelW + ((r.share ?? 0) / max) * barW + 6));
    value.setAttribute('y', String(y + 16));
    value.textContent = `${pct(r.share)} · ${usd(r.value)}`;
    g.append(t, label, rect, value);
    svg.append(g);
  });
  container.append(el('p', { class: 'chart-title' }, title), svg);
}
