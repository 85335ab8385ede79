// Segments: the list with live counts, a rule editor that validates and estimates the size before saving, and one
// segment's page filling live from WatchSegment, with its members (paged, exportable) and campaign figures.
import { get, post, call, stream, download } from '/assets/api.js';
import { el, replace, formatNumber, showError, showErrorIn, clearError, enumLabel } from '/assets/dom.js';
import { every } from './refresh.js';
import { pager } from '/assets/pager.js';
import { report } from './alerts.js';
import { campaignTable } from './campaigns.js';

export async function render(view, [segmentId], signal) {
  return segmentId ? renderSegment(view, segmentId, signal) : renderList(view, signal);
}

const ruleText = (segment) => (segment.rule?.allOf ?? []).map((c) => c.expression ?? JSON.stringify(c)).join(' and ');

async function renderList(view, signal) {
  const table = el('tbody', {});
  view.append(
    el('h2', {}, 'Segments'),
    el('table', { id: 'segments' },
      el('thead', {}, el('tr', {}, ['Segment', 'Name', 'Rule', 'Members', 'Back-fill'].map((h) => el('th', { scope: 'col' }, h)))),
      table),
    editor(signal));
  await every(2000, signal, async () => {
    const { segments = [] } = await get('/v1/segments');
    const shown = [...table.querySelectorAll('tr[data-segment]')].map((row) => row.dataset.segment);
    if (segments.length > 0 && shown.join('\n') === segments.map((s) => s.segmentId).join('\n')) {
      // The same segments: only their figures change, so nothing the keyboard is on is redrawn.
      for (const s of segments) {
        const row = table.querySelector(`tr[data-segment="${CSS.escape(s.segmentId)}"]`);
        row.querySelector('.members').textContent = formatNumber(s.memberCount);
        row.querySelector('.backfill').textContent = enumLabel(s.backfill?.status, 'STATUS_');
      }
      return;
    }
    replace(table, segments.length === 0
      ? el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No segment yet: write one below.'))
      : segments.map((s) => el('tr', { dataset: { segment: s.segmentId } },
        el('td', {}, el('a', { href: `#/segments/${encodeURIComponent(s.segmentId)}` }, s.segmentId)),
        el('td', {}, s.name),
        el('td', {}, el('code', {}, ruleText(s))),
        el('td', { class: 'num members' }, formatNumber(s.memberCount)),
        el('td', { class: 'backfill' }, enumLabel(s.backfill?.status, 'STATUS_')))));
  });
}

/** The rule editor: every keystroke (after a pause) checks the rule and estimates how many customers it would hold. */
function editor(signal) {
  const id = el('input', { id: 'segment-id', required: true, pattern: '[A-Za-z0-9_-]{1,64}', autocomplete: 'off' });
  const name = el('input', { id: 'segment-name', required: true, autocomplete: 'off' });
  const rule = el('textarea', { id: 'segment-rule', required: true, spellcheck: 'false', placeholder: 'count(purchase, 30d) >= 2 and consent.email == granted' });
  const consent = el('select', { id: 'segment-consent' },
    el('option', { value: '' }, 'none (the rule alone)'),
    ['EMAIL', 'SMS', 'PHONE', 'POST', 'PUSH'].map((c) => el('option', { value: `CONTACT_CHANNEL_${c}` }, `marketing by ${c.toLowerCase()}`)));
  const estimate = el('div', { id: 'segment-estimate', 'aria-live': 'polite' }, el('p', { class: 'muted' }, 'Write a rule to see how many customers it would hold.'));
  const problems = el('div', { id: 'segment-problems', class: 'alert', role: 'alert', hidden: true });
  const saved = el('div', { id: 'segment-saved', class: 'notice', role: 'status', hidden: true });

  const definition = () => ({
    rule: { allOf: [{ expression: rule.value }] },
    requiredConsent: consent.value ? { channel: consent.value, purpose: 'CONSENT_PURPOSE_MARKETING' } : undefined,
  });

  let timer = null;
  let asked = 0;
  const estimateSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!rule.value.trim() || signal.aborted) return;
      const ticket = ++asked;
      try {
        const e = await post('/v1/insights/segment-estimate', { ...definition(), sampleSize: 2000 });
        if (ticket !== asked) return;
        clearError(problems);
        replace(estimate, el('p', {},
          el('strong', { id: 'estimate-members' }, `≈ ${formatNumber(e.estimatedMembers)} customers`),
          e.exact ? ` (exact: ${formatNumber(e.matched)} of all ${formatNumber(e.customers)})` : ` (${formatNumber(e.matched)} of a sample of ${formatNumber(e.sampled)}, out of ${formatNumber(e.customers)})`));
      } catch (error) {
        if (ticket !== asked) return;
        replace(estimate, el('p', { class: 'muted' }, 'No estimate until the rule is valid.'));
        showError(problems, error);
      }
    }, 350);
  };
  rule.addEventListener('input', estimateSoon);
  consent.addEventListener('change', estimateSoon);

  const save = async (event) => {
    event.preventDefault();
    saved.hidden = true;
    try {
      const segment = await call('PUT', `/v1/segments/${encodeURIComponent(id.value)}`, { segmentId: id.value, name: name.value, ...definition() });
      clearError(problems);
      replace(saved, 'Saved ', el('a', { href: `#/segments/${encodeURIComponent(segment.segmentId)}` }, `${segment.name} (version ${segment.version})`), ': it fills as customers are evaluated.');
      saved.hidden = false;
    } catch (error) {
      showError(problems, error);
    }
  };

  return el('section', { class: 'panel', 'aria-labelledby': 'editor-title' },
    el('h3', { id: 'editor-title' }, 'Write a segment'),
    el('form', { class: 'stack', id: 'segment-editor', onsubmit: save },
      el('div', { class: 'row' }, el('label', {}, 'Segment id', id), el('label', {}, 'Name', name), el('label', {}, 'Members must also consent to', consent)),
      el('label', {}, 'Rule', rule),
      el('p', { class: 'muted' }, 'e.g. ', el('code', {}, 'spend(EUR) > 500 and days_since(last_purchase) < 90'), ', ',
        el('code', {}, 'hours_since(cart_change) >= 5 and cart_items > 0'), ' — the README lists the vocabulary.'),
      estimate, problems, saved,
      el('div', {}, el('button', { type: 'submit', id: 'segment-save' }, 'Save segment'))));
}

async function renderSegment(view, segmentId, signal) {
  const path = `/v1/segments/${encodeURIComponent(segmentId)}`;
  // The count and the watch cursor of one instant: the feed then starts right after what the count holds.
  const { memberCount } = await get(`${path}/count`);
  const { watchCursor } = await get(`${path}/members?pageSize=1`);
  const segment = await get(path);
  if (signal.aborted) return;
  const count = el('span', { class: 'figure', id: 'live-count' }, formatNumber(segment.memberCount));
  const feed = el('ol', { class: 'feed', id: 'live-feed', 'aria-live': 'polite' });
  const members = el('div', { id: 'members' });
  const campaigns = el('div', { id: 'segment-campaigns' });
  view.append(
    el('p', {}, el('a', { href: '#/segments' }, '← All segments')),
    el('h2', {}, segment.name, ' ', el('span', { class: 'muted' }, `(${segment.segmentId}, version ${segment.version})`)),
    el('p', {}, 'Rule: ', el('code', {}, ruleText(segment)),
      segment.requiredConsent ? ` — members also consent to ${enumLabel(segment.requiredConsent.purpose, 'CONSENT_PURPOSE_')} by ${enumLabel(segment.requiredConsent.channel, 'CONTACT_CHANNEL_')}` : ''),
    el('div', { class: 'cards' }, el('div', { class: 'card' }, count, el('span', { class: 'caption' }, 'members, live'))),
    el('div', { class: 'grid2' },
      el('section', { class: 'panel' }, el('h3', {}, 'Entering and leaving, as it happens'), feed),
      el('section', { class: 'panel' }, el('h3', {}, 'Members'), members)),
    el('h3', {}, 'Campaigns among members'), campaigns,
    el('p', {}, el('button', { type: 'button', class: 'danger', id: 'segment-delete', onclick: () => remove(segmentId) }, 'Delete segment')));

  let live = Number(memberCount ?? 0);
  count.textContent = formatNumber(live);
  // The stream moves the figure event by event from the cursor read with the count; a periodic count corrects what
  // changed between the two reads. A stream that ends (a restart, an idle timeout) resumes after its last change.
  let cursor = watchCursor ?? '';
  const onChange = (change) => {
    cursor = change.cursor;
    live += change.entered ? 1 : -1;
    count.textContent = formatNumber(Math.max(0, live));
    feed.prepend(el('li', { class: change.entered ? 'entered' : 'exited' },
      `${new Date(change.at).toLocaleTimeString('en-GB')} ${change.entered ? 'entered' : 'left'} `,
      el('a', { href: `#/customers/${encodeURIComponent(change.customerId)}` }, change.customerId)));
    while (feed.children.length > 200) feed.lastChild.remove();
    refreshMembers();
  };
  (async () => {
    while (!signal.aborted) {
      try {
        await stream(`${path}/changes?cursor=${encodeURIComponent(cursor)}`, onChange, signal, () => { feed.dataset.stream = 'open'; });
      } catch (e) {
        if (signal.aborted) return;
        report(e);
      }
      delete feed.dataset.stream;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  })();
  every(5000, signal, async () => {
    const { memberCount: n } = await get(`${path}/count`);
    live = Number(n ?? 0);
    count.textContent = formatNumber(live);
  });

  const refreshMembers = memberPages(members, path, segmentId);
  try {
    const figures = await get(`${path}/campaigns`);
    replace(campaigns, (figures.campaigns ?? []).length
      ? campaignTable(figures.campaigns.map((c) => ({ campaign: c.campaign, total: c.figures })))
      : el('p', { class: 'muted' }, 'No campaign has reached a member yet.'));
  } catch (e) {
    showErrorIn(campaigns, e);
  }
}

/** Shows the members page by page; returns a function that re-reads the page shown, at most once a second. */
function memberPages(container, path, segmentId) {
  return pager(container, {
    url: (token) => `${path}/members?pageSize=20&pageToken=${encodeURIComponent(token)}`,
    rows: (r, page) => (r.customerIds ?? []).length
      ? el('ol', { start: page * 20 + 1 }, r.customerIds.map((id) => el('li', {}, el('a', { href: `#/customers/${encodeURIComponent(id)}` }, id))))
      : null,
    empty: 'No member yet.',
    onError: report,
    idPrefix: 'members',
    actions: [el('button', { type: 'button', class: 'secondary', id: 'members-export', onclick: () => exportMembers(path, segmentId) }, 'Export CSV')],
  });
}

/** Every member, a thousand per request, as a CSV file the browser saves. */
async function exportMembers(path, segmentId) {
  try {
    const ids = [];
    let token = '';
    do {
      const r = await get(`${path}/members?pageSize=1000&pageToken=${encodeURIComponent(token)}`);
      ids.push(...(r.customerIds ?? []));
      token = r.nextPageToken ?? '';
    } while (token);
    download(`${segmentId}-members.csv`, 'text/csv', ['customer_id', ...ids].join('\n') + '\n');
  } catch (e) {
    report(e);
  }
}

async function remove(segmentId) {
  if (!confirm(`Delete segment ${segmentId}? Its membership is dropped.`)) return;
  try {
    await call('DELETE', `/v1/segments/${encodeURIComponent(segmentId)}`);
    location.hash = '#/segments';
  } catch (e) {
    report(e);
  }
}
