// Token paging as the engine answers it (page_size and page_token in, next_page_token out) with Previous/Next buttons:
// one piece for the member lists and the timelines.
import { get } from './api.js';
import { el, replace } from './dom.js';

/**
 * Shows the first page in `container`. `url(token)` names a page, `rows(answer, page)` draws it (null when it is
 * empty, then `empty` is said), `actions` are buttons shown beside the paging ones. Returns a function that reads the
 * page shown again, at most once a second.
 */
export function pager(container, { url, rows, empty, onError, labels = ['Previous', 'Next'], idPrefix, actions = [] }) {
  const tokens = [''];
  let page = 0;
  let pending = null;
  const show = async () => {
    try {
      const answer = await get(url(tokens[page]));
      if (answer.nextPageToken) tokens[page + 1] = answer.nextPageToken;
      replace(container,
        rows(answer, page) ?? el('p', { class: 'muted' }, empty),
        el('div', { class: 'row' },
          el('button', { type: 'button', class: 'secondary', id: idPrefix && `${idPrefix}-previous`, disabled: page === 0, onclick: () => { page--; show(); } }, labels[0]),
          el('button', { type: 'button', class: 'secondary', id: idPrefix && `${idPrefix}-next`, disabled: !answer.nextPageToken, onclick: () => { page++; show(); } }, labels[1]),
          actions));
    } catch (e) {
      onError(e);
    }
  };
  show();
  return () => { pending ??= setTimeout(() => { pending = null; show(); }, 1000); };
}
