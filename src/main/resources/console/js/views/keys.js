// API keys: list them (never their secrets), create one (its secret shown once) and revoke one.
// Keys belong to the main account, whichever account the console acts for.
import { get, post, del } from '../api.js';
import { h, fill, heading, table, field, select, onSubmit, flash, when, value } from '../dom.js';

const UNSCOPED = { scoped: false };

export async function render(main, _options, shown = null) {
  const keys = (await get('/v1/api-keys?limit=500', UNSCOPED)).data || [];

  const create = h('form', { class: 'inline', id: 'api-key-new' },
    field('Name', h('input', { name: 'name', required: true, maxlength: 100, placeholder: 'CI deploys' })),
    field('Scope', select('scope', [['full', 'Full'], ['read-only', 'Read-only']], 'full')),
    field('Expires', h('input', { name: 'expiresAt', type: 'date' }), 'Optional, at most two years ahead'),
    h('button', { type: 'submit', class: 'primary', text: 'Create key' }));
  onSubmit(create, async (data) => {
    const expires = value(data, 'expiresAt');
    const made = await post('/v1/api-keys', {
      name: value(data, 'name') ?? '',
      scope: value(data, 'scope') || 'full',
      ...(expires ? { expiresAt: `${expires}T00:00:00Z` } : {}),
    }, UNSCOPED);
    flash(`Key “${made.name}” created. Copy its secret now: it is not shown again.`);
    await render(main, _options, made);
  });

  fill(main,
    heading('API keys'),
    shown ? h('section', { class: 'card notice', id: 'api-key-secret', 'aria-labelledby': 'secret-title' },
      h('h2', { id: 'secret-title', text: `Secret of “${shown.name}”` }),
      h('p', { text: 'Shown this once. Store it somewhere safe.' }),
      h('code', { class: 'secret', text: shown.key })) : null,
    h('section', { 'aria-labelledby': 'api-keys-list' },
      h('h2', { id: 'api-keys-list', text: `Your keys (${keys.length})` }),
      table('API keys', [
        { label: 'Name', cell: (k) => k.name },
        { label: 'Prefix', cell: (k) => h('code', { text: `${k.prefix}…` }) },
        { label: 'Scope', cell: (k) => k.scope },
        { label: 'Created', cell: (k) => when(k.createdAt) },
        { label: 'Expires', cell: (k) => (k.expiresAt ? when(k.expiresAt) : 'never') },
        { label: 'Last used', cell: (k) => (k.lastUsedAt ? when(k.lastUsedAt) : 'never') },
        { label: 'Actions', cell: (k) => revoke(main, k) },
      ], keys)),
    h('section', { class: 'card', 'aria-labelledby': 'api-key-create' },
      h('h2', { id: 'api-key-create', text: 'New key' }), create));
  return null;
}

function revoke(main, key) {
  const button = h('button', { type: 'button', class: 'danger revoke', text: 'Revoke' });
  button.addEventListener('click', async () => {
    if (!window.confirm(`Revoke the key “${key.name}”? It stops working at once.`)) return;
    try {
      await del(`/v1/api-keys/${encodeURIComponent(key.id)}`, UNSCOPED);
      flash(`Key “${key.name}” revoked.`);
      await render(main);
    } catch (e) {
      flash(e.message, 'error');
    }
  });
  return button;
}
