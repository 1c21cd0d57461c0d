// Numbers: buy (area code, agent), attach to / detach from an agent, release.
import { get, post, del } from '../api.js';
import {
  h, fill, heading, table, field, select, onSubmit, flash, when, value, badge,
} from '../dom.js';

export async function render(main) {
  const [numbers, agents] = await Promise.all([
    get('/v1/numbers?limit=100').then((r) => r.data),
    get('/v1/agents?limit=100').then((r) => r.data),
  ]);
  const agentOptions = [['', 'No agent'], ...agents.map((a) => [a.id, a.name])];
  const refresh = () => render(main);

  const buy = h('form', { class: 'inline', id: 'buy-number' },
    field('Area code', h('input', {
      name: 'areaCode', inputmode: 'numeric', pattern: '[0-9]{3}', maxlength: 3, size: 4,
      placeholder: '415',
    })),
    field('Attach to', select('agentId', agentOptions, agents[0]?.id || '')),
    h('button', { type: 'submit', class: 'primary', text: 'Buy number' }));
  onSubmit(buy, async (data) => {
    const bought = await post('/v1/numbers', {
      areaCode: value(data, 'areaCode'), agentId: value(data, 'agentId'),
    });
    flash(`Bought ${bought.phoneNumber}.`);
    refresh();
  });

  fill(main,
    heading('Numbers'),
    h('section', { class: 'card', 'aria-labelledby': 'numbers-buy' },
      h('h2', { id: 'numbers-buy', text: 'Buy a number' }), buy),
    h('section', { 'aria-labelledby': 'numbers-list' },
      h('h2', { id: 'numbers-list', text: `Active numbers (${numbers.length})` }),
      table('Phone numbers', [
        { label: 'Number', cell: (n) => h('span', { class: 'phone', text: n.phoneNumber }) },
        { label: 'Type', cell: (n) => badge(n.type || 'sms') },
        { label: 'Agent', cell: (n) => agentPicker(n, agentOptions, refresh) },
        { label: 'Bought', cell: (n) => when(n.createdAt) },
        { label: '', cell: (n) => releaseButton(n, refresh) },
      ], numbers, 'No numbers yet: buy one above.')));
  return null;
}

/** Changing the select moves the number: detach from the old agent, attach to the new one. */
function agentPicker(number, options, done) {
  const picker = select('agentId', options, number.agentId || '');
  picker.setAttribute('aria-label', `Agent of ${number.phoneNumber}`);
  picker.addEventListener('change', async () => {
    picker.disabled = true;
    try {
      if (number.agentId) await del(`/v1/agents/${number.agentId}/numbers/${number.id}`);
      if (picker.value) await post(`/v1/agents/${picker.value}/numbers`, { numberId: number.id });
      flash(picker.value ? `${number.phoneNumber} attached.` : `${number.phoneNumber} detached.`);
    } catch (e) {
      flash(e.message, 'error');
    }
    done();
  });
  return picker;
}

function releaseButton(number, done) {
  const button = h('button', { type: 'button', class: 'link danger', text: 'Release' });
  button.setAttribute('aria-label', `Release ${number.phoneNumber}`);
  button.addEventListener('click', async () => {
    if (!window.confirm(`Release ${number.phoneNumber}? Its messages stay; the number goes back `
      + 'to the phone company.')) return;
    try {
      await del(`/v1/numbers/${number.id}`);
      flash(`${number.phoneNumber} released.`);
      done();
    } catch (e) {
      flash(e.message, 'error');
    }
  });
  return button;
}
