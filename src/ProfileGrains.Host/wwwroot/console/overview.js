// The customer base at a glance: activity, RFM grid and segments, value tiers, churn risk, channel mix, consent coverage.
import { get } from '/assets/api.js';
import { el, replace, formatNumber, enumLabel } from '/assets/dom.js';
import { bars, rfmGrid } from '/assets/charts.js';
import { every } from './refresh.js';

const PURPOSES = ['CONSENT_PURPOSE_MARKETING', 'CONSENT_PURPOSE_PERSONALIZATION', 'CONSENT_PURPOSE_PROFILING', 'CONSENT_PURPOSE_PARTNER_SHARING'];

export async function render(view, _args, signal) {
  // Not a live region: the figures are redrawn every ten seconds and would be read out again each time.
  const body = el('div', {}, el('p', { class: 'muted' }, 'Loading the customer base…'));
  view.append(el('h2', {}, 'Overview'), body);
  await every(10_000, signal, async () => {
    const base = await get('/v1/insights/customer-base?sampleSize=2000');
    if (!signal.aborted) replace(body, ...content(base));
  });
}

function card(id, figure, caption) {
  return el('div', { class: 'card', id }, el('span', { class: 'figure' }, figure), el('span', { class: 'caption' }, caption));
}

function content(base) {
  const a = base.activity ?? {};
  const sample = base.exact
    ? `Figures over all ${formatNumber(base.customers)} customers.`
    : `Estimated from a uniform sample of ${formatNumber(base.sampled)} of ${formatNumber(base.customers)} customers.`;
  return [
    el('div', { class: 'cards' },
      card('stat-customers', formatNumber(base.customers), 'customers'),
      card('stat-resident', formatNumber(a.residentCustomers), 'in memory'),
      card('stat-rate', Number(a.eventsPerSecond ?? 0).toFixed(1), 'events / s'),
      card('stat-events', formatNumber(a.eventsIngested), 'events since start'),
      card('stat-merges', formatNumber(a.merges), 'merges'),
      card('stat-quarantined', formatNumber(a.identifiersQuarantined), 'identifiers quarantined')),
    el('p', { class: 'muted', id: 'sample-note' }, sample, ` ${a.silos ?? 0} silo(s) reporting.`),
    el('div', { class: 'grid2' },
      rfmGrid(base.rfmGrid ?? []),
      bars('RFM segments', (base.rfmSegments ?? []).filter((t) => Number(t.customers) > 0)),
      bars('Value tiers', base.valueTiers ?? []),
      bars('Churn risk', base.churnRisk ?? []),
      bars('Channel mix', base.channelMix ?? [])),
    el('h3', {}, 'Consent coverage (granted, share of customers)'),
    consentTable(base.consentCoverage ?? [], Number(base.sampled)),
  ];
}

function consentTable(coverage, sampled) {
  const channels = [...new Set(coverage.map((c) => c.channel))];
  const cell = (channel, purpose) => coverage.find((c) => c.channel === channel && c.purpose === purpose);
  return el('table', { id: 'consent-coverage' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Channel'), PURPOSES.map((p) => el('th', { scope: 'col', class: 'num' }, enumLabel(p, 'CONSENT_PURPOSE_'))))),
    el('tbody', {}, channels.map((channel) => el('tr', {},
      el('th', { scope: 'row' }, enumLabel(channel, 'CONTACT_CHANNEL_')),
      PURPOSES.map((purpose) => {
        const c = cell(channel, purpose);
        const granted = Number(c?.granted ?? 0);
        const share = sampled ? Math.round((100 * granted) / sampled) : 0;
        return el('td', { class: 'num', title: `${granted} granted, ${c?.refused ?? 0} refused, ${c?.unknown ?? 0} never asked` }, `${share} % (${formatNumber(granted)})`);
      })))));
}
