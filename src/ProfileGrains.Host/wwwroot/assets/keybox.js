// The "API key" box in every page's header: empty in open development mode, otherwise a key with the scopes the page needs.
import { apiKey } from './api.js';
import { el } from './dom.js';

export function keyBox(onChange) {
  const input = el('input', { id: 'api-key', type: 'password', autocomplete: 'off', placeholder: 'none in open development mode' });
  // The property, not the attribute: the key stays out of the page's markup.
  input.value = apiKey.get();
  const use = () => { apiKey.set(input.value.trim()); onChange?.(); };
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') use(); });
  return el('div', { class: 'key' },
    el('label', { for: 'api-key', style: 'font-weight:400' }, 'API key'),
    input,
    el('button', { type: 'button', class: 'secondary', id: 'api-key-use', onclick: use }, 'Use'));
}
