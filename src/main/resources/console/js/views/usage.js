// Usage: the plan's limits, this period's counts and a chart of daily activity.
import { get, query } from '../api.js';
import { h, fill, heading, when } from '../dom.js';
import { barChart } from '../charts.js';

let days = 30;

export async function render(main) {
  let usage;
  try {
    usage = await get('/v1/usage');
  } catch (e) {
    if (e.status !== 404) throw e;
    fill(main, heading('Usage'),
      h('div', { class: 'card notice', id: 'usage-unavailable' },
        h('h2', { text: 'Usage is not available on this engine' }),
        h('p', {}, 'It answered 404 to ', h('code', { text: 'GET /v1/usage' }),
          '. This engine build does not report usage yet; everything else in the console works.')));
    return null;
  }
  const chart = h('div', { id: 'daily-usage' });
  const plan = usage.plan || {};
  const limits = plan.limits || {};
  const s = usage.stats || {};
  const n = usage.numbers || {};

  fill(main,
    heading('Usage', h('p', { class: 'crumbs' }, 'Period ', when(usage.periodStart), ' – ',
      when(usage.periodEnd))),
    h('div', { class: 'columns' },
      h('section', { class: 'card', 'aria-labelledby': 'usage-plan' },
        h('h2', { id: 'usage-plan', text: `Plan: ${plan.name || '—'}` }),
        h('table', { id: 'plan-limits' },
          h('caption', { class: 'visually-hidden', text: 'Plan limits' }),
          h('tbody', {},
            row('Phone numbers', `${n.used ?? '—'} used of ${n.limit ?? limits.numbers ?? '—'}`
              + (n.remaining != null ? ` (${n.remaining} left)` : '')),
            row('Messages per month', limits.messagesPerMonth),
            row('Voice minutes per month', limits.voiceMinutesPerMonth),
            row('Longest call (minutes)', limits.maxCallDurationMinutes),
            row('Concurrent calls', limits.concurrentCalls)))),
      h('section', { class: 'card', 'aria-labelledby': 'usage-stats' },
        h('h2', { id: 'usage-stats', text: 'Activity' }),
        h('table', {},
          h('caption', { class: 'visually-hidden', text: 'Activity counts' }),
          h('thead', {}, h('tr', {}, ['', '24 h', '7 days', '30 days', 'All time']
            .map((t) => h('th', { scope: 'col', text: t })))),
          h('tbody', {},
            h('tr', {}, h('th', { scope: 'row', text: 'Messages' }),
              [s.messagesLast24h, s.messagesLast7d, s.messagesLast30d, s.totalMessages]
                .map((v) => h('td', { class: 'num', text: fmt(v) }))),
            h('tr', {}, h('th', { scope: 'row', text: 'Calls' }),
              [s.callsLast24h, s.callsLast7d, s.callsLast30d, s.totalCalls]
                .map((v) => h('td', { class: 'num', text: fmt(v) }))))),
        h('p', {}, `Webhook deliveries: ${fmt(s.totalWebhookDeliveries)} in all, `
          + `${fmt(s.successfulWebhookDeliveries)} succeeded, ${fmt(s.failedWebhookDeliveries)} failed.`))),
    h('section', { 'aria-labelledby': 'usage-daily' },
      h('h2', { id: 'usage-daily', text: 'Daily activity' }), chart));
  await drawDaily(chart);
  return null;
}

async function drawDaily(pane) {
  try {
    const daily = await get(`/v1/usage/daily${query({ days })}`);
    const points = daily.data || [];
    fill(pane, barChart({
      title: `Messages, calls and webhook deliveries per day, last ${daily.days ?? days} days`,
      labels: points.map((p) => p.date.slice(5)),
      series: [
        { name: 'messages', key: 'messages', values: points.map((p) => p.messages || 0) },
        { name: 'calls', key: 'calls', values: points.map((p) => p.calls || 0) },
        { name: 'webhooks', key: 'webhooks', values: points.map((p) => p.webhooks || 0) },
      ],
    }));
  } catch (e) {
    fill(pane, h('p', { class: 'error', role: 'alert', text: `Daily usage unavailable: ${e.message}` }));
  }
}

function row(label, v) {
  return h('tr', {}, h('th', { scope: 'row', text: label }), h('td', { text: fmt(v) }));
}

function fmt(v) {
  return v === undefined || v === null ? '—' : String(v);
}
