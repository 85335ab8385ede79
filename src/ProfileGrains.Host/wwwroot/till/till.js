// The till: look a customer up by phone, loyalty card or e-mail (Lookup), show who they are, their value and risk and
// what they agreed to, and ring up a store sale for them.
import { get, post, identifierQuery, newId, euros, money } from '/assets/api.js';
import { el, replace, showError, clearError, formatTime, formatNumber, enumLabel } from '/assets/dom.js';
import { keyBox } from '/assets/keybox.js';

const STORE_ID = 'store-0042';
const alertRegion = document.getElementById('alert');
const customer = document.getElementById('customer');
let current = null;

async function lookup(event) {
  event.preventDefault();
  await find(document.getElementById('lookup-type').value, document.getElementById('lookup-value').value.trim());
}

async function find(type, value) {
  clearError(alertRegion);
  try {
    const summary = await get(`/v1/lookup?${identifierQuery('identifier', type, value)}`);
    current = { type, value };
    show(summary);
  } catch (e) {
    replace(customer);
    showError(alertRegion, e.httpStatus === 404 ? { explanation: 'No customer with this identifier: offer to join the loyalty programme.' } : e);
  }
}

function show(c) {
  const s = c.scores ?? {};
  const name = [c.name?.title, c.name?.givenName, c.name?.familyName].filter(Boolean).join(' ') || '(no name given)';
  const amount = el('input', { id: 'sale-amount', type: 'number', min: '0.01', step: '0.01', required: true, value: '25.00' });
  const category = el('input', { id: 'sale-category', required: true, value: 'running' });
  replace(customer, el('article', { class: 'grid2', id: 'till-customer', 'aria-labelledby': 'till-name' },
    el('section', { class: 'panel' },
      el('h2', { id: 'till-name' }, name),
      el('dl', { class: 'facts' },
        el('dt', {}, 'Loyalty'), el('dd', {}, [c.loyaltyId, c.loyaltyTier].filter(Boolean).join(' — ') || 'not a member'),
        el('dt', {}, 'Value'), el('dd', { id: 'till-value' }, `${s.valueTier} (${s.rfmSegment}), lifetime ${(c.lifetimeSpend ?? []).map(money).join(', ') || '0'}`),
        el('dt', {}, 'Orders'), el('dd', {}, `${formatNumber(c.orderCount)}, last ${formatTime(c.lastPurchaseAt)} ${money(c.lastPurchaseTotal)}`),
        el('dt', {}, 'Churn risk'), el('dd', { id: 'till-risk' }, `${Math.round(100 * (s.churnRisk ?? 0))} %`),
        el('dt', {}, 'Likes'), el('dd', {}, (c.favouriteCategories ?? []).join(', ') || '—'),
        el('dt', {}, 'Suggest'), el('dd', { id: 'till-suggest' }, c.nextBestCategory || '—'),
        el('dt', {}, 'Returns'), el('dd', {}, `${c.returns ?? 0}${c.npsGroup ? `, NPS ${c.npsGroup}` : ''}`)),
      el('p', { id: 'till-anomalies' }, (c.anomalies ?? []).length ? c.anomalies.map((a) => el('span', { class: 'tag warn' }, `⚠ ${a}`)) : null)),
    el('section', { class: 'panel' },
      el('h3', {}, 'May we contact them?'),
      (c.consents ?? []).length
        ? el('ul', { id: 'till-consents' }, c.consents.map((x) => el('li', {},
          `${enumLabel(x.channel, 'CONTACT_CHANNEL_').replace('unspecified', 'every channel')} / ${x.customPurpose || enumLabel(x.purpose, 'CONSENT_PURPOSE_')}: `,
          el('strong', {}, enumLabel(x.status, 'CONSENT_STATUS_')))))
        : el('p', { id: 'till-consents', class: 'muted' }, 'No consent recorded: ask before adding them to a mailing.'),
      el('h3', {}, 'Ring up a sale'),
      el('form', { class: 'row', id: 'sale', onsubmit: (e) => sell(e, amount.value, category.value) },
        el('label', {}, 'Amount (EUR)', amount), el('label', {}, 'Category', category), el('button', { type: 'submit' }, 'Record sale')),
      el('div', { id: 'sale-result', role: 'status' }))));
}

async function sell(event, amount, category) {
  event.preventDefault();
  clearError(alertRegion);
  try {
    const orderId = newId('till');
    await post('/v1/events', { event: {
      eventId: orderId, type: 'EVENT_TYPE_PURCHASE', channel: 'CHANNEL_STORE', occurredAt: new Date().toISOString(),
      identifiers: [{ type: current.type, value: current.value }],
      purchase: { orderId, storeId: STORE_ID, total: euros(Number(amount)), items: [{ sku: `${category.toUpperCase()}-TILL`, category, quantity: 1, unitPrice: euros(Number(amount)) }], paymentKind: 'PAYMENT_KIND_CARD' },
    } });
  } catch (e) {
    showError(alertRegion, e);
    return;
  }
  // The sale is recorded: read the same customer again (not whatever the search box holds now) to show its effect.
  await find(current.type, current.value);
  const result = document.getElementById('sale-result');
  if (result) replace(result, el('p', { class: 'notice' }, `Sale of ${Number(amount).toFixed(2)} EUR recorded.`));
}

document.getElementById('key-slot').replaceWith(keyBox());
document.getElementById('lookup').addEventListener('submit', lookup);
