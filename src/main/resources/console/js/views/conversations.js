// Conversations: by recent activity; one conversation's messages and metadata; in sandbox mode a
// phone that texts your numbers as the customer would.
import { get, post, patch } from '../api.js';
import {
  h, fill, heading, table, field, select, onSubmit, flash, when, link, value, badge,
} from '../dom.js';

const POLL_MS = 3000;

/** Runs `tick` every `ms` while the tab is visible; returns stop(). */
function every(ms, tick) {
  const timer = setInterval(() => { if (!document.hidden) tick(); }, ms);
  return () => clearInterval(timer);
}

export async function render(main, { id, engine }) {
  if (id) return renderOne(main, id, engine);
  const [conversations, numbers] = await Promise.all([
    get('/v1/conversations?limit=50').then((r) => r.data),
    get('/v1/numbers?limit=100').then((r) => r.data),
  ]);
  const list = h('div', {});
  const draw = (rows) => fill(list, table('Conversations', [
    { label: 'With', cell: (c) => link(`#/conversations/${c.id}`, c.participant) },
    { label: 'Your number', cell: (c) => c.phoneNumber },
    { label: 'Last message', cell: (c) => h('span', { class: 'preview', text: c.lastMessagePreview || '' }) },
    { label: 'Messages', cell: (c) => String(c.messageCount), class: 'num' },
    { label: 'Last activity', cell: (c) => when(c.lastMessageAt) },
  ], rows, 'No conversations yet. Text one of your numbers to start one.'));
  draw(conversations);

  fill(main,
    heading('Conversations'),
    h('div', { class: 'columns wide-left' },
      h('section', { 'aria-labelledby': 'conv-list' },
        h('h2', { id: 'conv-list', text: 'By recent activity' }), list),
      engine.sandboxSms ? phone(numbers, {}, (sent) => {
        location.hash = `#/conversations/${sent.message.conversationId}`;
      }) : null));
  return every(POLL_MS * 2, async () => {
    draw(await get('/v1/conversations?limit=50').then((r) => r.data, () => conversations));
  });
}

async function renderOne(main, id, engine) {
  const path = `/v1/conversations/${encodeURIComponent(id)}`;
  let conversation = await get(`${path}?message_limit=100`);
  const numbers = await get('/v1/numbers?limit=100').then((r) => r.data, () => []);
  const thread = h('ol', { class: 'thread', 'aria-label': 'Messages, oldest first', 'aria-live': 'polite' });
  const count = h('span', {});
  const drawThread = (c) => {
    fill(count, `${c.messageCount} message${c.messageCount === 1 ? '' : 's'}`);
    fill(thread, [...c.messages].reverse().map((m) => h('li', {
      class: `msg msg-${m.direction}`, 'data-id': m.id,
    },
    h('p', { class: 'body', text: m.body || (m.mediaUrl ? '[media]' : '') }),
    m.mediaUrl ? h('p', {}, link(m.mediaUrl, 'Attachment')) : null,
    h('p', { class: 'meta' }, m.direction === 'inbound' ? 'Customer' : 'Agent', ' · ',
      badge(m.channel || 'sms'), ' · ', when(m.receivedAt)))));
  };
  drawThread(conversation);

  const metadata = h('textarea', {
    name: 'metadata', rows: 6, spellcheck: 'false', class: 'mono',
    value: conversation.metadata ? JSON.stringify(conversation.metadata, null, 2) : '',
  });
  const metaForm = h('form', { class: 'stack' },
    field('Metadata (JSON object)', metadata,
      'Your own state for this conversation; webhooks receive it as conversationState. '
      + 'Empty clears it.'),
    h('button', { type: 'submit', text: 'Save metadata' }));
  onSubmit(metaForm, async (data) => {
    const raw = String(data.get('metadata')).trim();
    let parsed = null;
    if (raw) {
      try { parsed = JSON.parse(raw); } catch (e) { throw new Error(`Not valid JSON: ${e.message}`); }
      if (typeof parsed !== 'object' || Array.isArray(parsed) || parsed === null) {
        throw new Error('Metadata must be a JSON object, like {"stage": "booking"}.');
      }
    }
    conversation = await patch(path, { metadata: parsed });
    flash('Metadata saved.');
  });

  const reply = h('form', { class: 'stack', id: 'agent-reply' },
    field('Reply as the agent', h('textarea', { name: 'body', rows: 2, required: true })),
    h('button', { type: 'submit', class: 'primary', text: 'Send reply' }));
  onSubmit(reply, async (data) => {
    await post('/v1/messages', {
      agent_id: conversation.agentId, to_number: conversation.participant,
      number_id: conversation.phoneNumberId, body: String(data.get('body')),
    });
    reply.reset();
    await refresh();
  });

  const refresh = async () => {
    const fresh = await get(`${path}?message_limit=100`).catch(() => null);
    if (fresh && (fresh.messageCount !== conversation.messageCount
      || fresh.messages[0]?.id !== conversation.messages[0]?.id)) {
      conversation = fresh;
      drawThread(fresh);
    }
  };

  fill(main,
    heading(`Conversation with ${conversation.participant}`,
      h('p', { class: 'crumbs' }, link('#/conversations', '← All conversations'), ' · on ',
        conversation.phoneNumber, ' · ', count)),
    h('div', { class: 'columns wide-left' },
      h('section', { 'aria-labelledby': 'conv-thread' },
        h('h2', { id: 'conv-thread', text: 'Messages' }), thread,
        conversation.agentId ? reply : null),
      h('div', {},
        engine.sandboxSms ? phone(numbers, {
          from: conversation.participant, to: conversation.phoneNumber,
        }, refresh) : null,
        h('section', { class: 'card', 'aria-labelledby': 'conv-meta' },
          h('h2', { id: 'conv-meta', text: 'Metadata' }), metaForm))));
  return every(POLL_MS, refresh);
}

/** The sandbox phone: texts one of your numbers through POST /sandbox/sms. */
function phone(numbers, { from = '+12125550123', to }, sent) {
  const active = numbers.filter((n) => n.status === 'active');
  const form = h('form', { class: 'stack', id: 'phone' },
    field('From (the customer)', h('input', {
      name: 'from', value: from, required: true, inputmode: 'tel', autocomplete: 'off',
    })),
    field('To (your number)', select('to', active.map((n) => [n.phoneNumber, n.phoneNumber]), to)),
    field('Message', h('textarea', { name: 'body', rows: 3, required: true })),
    h('button', { type: 'submit', class: 'primary', text: 'Send as customer' }));
  onSubmit(form, async (data) => {
    const result = await post('/sandbox/sms', {
      from: value(data, 'from'), to: value(data, 'to'), body: String(data.get('body')),
    });
    form.querySelector('textarea').value = '';
    flash(`Delivered to ${result.message.toNumber} through the simulated phone company.`);
    await sent(result);
  });
  return h('section', { class: 'card phone', 'aria-labelledby': 'phone-title' },
    h('h2', { id: 'phone-title', text: 'Sandbox phone' }),
    h('p', { class: 'hint', text: 'Texts your number as a customer would: a signed Twilio '
      + 'webhook to this engine, so the real inbound path runs.' }),
    active.length ? form : h('p', { text: 'Buy a number first.' }));
}
