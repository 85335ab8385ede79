// The console's shell: a hash router (#/section/argument) that renders one view at a time and stops the previous one's
// refresh timers and streams through its AbortSignal.
import { keyBox } from '/assets/keybox.js';
import { report, clearReport } from './alerts.js';
import * as overview from './overview.js';
import * as segments from './segments.js';
import * as campaigns from './campaigns.js';
import * as customers from './customers.js';

const views = { overview, segments, campaigns, customers };
const view = document.getElementById('view');
let current = null;

function route() {
  const [section = 'overview', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const chosen = views[section] ? section : 'overview';
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.section === chosen) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  current?.abort();
  const controller = current = new AbortController();
  clearReport();
  view.replaceChildren();
  // A view left while it was loading says nothing: its failures are no longer the page's.
  views[chosen].render(view, rest.map(decodeURIComponent), controller.signal).catch((e) => { if (!controller.signal.aborted) report(e); });
  if (moved) document.getElementById('main').focus({ preventScroll: true });
  moved = true;
}

let moved = false;

document.getElementById('key-slot').replaceWith(keyBox(route));
window.addEventListener('hashchange', route);
route();
