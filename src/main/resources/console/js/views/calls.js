// Calls: list with filters and the account's recording setting; one call's transcript and, when
// it was recorded, a player; a live view that follows the transcript stream; in sandbox mode, a
// simulated caller (dial, speak, hang up).
import { get, post, followLive, query } from '../api.js';
import { waterfall } from './waterfall.js';
import {
  h, fill, heading, table, field, select, onSubmit, flash, when, link, value, badge,
} from '../dom.js';

const PAGE = 20;
/** Filters survive moving between the list and a call. */
const filters = { status: '', direction: '', type: '', search: '', offset: 0 };

export async function render(main, { id, engine }) {
  if (id) return renderOne(main, id, engine);
  const numbers = await get('/v1/numbers?limit=100').then((r) => r.data, () => []);
  const results = h('div', { 'aria-live': 'polite' });

  const load = async () => {
    const page = await get(`/v1/calls${query({ ...filters, limit: PAGE })}`);
    const prev = h('button', { type: 'button', text: '← Newer', disabled: filters.offset === 0 });
    const next = h('button', { type: 'button', text: 'Older →', disabled: !page.hasMore });
    prev.addEventListener('click', () => { filters.offset = Math.max(0, filters.offset - PAGE); load(); });
    next.addEventListener('click', () => { filters.offset += PAGE; load(); });
    fill(results,
      h('p', { class: 'hint', text: `${page.total} call${page.total === 1 ? '' : 's'}` }),
      table('Calls', [
        { label: 'Started', cell: (c) => link(`#/calls/${c.id}`, new Date(c.startedAt).toLocaleString()) },
        { label: 'Direction', cell: (c) => c.direction },
        { label: 'From', cell: (c) => c.fromNumber },
        { label: 'To', cell: (c) => c.toNumber },
        { label: 'Status', cell: (c) => badge(c.status) },
        { label: 'Duration', cell: (c) => (c.durationSeconds == null ? '—' : `${c.durationSeconds} s`), class: 'num' },
        { label: 'Last words', cell: (c) => h('span', { class: 'preview', text: c.lastTranscriptSnippet || '' }) },
      ], page.data, 'No calls match.'),
      h('p', { class: 'pager' }, prev, ' ', next));
  };

  const filterForm = h('form', { class: 'inline', role: 'search', 'aria-label': 'Filter calls' },
    field('Status', select('status', [['', 'Any'], ['in-progress', 'in progress'],
      ['completed', 'completed'], ['failed', 'failed']], filters.status)),
    field('Direction', select('direction', [['', 'Any'], ['inbound', 'inbound'],
      ['outbound', 'outbound']], filters.direction)),
    field('Type', select('type', [['', 'Any'], ['pstn', 'phone'], ['web', 'web']], filters.type)),
    field('Number', h('input', { name: 'search', value: filters.search, inputmode: 'tel', size: 14 })),
    h('button', { type: 'submit', text: 'Filter' }));
  onSubmit(filterForm, async (data) => {
    for (const k of ['status', 'direction', 'type', 'search']) filters[k] = value(data, k) || '';
    filters.offset = 0;
    await load();
  });

  fill(main,
    heading('Calls'),
    h('div', { class: 'columns wide-left' },
      h('section', { 'aria-labelledby': 'calls-list' },
        h('h2', { id: 'calls-list', text: 'Calls' }), filterForm, results),
      h('div', {}, engine.sandboxCalls ? dialer(numbers) : null, await recordingSetting())));
  await load();
  return null;
}

/** The account's recording setting (POST /v1/credits/recording/enable and …/disable). */
async function recordingSetting() {
  let setting = await get('/v1/credits/recording').catch(() => null);
  if (!setting) return null;
  const state = h('p', { id: 'recording-state', role: 'status' });
  const toggle = h('button', { type: 'button', id: 'recording-toggle' });
  const draw = () => {
    state.textContent = setting.recordingEnabled
      ? 'On: calls that begin from now on are recorded.' : 'Off: calls are not recorded.';
    toggle.textContent = setting.recordingEnabled ? 'Turn recording off' : 'Turn recording on';
  };
  draw();
  toggle.addEventListener('click', async () => {
    toggle.disabled = true;
    try {
      setting = await post(`/v1/credits/recording/${setting.recordingEnabled ? 'disable' : 'enable'}`);
      draw();
    } catch (e) {
      flash(e.message, 'error');
    } finally {
      toggle.disabled = false;
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'recording-title' },
    h('h2', { id: 'recording-title', text: 'Call recording' }), state, toggle);
}

/** A player for the call's recording, once there is one. */
function recordingPlayer(call) {
  if (!call.recordingAvailable || !call.recordingUrl) return null;
  return h('div', { class: 'recording' },
    h('audio', { controls: true, preload: 'metadata', id: 'recording', src: call.recordingUrl,
      'aria-label': 'Call recording' }),
    h('p', {}, h('a', { href: call.recordingUrl, download: `recording-${call.id}.wav`, text: 'Download the recording' })));
}

/** The sandbox caller: dials one of your numbers through POST /sandbox/calls. */
function dialer(numbers) {
  const active = numbers.filter((n) => n.status === 'active' && n.agentId);
  const form = h('form', { class: 'stack', id: 'dialer' },
    field('From (the caller)', h('input', {
      name: 'from', value: '+12125550147', required: true, inputmode: 'tel', autocomplete: 'off',
    })),
    field('To (your number)', select('to', active.map((n) => [n.phoneNumber, n.phoneNumber]))),
    h('button', { type: 'submit', class: 'primary', text: 'Start simulated call' }));
  onSubmit(form, async (data) => {
    const call = await post('/sandbox/calls', { from: value(data, 'from'), to: value(data, 'to') });
    location.hash = `#/calls/${call.callId}`;
  });
  return h('section', { class: 'card phone', 'aria-labelledby': 'dialer-title' },
    h('h2', { id: 'dialer-title', text: 'Simulated inbound call' }),
    h('p', { class: 'hint', text: 'A caller dials your number; the simulated voice provider '
      + 'speaks its real protocol to this engine. Then type what the caller says.' }),
    active.length ? form : h('p', { text: 'Attach a number to an agent first.' }));
}

async function renderOne(main, id, engine) {
  let call = await get(`/v1/calls/${encodeURIComponent(id)}`);
  const facts = h('dl', { class: 'facts' });
  const drawFacts = () => fill(facts, [
    ['Status', badge(call.status)],
    ['Direction', `${call.direction} (${call.type === 'web' ? 'web' : 'phone'})`],
    ['From', call.fromNumber || '—'], ['To', call.toNumber || '—'],
    ['Started', when(call.startedAt)], ['Ended', when(call.endedAt)],
    ['Duration', call.durationSeconds == null ? '—' : `${call.durationSeconds} s`],
    ['Ended by', call.disconnectionReason || '—'],
    ['Summary', call.summary || '—'], ['Sentiment', call.userSentiment || '—'],
  ].map(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]));
  drawFacts();
  const recording = h('div', { id: 'call-recording' });
  const drawRecording = () => fill(recording, recordingPlayer(call));
  drawRecording();

  const turns = h('ol', { class: 'turns', id: 'turns', 'aria-live': 'polite', 'aria-label': 'Transcript' });
  const addTurn = (role, content) => turns.append(h('li', { class: `turn turn-${role}` },
    h('span', { class: 'who', text: role === 'agent' ? 'Agent' : 'Caller' }),
    h('span', { class: 'said', text: content })));
  const live = h('p', { class: 'live-state', id: 'live-state', role: 'status' });
  const interim = h('p', { class: 'interim hint', id: 'interim', 'aria-live': 'polite' });

  const isLive = call.status === 'in-progress';
  const end = isLive ? endButton(call) : null;
  const controls = isLive ? h('section', { class: 'card', id: 'control', 'aria-labelledby': 'control-title' }) : null;
  const callerPane = isLive && engine.sandboxCalls ? caller(call) : null;
  const timeline = waterfall(call.id);
  const section = h('div', {}, h('section', { 'aria-labelledby': 'call-transcript' },
    h('h2', { id: 'call-transcript', text: 'Transcript' }), live, turns, interim), timeline.section);
  fill(main,
    heading(`Call ${call.fromNumber || ''} → ${call.toNumber || ''}`,
      h('p', { class: 'crumbs' }, link('#/calls', '← All calls'), ' · ', h('code', { text: call.id }))),
    h('div', { class: 'columns wide-left' }, section,
      h('div', {},
        h('section', { class: 'card', 'aria-labelledby': 'call-facts' },
          h('h2', { id: 'call-facts', text: 'Details' }), facts, recording, end),
        controls, callerPane)));

  if (call.status !== 'in-progress') {
    live.textContent = 'Recorded transcript.';
    for (const t of call.transcripts || []) {
      if (t.transcript) addTurn('user', t.transcript);
      if (t.response) addTurn('agent', t.response);
    }
    if (!turns.children.length) live.textContent = 'No transcript was recorded.';
    return null;
  }

  live.textContent = 'Connecting to the live transcript…';
  const reload = async () => {
    call = await get(`/v1/calls/${call.id}`).catch(() => call);
    drawFacts();
    drawRecording();
  };
  // the analysis and the recording land a moment after the end
  const settle = async (tries) => {
    await reload();
    if (tries > 0 && (!call.summary || !call.recordingAvailable)) setTimeout(() => settle(tries - 1), 1500);
  };
  const socket = followLive(call.id, {
    open: () => { live.textContent = '● Live: turns appear as they are spoken.'; live.className = 'live-state on'; },
    frame: (frame) => {
      if (frame.type === 'connected') showControl(frame.takenOver);
      if (frame.type === 'turn') {
        addTurn(frame.role, frame.content);
        if (frame.role === 'user') interim.textContent = '';
        // the turn's timing is written just after its answer
        if (frame.role === 'agent') setTimeout(timeline.refresh, 500);
      }
      if (frame.type === 'interim') interim.textContent = `Caller (hearing): ${frame.text}…`;
      if (frame.type === 'takeover') showControl({ by: frame.by, at: frame.at });
      if (frame.type === 'release') showControl(null);
      if (frame.type === 'ended') {
        live.textContent = `Call ended (${frame.status}${frame.durationSeconds != null ? `, ${frame.durationSeconds} s` : ''}).`;
        live.className = 'live-state';
        interim.textContent = '';
        callerPane?.remove();
        controls?.remove();
        end?.remove();
        settle(8);
        setTimeout(timeline.refresh, 500);
      }
    },
    reconnecting: () => { live.textContent = 'Connection lost; reconnecting…'; live.className = 'live-state'; },
    error: (e) => { live.textContent = `The live call is unavailable: ${e.message}`; },
  });
  const showControl = (takenOver) => fill(controls, ...operator(socket, takenOver));
  showControl(null);
  return socket.stop;
}

/**
 * The operator's controls of a live call, over its socket: take over (the agent's webhook is not
 * asked) and release, say something as the agent, transfer, end.
 */
function operator(socket, takenOver) {
  const send = async (frame, button) => {
    if (button) button.disabled = true;
    const ack = await socket.command(frame);
    if (button) button.disabled = false;
    if (!ack.ok) flash(ack.detail || 'The call refused that', 'error');
    return ack;
  };
  const toggle = h('button', { type: 'button', id: takenOver ? 'release' : 'take-over',
    class: takenOver ? '' : 'primary', text: takenOver ? 'Release' : 'Take over' });
  toggle.addEventListener('click', () => send({ type: takenOver ? 'release' : 'takeover' }, toggle));
  const say = h('form', { class: 'stack', id: 'agent-say' },
    field('Say as the agent', h('input', { name: 'text', required: true, autocomplete: 'off' })),
    h('button', { type: 'submit', class: 'primary', text: 'Speak' }));
  onSubmit(say, async (data) => {
    const ack = await send({ type: 'say', text: value(data, 'text') });
    if (ack.ok) say.reset();
  });
  const transfer = h('form', { class: 'stack', id: 'transfer' },
    field('Transfer to', h('input', { name: 'number', required: true, inputmode: 'tel', placeholder: '+14155550123' })),
    h('button', { type: 'submit', text: 'Transfer' }));
  onSubmit(transfer, async (data) => { await send({ type: 'transfer', number: value(data, 'number') }); });
  const state = h('p', { id: 'control-state', class: 'hint', text: takenOver
    ? `Taken over${takenOver.by?.keyId ? ` (key ${takenOver.by.keyId})` : ''}: your words are the agent's answers; the webhook is not asked.`
    : 'The agent answers. Take over to answer the caller yourself.' });
  return [h('h2', { id: 'control-title', text: 'Live control' }), state, toggle, say, transfer];
}

/** Sandbox controls for a live simulated call: say something as the caller, or hang up. */
function caller(call) {
  const form = h('form', { class: 'stack', id: 'say' },
    field('The caller says', h('input', { name: 'text', required: true, autocomplete: 'off' })),
    h('button', { type: 'submit', class: 'primary', text: 'Say' }));
  onSubmit(form, async (data) => {
    await post(`/sandbox/calls/${call.id}/say`, { text: value(data, 'text') });
    form.reset();
    form.querySelector('input').focus();
  });
  const hangup = h('button', { type: 'button', class: 'danger', text: 'Hang up' });
  hangup.addEventListener('click', async () => {
    hangup.disabled = true;
    try {
      await post(`/sandbox/calls/${call.id}/hangup`);
    } catch (e) {
      hangup.disabled = false;
      flash(e.message, 'error');
    }
  });
  return h('section', { class: 'card phone', id: 'caller', 'aria-labelledby': 'caller-title' },
    h('h2', { id: 'caller-title', text: 'Simulated caller' }), form, hangup);
}

/** Ends a live call through the API (POST /v1/calls/{id}/end), simulated or not. */
function endButton(call) {
  const button = h('button', { type: 'button', id: 'end-call', text: 'End call' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await post(`/v1/calls/${call.id}/end`);
    } catch (e) {
      button.disabled = false;
      flash(e.message, 'error');
    }
  });
  return button;
}
