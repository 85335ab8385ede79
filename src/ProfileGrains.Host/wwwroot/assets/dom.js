// Builds DOM from data without ever parsing it as HTML: customer data is untrusted text.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(node, ...children) {
  // A control that had the focus and is drawn again (same id) gets it back: refreshes never strand a keyboard user.
  const focused = node.contains(document.activeElement) && document.activeElement.id ? document.activeElement.id : null;
  node.replaceChildren();
  append(node, children);
  if (focused) document.getElementById(focused)?.focus();
  return node;
}

/** Shows a failure in the page's alert region: what went wrong and, for a refused request, each field and why. */
export function showError(region, error) {
  const violations = error.violations ?? [];
  replace(region,
    el('p', {}, error.explanation ?? error.message ?? String(error)),
    violations.length ? el('ul', {}, violations.map((v) => el('li', {}, el('code', {}, v.field), ': ', v.description))) : null);
  region.hidden = false;
}

/** The same, in a section of its own: the section shows the failure in place of its content. */
export function showErrorIn(container, error) {
  showError(replace(container, el('div', { class: 'alert', role: 'alert' })).firstChild, error);
}

export function clearError(region) {
  region.hidden = true;
  region.replaceChildren();
}

export const formatNumber = (n) => Number(n ?? 0).toLocaleString('en-GB');

export const formatTime = (iso) => iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '—';

/** "IDENTIFIER_TYPE_LOYALTY_ID" → "loyalty id". */
export const enumLabel = (value, prefix) => String(value ?? '').replace(prefix, '').replaceAll('_', ' ').toLowerCase();
