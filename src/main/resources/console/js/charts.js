// Bar charts drawn as SVG, each with the same figures as a table for screen readers.
import { h } from './dom.js';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 12, right: 12, bottom: 36, left: 44 };

/** A round axis maximum at or above `max`; at least 4, so small counts get whole-number ticks. */
function niceMax(max) {
  if (max <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= max) return step * power;
  }
  return 10 * power;
}

/**
 * barChart({title, labels, series: [{name, key, values}], stacked}) → <figure>.
 * Stacked bars share one column per label; grouped bars sit side by side.
 */
export function barChart({ title, labels, series, stacked = false, labelEvery }) {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + s.values[i], 0));
  const peak = stacked ? Math.max(0, ...totals)
    : Math.max(0, ...series.flatMap((s) => s.values));
  const top = niceMax(peak);
  const y = (v) => PAD.top + plotH - (v / top) * plotH;
  const slot = plotW / Math.max(1, labels.length);
  const barW = Math.max(1, (stacked ? slot * 0.7 : (slot * 0.8) / series.length));
  const every = labelEvery || Math.max(1, Math.ceil(labels.length / 12));

  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = top * f;
    return h('g', { class: 'grid' },
      h('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(v), y2: y(v) }),
      h('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', text: formatTick(v) }));
  });

  const bars = labels.map((label, i) => {
    const x0 = PAD.left + i * slot + (slot - (stacked ? barW : barW * series.length)) / 2;
    let base = 0;
    return h('g', {}, series.map((s, j) => {
      const v = s.values[i];
      if (!v) return null;
      const x = stacked ? x0 : x0 + j * barW;
      const from = stacked ? base : 0;
      if (stacked) base += v;
      return h('rect', {
        class: `bar bar-${s.key}`, x, width: barW, y: y(from + v), height: y(from) - y(from + v),
      }, h('title', { text: `${label}: ${v} ${s.name}` }));
    }));
  });

  const ticks = labels.map((label, i) => (i % every === 0
    ? h('text', {
      class: 'tick', x: PAD.left + i * slot + slot / 2, y: HEIGHT - PAD.bottom + 16,
      'text-anchor': 'middle', text: label,
    })
    : null));

  const svg = h('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': `${title} (chart; the figures are in the table below it)`,
    class: 'chart', preserveAspectRatio: 'xMidYMid meet',
  }, grid, bars, ticks,
  h('line', { class: 'axis', x1: PAD.left, x2: WIDTH - PAD.right, y1: y(0), y2: y(0) }));

  const legend = h('ul', { class: 'legend' }, series.map((s) => h('li', {},
    h('span', { class: `swatch bar-${s.key}`, 'aria-hidden': 'true' }), s.name)));

  const data = h('details', { class: 'chart-data' },
    h('summary', { text: 'Figures' }),
    h('table', {},
      h('caption', { class: 'visually-hidden', text: title }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: '' }),
        series.map((s) => h('th', { scope: 'col', text: s.name })))),
      h('tbody', {}, labels.map((label, i) => h('tr', {},
        h('th', { scope: 'row', text: label }),
        series.map((s) => h('td', { text: String(s.values[i]) })))))));

  return h('figure', { class: 'chart-figure' }, h('figcaption', { text: title }), svg, legend, data);
}

function formatTick(v) {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}
