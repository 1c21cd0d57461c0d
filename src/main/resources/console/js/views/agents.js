// Agents: list, create, edit (voice mode, prompt, voice, voice settings), delete, attach and
// detach numbers.
import { get, post, patch, del } from '../api.js';
import { voiceFields, voiceBody } from './voice-settings.js';
import {
  h, fill, heading, table, field, select, onSubmit, flash, when, link, value, badge,
} from '../dom.js';

const MODES = [['hosted', 'Hosted (the engine talks)'], ['webhook', 'Webhook (your server answers)']];
const TIERS = [['turbo', 'turbo'], ['balanced', 'balanced'], ['max', 'max']];

export async function render(main, { id }) {
  const voices = await get('/v1/agents/voices').then((r) => r.data || [], () => []);
  if (id) return renderOne(main, id, voices);
  const agents = (await get('/v1/agents?limit=100')).data;

  const form = agentForm({}, voices, 'Create agent');
  onSubmit(form, async (data) => {
    const created = await post('/v1/agents', body(data, true));
    flash(`Agent “${created.name}” created.`);
    render(main, {});
  });

  fill(main,
    heading('Agents'),
    h('section', { 'aria-labelledby': 'agents-list' },
      h('h2', { id: 'agents-list', text: `Your agents (${agents.length})` }),
      table('Agents', [
        { label: 'Name', cell: (a) => link(`#/agents/${a.id}`, a.name) },
        { label: 'Voice mode', cell: (a) => badge(a.voiceMode) },
        { label: 'Voice', cell: (a) => voiceName(voices, a.voice) },
        { label: 'Numbers', cell: (a) => (a.numbers || []).map((n) => n.phoneNumber).join(', ') || '—' },
        { label: 'Created', cell: (a) => when(a.createdAt) },
      ], agents, 'No agents yet: create one below.')),
    h('section', { class: 'card', 'aria-labelledby': 'agent-new' },
      h('h2', { id: 'agent-new', text: 'New agent' }), form));
  return null;
}

async function renderOne(main, id, voices) {
  const [agent, numbers] = await Promise.all([
    get(`/v1/agents/${encodeURIComponent(id)}`),
    get('/v1/numbers?limit=100').then((r) => r.data),
  ]);
  const form = agentForm(agent, voices, 'Save changes');
  onSubmit(form, async (data) => {
    await patch(`/v1/agents/${agent.id}`, body(data, false));
    flash('Agent saved.');
    renderOne(main, id, voices);
  });

  const attached = agent.numbers || [];
  const free = numbers.filter((n) => !n.agentId && n.status === 'active');
  const attach = h('form', { class: 'inline' },
    field('Number', select('numberId', free.map((n) => [n.id, n.phoneNumber]))),
    h('button', { type: 'submit', text: 'Attach' }));
  onSubmit(attach, async (data) => {
    await post(`/v1/agents/${agent.id}/numbers`, { numberId: data.get('numberId') });
    flash('Number attached.');
    renderOne(main, id, voices);
  });

  const remove = h('button', { type: 'button', class: 'danger', text: 'Delete agent' });
  remove.addEventListener('click', async () => {
    if (!window.confirm(`Delete the agent “${agent.name}”?`)) return;
    try {
      await del(`/v1/agents/${agent.id}`);
      flash(`Agent “${agent.name}” deleted.`);
      location.hash = '#/agents';
    } catch (e) {
      flash(e.message, 'error');
    }
  });

  fill(main,
    heading(agent.name, h('p', { class: 'crumbs' }, link('#/agents', '← All agents'))),
    h('div', { class: 'columns' },
      h('section', { class: 'card', 'aria-labelledby': 'agent-edit' },
        h('h2', { id: 'agent-edit', text: 'Settings' }), form),
      h('section', { class: 'card', 'aria-labelledby': 'agent-numbers' },
        h('h2', { id: 'agent-numbers', text: 'Numbers' }),
        table('Numbers of this agent', [
          { label: 'Number', cell: (n) => n.phoneNumber },
          { label: 'Type', cell: (n) => n.type },
          { label: '', cell: (n) => detachButton(agent, n, () => renderOne(main, id, voices)) },
        ], attached, 'No number attached.'),
        free.length ? attach : h('p', { class: 'hint' }, 'Every active number is attached. ',
          link('#/numbers', 'Buy another'), '.'),
        h('p', { class: 'hint' }, 'Agent id ', h('code', { text: agent.id })),
        remove)));
  return null;
}

function detachButton(agent, number, done) {
  const button = h('button', { type: 'button', class: 'link', text: 'Detach' });
  button.addEventListener('click', async () => {
    try {
      await del(`/v1/agents/${agent.id}/numbers/${number.id}`);
      flash(`${number.phoneNumber} detached.`);
      done();
    } catch (e) {
      flash(e.message, 'error');
    }
  });
  return button;
}

function voiceName(voices, id) {
  const v = voices.find((x) => x.voice_id === id);
  return v ? `${v.voice_name} (${v.accent || v.provider})` : (id || '—');
}

function agentForm(agent, voices, submitLabel) {
  const voiceOptions = voices.map((v) => [v.voice_id,
    `${v.voice_name} — ${[v.gender, v.accent, v.provider].filter(Boolean).join(', ')}`]);
  if (agent.voice && !voices.some((v) => v.voice_id === agent.voice)) {
    voiceOptions.unshift([agent.voice, agent.voice]);
  }
  if (!agent.id) voiceOptions.unshift(['', 'Default voice']);
  const text = (name, attrs = {}) => h('input', { name, value: agent[name] ?? '', ...attrs });
  return h('form', { class: 'stack' },
    field('Name', text('name', { required: !agent.id ? true : undefined, maxlength: 200 })),
    field('Description', text('description')),
    field('Voice mode', select('voiceMode', MODES, agent.voiceMode || 'hosted'),
      'Hosted: the engine runs the conversation from the prompt. Webhook: every caller '
      + 'utterance is POSTed to your webhook, which answers.'),
    field('System prompt', h('textarea', { name: 'systemPrompt', rows: 4, value: agent.systemPrompt ?? '' })),
    field('Begin message', text('beginMessage'), 'What the agent says when it answers.'),
    field('Voice', select('voice', voiceOptions, agent.voice || '')),
    field('Model tier', select('modelTier', TIERS, agent.modelTier || 'balanced')),
    voiceFields(agent),
    h('button', { type: 'submit', class: 'primary', text: submitLabel }));
}

/** The JSON body from the form; on create, blank fields are left out so defaults apply. */
function body(data, creating) {
  const out = {};
  for (const name of ['name', 'description', 'voiceMode', 'systemPrompt', 'beginMessage', 'voice',
    'modelTier']) {
    const v = value(data, name);
    if (v !== undefined) out[name] = v;
    else if (!creating && name !== 'name' && name !== 'voice') out[name] = null;
  }
  return { ...out, ...voiceBody(data, creating) };
}
