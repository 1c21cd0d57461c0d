// A call's timeline as a waterfall (GET /v1/calls/{id}/timeline): one row per voice turn, its
// engine time, the customer webhook's time, the answer streaming out and its storing, drawn to
// one scale, with the same figures in a table and the call's events listed by offset.
import { get } from '../api.js';
import { h, fill, table } from '../dom.js';

const WIDTH = 720;
const LABEL = 150;
const ROW = 24;
const BAR = 14;

/** Segments of a turn, [from span, to span, class, what it was], where both spans exist. */
const SEGMENTS = [
  ['frame_received', 'webhook_sent', 'wf-engine', 'engine'],
  ['webhook_sent', 'webhook_last_byte', 'wf-webhook', 'webhook'],
  ['webhook_last_byte', 'first_frame_out', 'wf-engine', 'engine'],
  ['frame_received', 'first_frame_out', 'wf-engine', 'engine'],
  ['first_frame_out', 'complete', 'wf-answer', 'answer streaming'],
  ['complete', 'stored', 'wf-store', 'stored'],
];

const ms = (v) => (v == null ? '—' : `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms`);
const seconds = (v) => `${(v / 1000).toFixed(1)} s`;

function segments(turn) {
  const at = Object.fromEntries(turn.spans.map((s) => [s.name, s.offsetMs]));
  const asked = 'webhook_sent' in at;
  return SEGMENTS.filter(([from, to], i) => from in at && to in at
    // without a webhook, the engine's part runs straight to the first frame
    && (i === 3 ? !asked : true))
    .map(([from, to, cls, what]) => ({ from: at[from] - turn.offsetMs, to: at[to] - turn.offsetMs, cls, what }));
}

function chart(turns) {
  const rows = turns.map((t) => ({ turn: t, parts: segments(t) }));
  const longest = Math.max(1, ...rows.flatMap((r) => r.parts.map((p) => p.to)));
  const scale = (WIDTH - LABEL - 8) / longest;
  const height = rows.length * ROW + 22;
  return h('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'waterfall', role: 'img',
    'aria-label': `Waterfall of ${turns.length} turns, up to ${ms(longest)}` },
    rows.map(({ turn, parts }, i) => h('g', { class: 'wf-row', 'data-response-id': turn.responseId },
      h('text', { x: 0, y: i * ROW + BAR, class: 'wf-label',
        text: `#${turn.responseId} at ${seconds(turn.offsetMs)} · ${turn.outcome}` }),
      parts.map((p) => h('rect', { class: `wf-bar ${p.cls}`, x: LABEL + p.from * scale,
        y: i * ROW + 2, width: Math.max(1.5, (p.to - p.from) * scale), height: BAR },
      h('title', { text: `${p.what}: ${ms(p.to - p.from)}` }))))),
    h('text', { x: LABEL, y: height - 4, class: 'wf-axis', text: '0' }),
    h('text', { x: WIDTH - 8, y: height - 4, class: 'wf-axis', 'text-anchor': 'end', text: ms(longest) }));
}

/** The waterfall section of a call; `refresh()` reads the timeline again. */
export function waterfall(callId) {
  const body = h('div', { id: 'waterfall-body' }, h('p', { class: 'loading', text: 'Loading the timeline…' }));
  const refresh = async () => {
    let timeline;
    try {
      timeline = await get(`/v1/calls/${encodeURIComponent(callId)}/timeline`);
    } catch (e) {
      fill(body, h('p', { class: 'error', text: `The timeline is unavailable: ${e.message}` }));
      return;
    }
    const turns = timeline.turns || [];
    fill(body,
      turns.length ? chart(turns) : h('p', { class: 'empty', text: 'No voice turns were answered by the engine.' }),
      h('p', { class: 'hint wf-legend' },
        h('span', { class: 'wf-key wf-engine' }), ' engine ',
        h('span', { class: 'wf-key wf-webhook' }), ' your webhook ',
        h('span', { class: 'wf-key wf-answer' }), ' answer streaming ',
        h('span', { class: 'wf-key wf-store' }), ' stored'),
      turns.length ? table('Turn timings', [
        { label: 'Turn', cell: (t) => `#${t.responseId}` },
        { label: 'At', cell: (t) => seconds(t.offsetMs), class: 'num' },
        { label: 'Outcome', cell: (t) => t.outcome },
        { label: 'Engine', cell: (t) => ms(t.engineMs), class: 'num' },
        { label: 'Webhook', cell: (t) => ms(t.webhookMs), class: 'num' },
      ], turns) : null,
      h('ol', { class: 'wf-events', id: 'timeline-events', 'aria-label': 'Call events' },
        (timeline.events || []).map((e) => h('li', {},
          h('span', { class: 'num', text: seconds(e.offsetMs) }), ' ', e.type.replace('_', ' ')))));
  };
  const button = h('button', { type: 'button', class: 'link', id: 'waterfall-refresh', text: 'Refresh' });
  button.addEventListener('click', refresh);
  const section = h('section', { class: 'card', id: 'waterfall', 'aria-labelledby': 'waterfall-title' },
    h('div', { class: 'section-head' }, h('h2', { id: 'waterfall-title', text: 'Timeline' }), button),
    body);
  refresh();
  return { section, refresh };
}
