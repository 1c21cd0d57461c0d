// A2P 10DLC registration: the status of the account the console acts for (the main account, or a
// sub-account through the switcher) and where it stands. Registering is done through the API
// (POST /v1/register): the form has some thirty fields the carriers review.
import { get } from '../api.js';
import { h, fill, heading, badge } from '../dom.js';

const STAGES = ['brand_submitted', 'brand_approved', 'campaign_submitted', 'campaign_approved'];
const LABELS = {
  received: 'Received',
  brand_submitted: 'Brand submitted',
  brand_approved: 'Brand approved',
  campaign_submitted: 'Campaign submitted',
  campaign_approved: 'Campaign approved',
};

export async function render(main) {
  const status = await get('/v1/register/status');
  const kind = { approved: 'success', pending: 'pending', rejected: 'failed' }[status.campaign_status] || 'none';
  const reached = STAGES.indexOf(status.stage);
  fill(main,
    heading('A2P 10DLC registration'),
    h('section', { class: 'card', id: 'registration-status', 'aria-labelledby': 'registration-now' },
      h('h2', { id: 'registration-now' }, 'Status ', badge(status.campaign_status, kind)),
      h('p', { class: 'registration-message', text: status.message }),
      status.stage ? h('ol', { class: 'stages', 'aria-label': 'Stages' },
        STAGES.map((stage, i) => h('li', {
          class: i <= reached ? 'done' : '',
          'aria-current': stage === status.stage ? 'step' : null,
          text: LABELS[stage],
        }))) : null),
    h('p', { class: 'hint' }, 'US carriers filter SMS from unregistered senders. Register a brand and '
      + 'its campaign with ', h('code', { text: 'POST /v1/register' }), ' (a one-time fee, charged to '
      + 'the main account); by default it creates a dedicated sub-account, which the switcher above '
      + 'shows. iMessage and numbers outside +1 need no registration.'));
  return null;
}
