// The audit log: who changed what through the API, newest first, filtered by object or action.
import { get, query } from '../api.js';
import { h, fill, heading, table, field, select, onSubmit, when, value } from '../dom.js';

export async function render(main, _options, filter = {}) {
  const log = await get(`/v1/audit-log${query({ limit: 100, ...filter })}`);
  const form = h('form', { class: 'inline', id: 'audit-filter' },
    field('Object type', h('input', { name: 'objectType', value: filter.objectType || '', placeholder: 'agent' })),
    field('Object id', h('input', { name: 'objectId', value: filter.objectId || '' })),
    field('Action', select('action', [['', 'Any'], ['create', 'Create'], ['update', 'Update'],
      ['delete', 'Delete']], filter.action || '')),
    h('button', { type: 'submit', text: 'Filter' }));
  onSubmit(form, async (data) => {
    const next = {};
    for (const name of ['objectType', 'objectId', 'action']) {
      const v = value(data, name);
      if (v) next[name] = v;
    }
    await render(main, _options, next);
  });
  fill(main,
    heading('Audit log'),
    h('p', { class: 'hint', text: 'Every create, update and delete made through the API, with the key that made it. Secret values are never shown.' }),
    form,
    table('Audit log', [
      { label: 'When', cell: (e) => when(e.at) },
      { label: 'Key', cell: (e) => h('code', { text: `${e.keyPrefix}…` }) },
      { label: 'Action', cell: (e) => e.action },
      { label: 'Object', cell: (e) => h('span', {}, `${e.objectType} `, h('code', { text: e.objectId })) },
      { label: 'Changes', cell: (e) => changes(e.changes) },
    ], log.data || [], 'No changes recorded yet.'));
  return null;
}

function changes(fields) {
  return h('ul', { class: 'changes' }, ...Object.entries(fields || {}).map(([name, c]) =>
    h('li', { text: `${name}: ${show(c.from)} → ${show(c.to)}` })));
}

function show(v) {
  return v === null || v === undefined ? '—' : (typeof v === 'object' ? JSON.stringify(v) : String(v));
}
