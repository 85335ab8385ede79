// Campaign indicators: every campaign with its rates, and the same among one segment's members.
import { get } from '/assets/api.js';
import { el, replace, formatNumber } from '/assets/dom.js';
import { bars } from '/assets/charts.js';
import { every } from './refresh.js';
import { report } from './alerts.js';

const rate = (r) => (r === undefined || r === null ? '—' : `${(100 * r).toFixed(1)} %`);

/** rows: [{ campaign, total: CampaignFigures, lastEventAt? }] */
export function campaignTable(rows) {
  const headings = ['Campaign', 'Sent', 'Delivered', 'Opened', 'Clicked', 'Unsubscribed', 'Converted', 'Open rate', 'Click rate', 'Unsubscribe rate'];
  return el('table', { class: 'campaigns' },
    el('thead', {}, el('tr', {}, headings.map((h, i) => el('th', { scope: 'col', class: i ? 'num' : '' }, h)))),
    el('tbody', {}, rows.map(({ campaign, total: f }) => el('tr', { dataset: { campaign } },
      el('th', { scope: 'row' }, campaign),
      [f.sent, f.delivered, f.opened, f.clicked, f.unsubscribed, f.converted].map((n) => el('td', { class: 'num' }, formatNumber(n))),
      [f.openRate, f.clickRate, f.unsubscribeRate].map((r) => el('td', { class: 'num' }, rate(r)))))));
}

export async function render(view, _args, signal) {
  const all = el('div', { id: 'campaign-list' });
  const chart = el('div', {});
  const segmentChoice = el('select', { id: 'campaign-segment' }, el('option', { value: '' }, 'choose a segment'));
  const among = el('div', { id: 'campaign-among' });
  view.append(
    el('h2', {}, 'Campaigns'), all, chart,
    el('h3', {}, 'Among a segment\'s members'),
    el('label', {}, 'Segment', segmentChoice), among);

  segmentChoice.addEventListener('change', async () => {
    if (!segmentChoice.value) return replace(among);
    try {
      const r = await get(`/v1/segments/${encodeURIComponent(segmentChoice.value)}/campaigns`);
      replace(among, (r.campaigns ?? []).length
        ? campaignTable(r.campaigns.map((c) => ({ campaign: c.campaign, total: c.figures })))
        : el('p', { class: 'muted' }, 'No campaign has reached a member of this segment.'));
    } catch (e) {
      report(e);
    }
  });
  get('/v1/segments').then(({ segments = [] }) => segmentChoice.append(...segments.map((s) => el('option', { value: s.segmentId }, s.name)))).catch(report);

  await every(5000, signal, async () => {
    const { campaigns = [] } = await get('/v1/campaigns');
    replace(all, campaigns.length ? campaignTable(campaigns) : el('p', { class: 'muted' }, 'No campaign event tracked yet.'));
    replace(chart, campaigns.length ? el('div', { class: 'grid2' },
      bars('Customers who clicked, by campaign', campaigns.map((c) => ({ label: c.campaign, customers: c.total.clicked }))),
      bars('Customers who unsubscribed, by campaign', campaigns.map((c) => ({ label: c.campaign, customers: c.total.unsubscribed })))) : null);
  });
}
