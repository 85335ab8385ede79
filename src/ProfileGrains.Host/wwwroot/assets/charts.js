// Small accessible charts: bars and heat cells are plain elements with their figures as text, so screen readers and
// tests read the numbers, not pixels.
import { el, formatNumber } from './dom.js';

/** Horizontal bars: one row per {label, customers}. */
export function bars(title, tallies, { total } = {}) {
  const sum = total ?? tallies.reduce((s, t) => s + Number(t.customers), 0);
  const max = Math.max(1, ...tallies.map((t) => Number(t.customers)));
  return el('figure', { class: 'chart' },
    el('figcaption', {}, title),
    el('ul', { class: 'bars' }, tallies.map((t) => {
      const share = sum ? Math.round((100 * Number(t.customers)) / sum) : 0;
      return el('li', { dataset: { label: t.label } },
        el('span', { class: 'bar-label' }, t.label),
        el('span', { class: 'bar-track', 'aria-hidden': 'true' },
          el('span', { class: 'bar-fill', style: `width:${(100 * Number(t.customers)) / max}%` })),
        el('span', { class: 'bar-value' }, `${formatNumber(t.customers)} (${share} %)`));
    })));
}

/** The RFM grid: recency down, frequency across, darker where more customers are. */
export function rfmGrid(cells) {
  const max = Math.max(1, ...cells.map((c) => Number(c.customers)));
  const at = (r, f) => cells.find((c) => c.recency === r && c.frequency === f)?.customers ?? 0;
  const rows = [5, 4, 3, 2, 1].map((r) => el('tr', {},
    el('th', { scope: 'row' }, `R${r}`),
    [1, 2, 3, 4, 5].map((f) => {
      const n = Number(at(r, f));
      const level = n === 0 ? 0 : Math.ceil((4 * n) / max);
      return el('td', { class: `heat heat-${level}`, title: `recency ${r}, frequency ${f}: ${n} customers` }, formatNumber(n));
    })));
  return el('figure', { class: 'chart' },
    el('figcaption', {}, 'RFM grid (customers by recency and frequency score)'),
    el('table', { class: 'rfm', 'aria-label': 'RFM grid' },
      el('thead', {}, el('tr', {}, el('td'), [1, 2, 3, 4, 5].map((f) => el('th', { scope: 'col' }, `F${f}`)))),
      el('tbody', {}, rows)));
}
