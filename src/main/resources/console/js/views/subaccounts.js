// Sub-accounts: list, create, rename and delete them. They are managed from the main account,
// whichever account the console acts for; "Act as" switches every other view to one of them.
import { get, post, patch, del, session } from '../api.js';
import { h, fill, heading, table, field, onSubmit, flash, when, value } from '../dom.js';

const UNSCOPED = { scoped: false };

/** Tells the shell (its account switcher) that the list of sub-accounts changed. */
function changed() {
  window.dispatchEvent(new CustomEvent('agentphone:sub-accounts-changed'));
}

export async function render(main) {
  const children = (await get('/v1/sub-accounts?limit=500', UNSCOPED)).data || [];
  const acting = session.subAccount;

  const create = h('form', { class: 'inline', id: 'sub-account-new' },
    field('Name', h('input', { name: 'name', required: true, maxlength: 100, placeholder: 'Franchise Berlin' })),
    h('button', { type: 'submit', class: 'primary', text: 'Create sub-account' }));
  onSubmit(create, async (data) => {
    const made = await post('/v1/sub-accounts', { name: value(data, 'name') ?? '' }, UNSCOPED);
    flash(`Sub-account “${made.name}” created.`);
    changed();
    await render(main);
  });

  fill(main,
    heading('Sub-accounts'),
    acting ? h('p', { class: 'card notice', text: `The console acts for the sub-account “${acting.name}”. `
      + 'Sub-accounts are managed from the main account; this page always shows the main account’s.' }) : null,
    h('p', { class: 'hint', text: 'Each sub-account has its own agents, numbers, conversations, calls, '
      + 'contacts, webhooks and usage, on your plan. Your one API key reaches them with the '
      + 'X-Sub-Account-Id header; the account switcher at the top does the same here.' }),
    h('section', { 'aria-labelledby': 'sub-accounts-list' },
      h('h2', { id: 'sub-accounts-list', text: `Your sub-accounts (${children.length})` }),
      table('Sub-accounts', [
        { label: 'Name', cell: (s) => s.name },
        { label: 'Id', cell: (s) => h('code', { text: s.id }) },
        { label: 'Created', cell: (s) => when(s.createdAt) },
        { label: 'Actions', cell: (s) => actions(main, s) },
      ], children, 'No sub-accounts yet: create one below.')),
    h('section', { class: 'card', 'aria-labelledby': 'sub-account-create' },
      h('h2', { id: 'sub-account-create', text: 'New sub-account' }), create));
  return null;
}

/** Act as, rename and delete one sub-account. */
function actions(main, child) {
  const act = h('button', { type: 'button', class: 'act-as', text: 'Act as' });
  act.addEventListener('click', () => {
    session.actAs({ id: child.id, name: child.name });
    changed();
    flash(`Acting as the sub-account “${child.name}”.`);
    location.hash = '#/agents';
  });
  const rename = h('form', { class: 'inline rename' },
    field('New name', h('input', { name: 'name', required: true, maxlength: 100, value: child.name })),
    h('button', { type: 'submit', text: 'Rename' }));
  onSubmit(rename, async (data) => {
    const renamed = await patch(`/v1/sub-accounts/${encodeURIComponent(child.id)}`,
      { name: value(data, 'name') ?? '' }, UNSCOPED);
    if (session.subAccount?.id === renamed.id) session.actAs({ id: renamed.id, name: renamed.name });
    flash(`Renamed to “${renamed.name}”.`);
    changed();
    await render(main);
  });
  const remove = h('button', { type: 'button', class: 'danger', text: 'Delete' });
  remove.addEventListener('click', async () => {
    if (!window.confirm(`Delete the sub-account “${child.name}”? Release its numbers first.`)) return;
    try {
      await del(`/v1/sub-accounts/${encodeURIComponent(child.id)}`, UNSCOPED);
      if (session.subAccount?.id === child.id) session.actAs(null);
      flash(`Sub-account “${child.name}” deleted.`);
      changed();
      await render(main);
    } catch (e) {
      flash(e.message, 'error');
    }
  });
  return h('div', { class: 'row-actions' }, act, rename, remove);
}
