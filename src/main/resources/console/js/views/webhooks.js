// Webhooks: the account's and each agent's webhook, test sends, the delivery log and its stats.
import { get, post, del, query } from '../api.js';
import {
  h, fill, heading, table, field, select, onSubmit, flash, when, value, badge,
} from '../dom.js';
import { barChart } from '../charts.js';
import { replayButton, bulkReplay, rotateButton } from './webhook-replay.js';

const PAGE = 20;
const state = { hours: 24, offset: 0, agentId: '' };

export async function render(main) {
  const agents = await get('/v1/agents?limit=100').then((r) => r.data, () => []);
  const account = h('div', {});
  const agentPane = h('div', {});
  const stats = h('div', { id: 'delivery-stats' });
  const log = h('div', { id: 'delivery-log' });

  const picker = select('agent', [['', 'Choose an agent'], ...agents.map((a) => [a.id, a.name])],
    state.agentId);
  picker.addEventListener('change', () => {
    state.agentId = picker.value;
    drawAgent();
  });
  const drawAgent = async () => {
    if (!state.agentId) {
      fill(agentPane, h('p', { class: 'hint', text: 'An agent’s own webhook replaces the '
        + 'account webhook for that agent’s events.' }));
      return;
    }
    await editor(agentPane, `/v1/agents/${state.agentId}/webhook`,
      `/v1/agents/${state.agentId}/webhook/test`, 'agent');
  };

  const hours = select('hours', [['24', 'Last 24 hours'], ['72', 'Last 3 days'],
    ['168', 'Last 7 days']], String(state.hours));
  hours.addEventListener('change', () => {
    state.hours = Number(hours.value);
    state.offset = 0;
    loadStats(stats);
    loadLog(log);
  });
  const refresh = h('button', { type: 'button', id: 'refresh-log', text: 'Refresh' });
  refresh.addEventListener('click', () => { loadStats(stats); loadLog(log); });

  fill(main,
    heading('Webhooks'),
    h('div', { class: 'columns' },
      h('section', { class: 'card', 'aria-labelledby': 'wh-account' },
        h('h2', { id: 'wh-account', text: 'Account webhook' }), account),
      h('section', { class: 'card', 'aria-labelledby': 'wh-agent' },
        h('h2', { id: 'wh-agent', text: 'Agent webhook' }),
        field('Agent', picker), agentPane)),
    h('section', { 'aria-labelledby': 'wh-deliveries' },
      h('div', { class: 'section-head' },
        h('h2', { id: 'wh-deliveries', text: 'Deliveries' }),
        h('div', { class: 'inline' }, field('Window', hours), refresh)),
      stats,
      h('section', { class: 'card', 'aria-labelledby': 'wh-replay' },
        h('h3', { id: 'wh-replay', text: 'Replay failed deliveries' }),
        bulkReplay(() => loadLog(log))),
      log));
  await Promise.all([
    editor(account, '/v1/webhooks', '/v1/webhooks/test', 'account'),
    drawAgent(), loadStats(stats), loadLog(log),
  ]);
  return null;
}

/** Shows one webhook (or none) with a form to set it, a test send and removal. */
async function editor(pane, path, testPath, scope) {
  let hook = null;
  try {
    hook = await get(path);
  } catch (e) {
    if (e.status !== 404) throw e;
  }
  const form = h('form', { class: 'stack', id: `webhook-${scope}` },
    field('URL', h('input', {
      name: 'url', type: 'url', required: true, value: hook?.url || '', placeholder: 'https://…',
    })),
    h('div', { class: 'inline' },
      field('Recent messages sent along', h('input', {
        name: 'contextLimit', type: 'number', min: 0, max: 50, value: hook?.contextLimit ?? 10,
      })),
      field('Timeout (s)', h('input', {
        name: 'timeout', type: 'number', min: 5, max: 120, value: hook?.timeout ?? 30,
      }))),
    h('button', { type: 'submit', class: 'primary', text: hook ? 'Save (new secret)' : 'Save' }));
  onSubmit(form, async (data) => {
    await post(path, {
      url: value(data, 'url'),
      contextLimit: Number(value(data, 'contextLimit') ?? 10),
      timeout: Number(value(data, 'timeout') ?? 30),
    });
    flash('Webhook saved with a new signing secret.');
    await editor(pane, path, testPath, scope);
  });

  const result = h('p', { class: 'test-result', role: 'status' });
  const test = h('button', { type: 'button', text: 'Send test event', id: `test-${scope}` });
  test.addEventListener('click', async () => {
    test.disabled = true;
    result.textContent = 'Sending…';
    try {
      const r = await post(testPath);
      result.textContent = r.success
        ? `Delivered: HTTP ${r.statusCode} in ${r.responseMs} ms.`
        : `Not delivered: ${r.error || `HTTP ${r.statusCode}`}.`;
      result.className = `test-result ${r.success ? 'ok' : 'bad'}`;
    } catch (e) {
      result.textContent = e.message;
      result.className = 'test-result bad';
    }
    test.disabled = false;
  });
  const remove = h('button', { type: 'button', class: 'link danger', text: 'Remove webhook' });
  remove.addEventListener('click', async () => {
    if (!window.confirm('Remove this webhook? Events stop being delivered to it.')) return;
    try {
      await del(path);
      flash('Webhook removed.');
      await editor(pane, path, testPath, scope);
    } catch (e) {
      flash(e.message, 'error');
    }
  });

  fill(pane,
    hook ? h('dl', { class: 'facts' },
      h('dt', { text: 'Status' }), h('dd', {}, badge(hook.status)),
      h('dt', { text: 'Signing secret' }), h('dd', {}, secret(hook.secret)),
      h('dt', { text: 'Since' }), h('dd', {}, when(hook.createdAt)))
      : h('p', { class: 'hint', text: 'No webhook set.' }),
    form,
    hook ? h('p', { class: 'inline' }, test, rotateButton(path, scope, async (notice) => {
      await editor(pane, path, testPath, scope);
      pane.prepend(notice);
    }), remove) : null,
    result);
}

function secret(text) {
  const shown = h('code', { class: 'secret', text: '•'.repeat(12) });
  const toggle = h('button', { type: 'button', class: 'link', text: 'Show', 'aria-pressed': 'false' });
  toggle.addEventListener('click', () => {
    const showing = toggle.getAttribute('aria-pressed') === 'true';
    shown.textContent = showing ? '•'.repeat(12) : text;
    toggle.textContent = showing ? 'Show' : 'Hide';
    toggle.setAttribute('aria-pressed', String(!showing));
  });
  return h('span', {}, shown, ' ', toggle);
}

async function loadStats(pane) {
  try {
    const s = await get(`/v1/webhooks/deliveries/stats${query({ hours: state.hours })}`);
    const hours = hourSlots(state.hours, s.byHour);
    fill(pane,
      h('ul', { class: 'tiles' },
        tile('Deliveries', s.total), tile('Succeeded', s.success), tile('Failed', s.failed),
        tile('Pending', s.pending), tile('Success rate', `${s.successRate}%`)),
      barChart({
        title: `Deliveries per hour by outcome, last ${state.hours} hours (UTC)`,
        labels: hours.map((x) => x.label),
        stacked: true,
        labelEvery: state.hours <= 24 ? 3 : 24,
        series: [
          { name: 'succeeded', key: 'success', values: hours.map((x) => x.success) },
          { name: 'failed', key: 'failed', values: hours.map((x) => x.failed) },
          { name: 'pending', key: 'pending', values: hours.map((x) => x.pending) },
        ],
      }));
  } catch (e) {
    fill(pane, h('p', { class: 'error', role: 'alert', text: `Stats unavailable: ${e.message}` }));
  }
}

/** Every hour of the window, oldest first, with zeros where the engine listed none. */
function hourSlots(hours, byHour) {
  const counts = new Map(byHour.map((b) => [new Date(b.hour).getTime(), b]));
  const now = new Date();
  now.setUTCMinutes(0, 0, 0);
  const slots = [];
  for (let i = hours - 1; i >= 0; i -= 1) {
    const t = now.getTime() - i * 3600_000;
    const b = counts.get(t) || {};
    const d = new Date(t);
    const hh = String(d.getUTCHours()).padStart(2, '0');
    slots.push({
      label: hours <= 24 ? `${hh}:00` : `${d.getUTCMonth() + 1}/${d.getUTCDate()} ${hh}h`,
      success: b.success || 0, failed: b.failed || 0, pending: b.pending || 0,
    });
  }
  return slots;
}

function tile(label, figure) {
  return h('li', { class: 'tile' }, h('span', { class: 'figure', text: String(figure) }),
    h('span', { class: 'label', text: label }));
}

async function loadLog(pane) {
  try {
    const page = await get(`/v1/webhooks/deliveries${query({
      hours: state.hours, limit: PAGE, offset: state.offset,
    })}`);
    const prev = h('button', { type: 'button', text: '← Newer', disabled: state.offset === 0 });
    const next = h('button', {
      type: 'button', text: 'Older →', disabled: state.offset + PAGE >= page.total,
    });
    prev.addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); loadLog(pane); });
    next.addEventListener('click', () => { state.offset += PAGE; loadLog(pane); });
    fill(pane,
      table('Webhook deliveries', [
        { label: 'Created', cell: (d) => when(d.createdAt) },
        { label: 'Event', cell: (d) => d.eventType || '—' },
        { label: 'Channel', cell: (d) => d.channel || '—' },
        { label: 'Status', cell: (d) => badge(d.status) },
        { label: 'HTTP', cell: (d) => (d.httpStatus == null ? '—' : String(d.httpStatus)), class: 'num' },
        { label: 'Attempts', cell: (d) => String(d.attemptCount), class: 'num' },
        { label: 'Next retry', cell: (d) => when(d.nextRetryAt) },
        { label: 'Response', cell: responseCell },
        { label: 'Replay', cell: (d) => replayButton(d, () => loadLog(pane)) },
      ], page.items, `No deliveries in the last ${state.hours} hours.`),
      h('p', { class: 'pager' },
        `${page.total} deliver${page.total === 1 ? 'y' : 'ies'} · `, prev, ' ', next));
  } catch (e) {
    fill(pane, h('p', { class: 'error', role: 'alert', text: `Delivery log unavailable: ${e.message}` }));
  }
}

function responseCell(d) {
  if (!d.errorMessage && !d.responseBody) return '—';
  return h('details', {},
    h('summary', { text: d.errorMessage ? 'Error' : 'Body' }),
    d.errorMessage ? h('p', { class: 'error-text', text: d.errorMessage }) : null,
    d.responseBody ? h('pre', { text: d.responseBody }) : null,
    d.lastAttemptAt ? h('p', { class: 'hint' }, 'Last attempt ', when(d.lastAttemptAt)) : null);
}
