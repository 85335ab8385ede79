// The customer card: find a customer by any identifier, then their profile, identifiers (with how each was linked and
// merged), consents, scores and anomaly flags, segments, timeline; export and erasure for a privacy-scoped key.
import { get, post, identifierQuery, IDENTIFIER_TYPES, money, download } from '/assets/api.js';
import { el, replace, formatNumber, formatTime, enumLabel, showErrorIn } from '/assets/dom.js';
import { pager } from '/assets/pager.js';
import { report } from './alerts.js';

export async function render(view, [customerId], signal) {
  view.append(el('h2', {}, 'Customers'), searchForm());
  if (customerId) await card(view, customerId, signal);
}

function searchForm() {
  const type = el('select', { id: 'search-type' }, IDENTIFIER_TYPES.map(([value, label]) => el('option', { value }, label)), el('option', { value: 'id' }, 'Customer id'));
  const value = el('input', { id: 'search-value', required: true, autocomplete: 'off' });
  const find = async (event) => {
    event.preventDefault();
    try {
      const path = type.value === 'id'
        ? `/v1/customers/${encodeURIComponent(value.value.trim())}`
        : `/v1/profile?${identifierQuery('customer.identifier', type.value, value.value.trim())}`;
      const profile = await get(path);
      location.hash = `#/customers/${encodeURIComponent(profile.customerId)}`;
    } catch (e) {
      report(e);
    }
  };
  return el('form', { class: 'row panel', id: 'customer-search', role: 'search', onsubmit: find },
    el('label', {}, 'Find by', type), el('label', {}, 'Value', value), el('button', { type: 'submit' }, 'Find'));
}

const nameOf = (traits) => [traits?.name?.title, traits?.name?.givenName, traits?.name?.familyName].filter(Boolean).join(' ') || '(no name given)';

function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

async function card(view, customerId, signal) {
  const base = `/v1/customers/${encodeURIComponent(customerId)}`;
  const profile = await get(base);
  if (signal.aborted) return;
  const s = profile.scores ?? {};
  const a = profile.activity ?? {};
  const t = profile.transactions ?? {};
  const identity = el('div', { id: 'identity-explanation', 'aria-live': 'polite' });
  const timeline = el('div', { id: 'timeline' });
  const privacy = el('div', { id: 'privacy-result', 'aria-live': 'polite' });

  view.append(el('article', { id: 'customer-card', 'aria-labelledby': 'customer-name' },
    el('h2', { id: 'customer-name' }, nameOf(profile.traits)),
    profile.mergedAway?.customerId
      ? el('p', { class: 'notice' }, `This record was merged into ${profile.mergedAway.customerId} on ${formatTime(profile.mergedAway.mergedAt)}; shown is the survivor.`)
      : null,
    el('div', { class: 'grid2' },
      el('section', { class: 'panel' }, el('h3', {}, 'Profile'), facts([
        ['Customer id', profile.customerId],
        ['Known since', formatTime(profile.createdAt)],
        ['Last change', formatTime(profile.updatedAt)],
        ['Gender', enumLabel(profile.traits?.gender, 'GENDER_').replace('unspecified', '')],
        ['Birth date', profile.traits?.birthDate ? `${profile.traits.birthDate.year}-${String(profile.traits.birthDate.month).padStart(2, '0')}-${String(profile.traits.birthDate.day).padStart(2, '0')}` : ''],
        ['Locale', profile.traits?.locale],
        ['Loyalty tier', profile.traits?.loyaltyTier],
        ['Address', (profile.traits?.addresses ?? []).map((ad) => [ad.lines?.join(', '), ad.postalCode, ad.city, ad.countryCode].filter(Boolean).join(' ')).join(' / ')],
        ['Interests', (profile.traits?.preferences?.interests ?? []).join(', ')],
        ['Enrichment', Object.entries(profile.enrichment ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ')],
      ])),
      el('section', { class: 'panel', id: 'scores' }, el('h3', {}, 'Value and risk'), facts([
        ['RFM', `R${s.recency} F${s.frequency} M${s.monetary} — ${s.rfmSegment}`],
        ['Value tier', s.valueTier],
        ['Lifetime value', money(s.historicalValue)],
        ['Churn risk', `${Math.round(100 * (s.churnRisk ?? 0))} %`],
        ['Engagement', s.engagement],
        ['Channel mix', s.channelMix],
        ['Orders', `${formatNumber(t.orderCount)} — ${(t.totalSpend ?? []).map(money).join(', ')}`],
        ['Last purchase', formatTime(t.lastPurchaseAt)],
        ['Returns', a.returns],
        ['NPS group', a.npsGroup],
        ['Cart', a.cart?.itemCount ? `${a.cart.itemCount} item(s) since ${formatTime(a.cart.lastChangedAt)}` : 'empty'],
      ]),
      el('p', { id: 'anomalies' }, (a.anomalies ?? []).length
        ? (a.anomalies.map((x) => el('span', { class: 'tag warn' }, `⚠ ${x}`)))
        : el('span', { class: 'muted' }, 'No anomaly flagged.'))),
      el('section', { class: 'panel' }, el('h3', {}, 'Identifiers'),
        el('ul', { id: 'identifiers' }, (profile.identifiers ?? []).map((id) => el('li', {},
          `${enumLabel(id.type, 'IDENTIFIER_TYPE_')}: `, el('code', {}, id.value), ' ',
          el('button', { type: 'button', class: 'secondary', 'aria-label': `Explain ${enumLabel(id.type, 'IDENTIFIER_TYPE_')} ${id.value}`, onclick: () => explain(identity, id) }, 'Explain')))),
        identity),
      el('section', { class: 'panel' }, el('h3', {}, 'Segments'),
        el('p', { id: 'customer-segments' }, (profile.segmentIds ?? []).length
          ? profile.segmentIds.map((id) => el('a', { class: 'tag', href: `#/segments/${encodeURIComponent(id)}` }, id))
          : el('span', { class: 'muted' }, 'In no segment.')),
        el('h3', {}, 'Consents in force'), consentTable(profile.traits?.consents ?? []))),
    el('section', { class: 'panel' }, el('h3', {}, 'Timeline'), timeline),
    el('section', { class: 'panel' }, el('h3', {}, 'Privacy'),
      el('p', { class: 'muted' }, 'Needs a key with the privacy scope. Export gives the whole record (consent history included); erasure cannot be undone.'),
      el('div', { class: 'row' },
        el('button', { type: 'button', class: 'secondary', id: 'privacy-export', onclick: () => exportRecord(base, privacy, customerId) }, 'Export record'),
        el('button', { type: 'button', class: 'danger', id: 'privacy-erase', onclick: () => erase(base, privacy, customerId) }, 'Erase customer')),
      privacy)));
  timelinePages(timeline, base);
}

function consentTable(consents) {
  if (consents.length === 0) return el('p', { class: 'muted', id: 'consents' }, 'No consent recorded.');
  return el('table', { id: 'consents' },
    el('thead', {}, el('tr', {}, ['Channel', 'Purpose', 'Status', 'Since', 'Source'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, consents.map((c) => el('tr', {},
      el('td', {}, enumLabel(c.channel, 'CONTACT_CHANNEL_').replace('unspecified', 'every channel')),
      el('td', {}, c.customPurpose || enumLabel(c.purpose, 'CONSENT_PURPOSE_')),
      el('td', {}, enumLabel(c.status, 'CONSENT_STATUS_')),
      el('td', {}, formatTime(c.decidedAt)),
      el('td', {}, c.source)))));
}

async function explain(container, identifier) {
  try {
    const x = await get(`/v1/identity?${identifierQuery('identifier', identifier.type, identifier.value)}`);
    replace(container, el('div', { class: 'panel' },
      el('p', {}, el('code', {}, identifier.value), ' belongs to ', el('code', {}, x.customerId || 'nobody')),
      x.quarantine ? el('p', { class: 'tag warn' }, `Quarantined since ${formatTime(x.quarantine.since)} until ${formatTime(x.quarantine.until)}: ${x.quarantine.reason}`) : null,
      el('h4', {}, 'How it was linked'),
      el('ol', {}, (x.history ?? []).map((h) => el('li', {}, `${formatTime(h.at)} → ${h.customerId}: ${h.reason}`))),
      (x.merges ?? []).length ? [el('h4', {}, 'Merges'), el('ol', {}, x.merges.map((m) => el('li', {},
        `${formatTime(m.mergedAt)}: absorbed ${m.absorbedCustomerId} (${m.rule}${m.trigger ? `, by ${enumLabel(m.trigger.type, 'IDENTIFIER_TYPE_')}` : ''})`)))] : null));
  } catch (e) {
    report(e);
  }
}

const PAYLOADS = ['purchase', 'productView', 'pageView', 'addToCart', 'removeFromCart', 'storeVisit', 'emailOpen', 'emailClick', 'supportContact',
  'satisfaction', 'review', 'custom', 'messageSent', 'productReturn', 'messageDelivered', 'messageBounced', 'unsubscribe', 'subscriptionStart', 'subscriptionStop'];

function describe(event) {
  const key = PAYLOADS.find((k) => event[k]);
  const p = key ? event[key] : {};
  switch (key) {
    case 'purchase': return `order ${p.orderId}, ${money(p.total)}${(p.items ?? []).length ? ` — ${p.items.map((i) => `${i.quantity}× ${i.sku}`).join(', ')}` : ''}`;
    case 'productView': return `${p.sku} (${p.category})`;
    case 'addToCart': case 'removeFromCart': return `${p.quantity}× ${p.sku} (${p.category})`;
    case 'pageView': return p.url ?? p.path ?? '';
    case 'satisfaction': return `score ${p.score}${p.comment ? ` — “${p.comment}”` : ''}`;
    default: return p.campaign ?? p.sku ?? p.orderId ?? '';
  }
}

function timelinePages(container, base) {
  pager(container, {
    url: (token) => `${base}/timeline?pageSize=15&pageToken=${encodeURIComponent(token)}`,
    rows: (r) => (r.entries ?? []).length
      ? el('table', {}, el('thead', {}, el('tr', {}, ['When', 'What', 'Channel', 'Details'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, r.entries.map((e) => el('tr', {},
          el('td', {}, formatTime(e.occurredAt)),
          el('td', {}, enumLabel(e.type, 'EVENT_TYPE_')),
          el('td', {}, enumLabel(e.channel, 'CHANNEL_')),
          el('td', {}, describe(e))))))
      : null,
    empty: 'Nothing yet.',
    onError: (e) => showErrorIn(container, e),
    labels: ['Newer', 'Older'],
  });
}

async function exportRecord(base, container, customerId) {
  try {
    const record = await get(`${base}/export`);
    download(`${customerId}.json`, 'application/json', JSON.stringify(record, null, 2));
    replace(container, el('div', { class: 'notice', id: 'export-ready' }, `Record exported (${formatTime(record.exportedAt)}) and saved as ${customerId}.json.`),
      el('h4', {}, 'Consent history'), consentTable(record.consentHistory ?? []));
  } catch (e) {
    showErrorIn(container, e);
  }
}

async function erase(base, container, customerId) {
  if (prompt(`Erasing cannot be undone. Type the customer id (${customerId}) to confirm.`) !== customerId) return;
  try {
    const r = await post(`${base}:erase`, {});
    replace(container, el('div', { class: 'notice', id: 'erased' }, `Erased ${r.recordsErased} record(s) and ${r.identifiersErased} identifier(s) at ${formatTime(r.erasedAt)}.`));
  } catch (e) {
    showErrorIn(container, e);
  }
}
