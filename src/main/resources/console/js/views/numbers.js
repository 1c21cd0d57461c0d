// Numbers: buy (area code, agent, SMS or iMessage), attach to / detach from an agent, release;
// one number's page shows its iMessage contact card and edits it.
import { get, post, put, del } from '../api.js';
import {
  h, fill, heading, table, field, select, onSubmit, flash, when, value, badge, link,
} from '../dom.js';

export async function render(main, { id } = {}) {
  if (id) return renderOne(main, id);
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
    field('Type', select('type', [['sms', 'SMS'], ['imessage', 'iMessage']], 'sms')),
    h('button', { type: 'submit', class: 'primary', text: 'Buy number' }));
  onSubmit(buy, async (data) => {
    const bought = await post('/v1/numbers', {
      areaCode: value(data, 'areaCode'), agentId: value(data, 'agentId'), type: value(data, 'type'),
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
        { label: 'Number', cell: (n) => h('a', { href: `#/numbers/${n.id}`, class: 'phone', text: n.phoneNumber }) },
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

async function renderOne(main, id) {
  const number = await get(`/v1/numbers/${encodeURIComponent(id)}`);
  const agent = number.agentId
    ? await get(`/v1/agents/${number.agentId}`).then((a) => a.name, () => number.agentId) : null;
  fill(main,
    heading(number.phoneNumber, h('p', { class: 'crumbs' }, link('#/numbers', '← All numbers'))),
    h('div', { class: 'columns' },
      h('section', { class: 'card', 'aria-labelledby': 'number-facts' },
        h('h2', { id: 'number-facts', text: 'Number' }),
        h('p', {}, 'Type: ', badge(number.type || 'sms'), ' · Status: ', badge(number.status)),
        h('p', { text: `Agent: ${agent || 'none'}` }),
        h('p', {}, 'Bought: ', when(number.createdAt))),
      number.type === 'imessage' && number.status === 'active'
        ? await contactCard(number, () => renderOne(main, id))
        : h('section', { class: 'card', 'aria-labelledby': 'number-card' },
          h('h2', { id: 'number-card', text: 'Contact card' }),
          h('p', { class: 'hint', text: 'Contact cards are for active iMessage numbers: recipients '
            + 'of an SMS line see only its number.' }))));
  return null;
}

/** The iMessage contact card: what recipients see as this number's name and photo. */
async function contactCard(number, done) {
  const path = `/v1/numbers/${number.id}/contact-card`;
  const card = await get(path).catch((e) => {
    if (e.status === 404) return null;
    throw e;
  });
  const input = (name, label, attrs = {}) => field(label, h('input', {
    name, value: card?.[name] || '', maxlength: 100, ...attrs,
  }));
  const form = h('form', { class: 'stack', id: 'contact-card' },
    input('firstName', 'First name'),
    input('lastName', 'Last name'),
    input('displayName', 'Display name'),
    field('Photo URL', h('input', {
      name: 'avatarUrl', type: 'url', placeholder: 'https://example.com/logo.png', maxlength: 2083,
    }), card?.hasAvatar
      ? 'A photo is set. Saving replaces the whole card: give the URL again to keep a photo.'
      : 'JPEG, PNG, GIF, WebP or HEIC up to 5 MB; fetched once and handed to the carrier.'),
    h('button', { type: 'submit', class: 'primary', text: card ? 'Save card' : 'Set card' }));
  onSubmit(form, async (data) => {
    await put(path, {
      firstName: value(data, 'firstName') ?? null,
      lastName: value(data, 'lastName') ?? null,
      displayName: value(data, 'displayName') ?? null,
      avatarUrl: value(data, 'avatarUrl') ?? null,
    });
    flash(`Contact card of ${number.phoneNumber} saved.`);
    done();
  });

  const remove = card && h('button', { type: 'button', class: 'danger', text: 'Remove card' });
  if (remove) {
    remove.addEventListener('click', async () => {
      if (!window.confirm(`Remove the contact card of ${number.phoneNumber}?`)) return;
      try {
        await del(path);
        flash(`Contact card of ${number.phoneNumber} removed.`);
        done();
      } catch (e) {
        flash(e.message, 'error');
      }
    });
  }

  const shown = card
    ? [card.displayName, [card.firstName, card.lastName].filter(Boolean).join(' ')]
      .filter(Boolean).join(' · ') || 'No name'
    : null;
  return h('section', { class: 'card', 'aria-labelledby': 'number-card' },
    h('h2', { id: 'number-card', text: 'Contact card' }),
    h('p', { id: 'contact-card-shown' }, card
      ? [`Recipients see: ${shown}`, ' · ', badge(card.hasAvatar ? 'photo' : 'no photo')]
      : 'No contact card: recipients see only the number.'),
    form, remove);
}
