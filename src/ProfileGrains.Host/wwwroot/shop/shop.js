// A visitor's journey on a shop page, told to the engine as it happens: anonymous browsing under a device id, carts,
// log-in (the anonymous id is stitched to the e-mail), a banner and recommendations from GetPersonalization, checkout.
import { get, post, identifierQuery, newId, euros, money } from '/assets/api.js';
import { el, replace, showError, clearError } from '/assets/dom.js';
import { keyBox } from '/assets/keybox.js';
import { PRODUCTS, bySku } from './catalog.js';

const alertRegion = document.getElementById('alert');
const fail = (e) => showError(alertRegion, e);
const visitor = {
  get anonymousId() {
    let id = localStorage.getItem('shop.anonymousId');
    if (!id) localStorage.setItem('shop.anonymousId', id = `anon-${crypto.randomUUID()}`);
    return id;
  },
  get email() { return localStorage.getItem('shop.email'); },
  set email(value) { value ? localStorage.setItem('shop.email', value) : localStorage.removeItem('shop.email'); },
  get consent() { return localStorage.getItem('shop.consent'); },
  set consent(value) { localStorage.setItem('shop.consent', value); },
  newVisit() { localStorage.removeItem('shop.anonymousId'); this.email = null; },
  identifiers() {
    const ids = [{ type: 'IDENTIFIER_TYPE_ANONYMOUS_ID', value: this.anonymousId }];
    if (this.email) ids.unshift({ type: 'IDENTIFIER_TYPE_EMAIL', value: this.email });
    return ids;
  },
};
let cart = [];

async function track(type, payload) {
  const event = { eventId: newId('web'), type, channel: 'CHANNEL_WEB', occurredAt: new Date().toISOString(), identifiers: visitor.identifiers(), ...payload };
  await post('/v1/events', { event });
}

async function view(product) {
  try {
    clearError(alertRegion);
    await track('EVENT_TYPE_PRODUCT_VIEW', { productView: { sku: product.sku, category: product.category } });
    await personalize();
  } catch (e) { fail(e); }
}

async function addToCart(product) {
  try {
    clearError(alertRegion);
    await track('EVENT_TYPE_ADD_TO_CART', { addToCart: { sku: product.sku, category: product.category, quantity: 1, unitPrice: euros(product.price) } });
    const line = cart.find((l) => l.sku === product.sku);
    if (line) line.quantity++; else cart.push({ sku: product.sku, quantity: 1 });
    showCart();
    await personalize();
  } catch (e) { fail(e); }
}

async function checkout() {
  if (cart.length === 0) return;
  try {
    clearError(alertRegion);
    const items = cart.map((l) => ({ sku: l.sku, category: bySku(l.sku).category, quantity: l.quantity, unitPrice: euros(bySku(l.sku).price) }));
    const total = cart.reduce((s, l) => s + l.quantity * bySku(l.sku).price, 0);
    const orderId = newId('order');
    await track('EVENT_TYPE_PURCHASE', { purchase: { orderId, total: euros(total), items, paymentKind: 'PAYMENT_KIND_CARD' } });
    cart = [];
    showCart();
    replace(document.getElementById('order'), el('p', { class: 'notice', id: 'order-confirmed' }, `Thank you! Order ${orderId.slice(0, 14)}… paid ${total.toFixed(2)} EUR.`));
    await personalize();
  } catch (e) { fail(e); }
}

async function login(event) {
  event.preventDefault();
  const email = document.getElementById('login-email').value.trim();
  const offers = document.getElementById('login-offers').checked;
  try {
    clearError(alertRegion);
    const decidedAt = new Date().toISOString();
    const consents = offers ? [{ channel: 'CONTACT_CHANNEL_EMAIL', purpose: 'CONSENT_PURPOSE_MARKETING', status: 'CONSENT_STATUS_GRANTED', decidedAt, source: 'demo-shop-login' }] : [];
    // The device's anonymous id and the e-mail in one call: the engine stitches the visit to the known customer.
    const result = await post('/v1/customers:identify', {
      identifiers: [{ type: 'IDENTIFIER_TYPE_EMAIL', value: email }, { type: 'IDENTIFIER_TYPE_ANONYMOUS_ID', value: visitor.anonymousId }],
      traits: consents.length ? { consents } : undefined,
    });
    visitor.email = email;
    showVisitor(result);
    await personalize();
  } catch (e) { fail(e); }
}

async function decideConsent(granted) {
  try {
    clearError(alertRegion);
    visitor.consent = granted ? 'granted' : 'denied';
    document.getElementById('consent-banner').hidden = true;
    await post('/v1/customers:identify', {
      identifiers: visitor.identifiers(),
      traits: { consents: [{ purpose: 'CONSENT_PURPOSE_PERSONALIZATION', status: granted ? 'CONSENT_STATUS_GRANTED' : 'CONSENT_STATUS_DENIED', decidedAt: new Date().toISOString(), source: 'demo-shop-banner' }] },
    });
    await personalize();
  } catch (e) { fail(e); }
}

/** The banner, the recommendations and the engine's view of the cart, from GetPersonalization. */
async function personalize() {
  const banner = document.getElementById('banner');
  const recommendations = document.getElementById('recommendations');
  const [type, value] = visitor.email ? ['IDENTIFIER_TYPE_EMAIL', visitor.email] : ['IDENTIFIER_TYPE_ANONYMOUS_ID', visitor.anonymousId];
  let p;
  try {
    p = await get(`/v1/personalization?${identifierQuery('identifier', type, value)}`);
  } catch (e) {
    if (e.httpStatus === 404) {
      replace(banner, el('p', { id: 'banner-text' }, 'Welcome to Outdoor Co. Have a look around!'));
      replace(recommendations, el('p', { class: 'muted' }, 'Browse a little and we will suggest products.'));
      return;
    }
    throw e;
  }
  if (!p.personalized) {
    replace(banner, el('p', { id: 'banner-text' }, 'Welcome to Outdoor Co.'), el('p', { class: 'muted', style: 'color:#dde' }, `Not personalized: ${p.notPersonalizedBecause}`));
    replace(recommendations, el('p', { class: 'muted' }, 'Recommendations need your consent to personalize.'));
    return;
  }
  const favourite = p.topCategories?.[0]?.key;
  const next = p.nextBestCategory;
  const cartItems = p.cart?.itemCount ?? 0;
  replace(banner,
    el('p', { id: 'banner-text' }, cartItems ? `Still thinking about your ${cartItems} item(s)? They are waiting in your cart.` : favourite ? `New in ${favourite}: picked for you.` : 'Welcome back!'),
    next ? el('p', { id: 'banner-next' }, `You might also like our ${next} range.`) : null,
    (p.segmentIds ?? []).length ? el('p', { id: 'banner-segments' }, 'Your audiences: ', p.segmentIds.map((s) => el('span', { class: 'tag' }, s))) : null);
  const wanted = [favourite, next, ...(p.topCategories ?? []).map((c) => c.key)].filter(Boolean);
  const picks = PRODUCTS.filter((prod) => wanted.includes(prod.category) && !cart.some((l) => l.sku === prod.sku))
    .sort((x, y) => wanted.indexOf(x.category) - wanted.indexOf(y.category)).slice(0, 4);
  replace(recommendations, picks.length ? picks.map((prod) => productCard(prod, 'rec')) : el('p', { class: 'muted' }, 'Browse a little and we will suggest products.'));
}

function productCard(product, prefix = 'product') {
  return el('article', { class: 'product', id: `${prefix}-${product.sku}`, 'aria-label': product.name },
    el('div', { class: 'swatch', style: `background:${product.colour}`, 'aria-hidden': 'true' }, product.category.slice(0, 4).toUpperCase()),
    el('strong', {}, product.name),
    el('span', { class: 'muted' }, `${product.category} — ${product.price.toFixed(2)} EUR`),
    el('div', { class: 'row' },
      el('button', { type: 'button', class: 'secondary', onclick: () => view(product), 'aria-label': `View: ${product.name}` }, 'View'),
      el('button', { type: 'button', onclick: () => addToCart(product), 'aria-label': `Add to cart: ${product.name}` }, 'Add to cart')));
}

function showCart() {
  const total = cart.reduce((s, l) => s + l.quantity * bySku(l.sku).price, 0);
  replace(document.getElementById('cart'), cart.length
    ? el('ul', { id: 'cart-lines' }, cart.map((l) => el('li', {}, `${l.quantity}× ${bySku(l.sku).name}`)), el('li', {}, el('strong', {}, `Total ${total.toFixed(2)} EUR`)))
    : el('p', { class: 'muted', id: 'cart-empty' }, 'Empty.'));
  document.getElementById('checkout').disabled = cart.length === 0;
}

function showVisitor(result) {
  replace(document.getElementById('visitor-status'), visitor.email
    ? [`Logged in as ${visitor.email}`, result?.customerId ? el('span', { class: 'muted', id: 'visitor-customer' }, ` (customer ${result.customerId})`) : null]
    : `Browsing anonymously as ${visitor.anonymousId.slice(0, 13)}…`);
  document.getElementById('login').hidden = Boolean(visitor.email);
}

document.getElementById('key-slot').replaceWith(keyBox(() => personalize().catch(fail)));
replace(document.getElementById('products'), PRODUCTS.map((p) => productCard(p)));
document.getElementById('login').addEventListener('submit', login);
document.getElementById('checkout').addEventListener('click', checkout);
document.getElementById('consent-accept').addEventListener('click', () => decideConsent(true));
document.getElementById('consent-refuse').addEventListener('click', () => decideConsent(false));
document.getElementById('new-visit').addEventListener('click', () => { visitor.newVisit(); cart = []; showCart(); showVisitor(); document.getElementById('consent-banner').hidden = false; personalize().catch(fail); });
document.getElementById('consent-banner').hidden = Boolean(visitor.consent);
showCart();
showVisitor();
personalize().catch(fail);
