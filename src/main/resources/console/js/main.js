// The console shell: sign-in, navigation between views, and what the engine offers (sandbox).
import {
  session, get, post, whenUnauthorized, whenSubAccountGone, ApiError,
} from './api.js';
import { h, fill, field, onSubmit, flash, clearStaleFlash } from './dom.js';
import * as agents from './views/agents.js';
import * as numbers from './views/numbers.js';
import * as conversations from './views/conversations.js';
import * as calls from './views/calls.js';
import * as webhooks from './views/webhooks.js';
import * as usage from './views/usage.js';
import * as subAccounts from './views/subaccounts.js';
import * as registration from './views/registration.js';
import * as keys from './views/keys.js';
import * as audit from './views/audit.js';

const views = {
  agents, numbers, conversations, calls, webhooks, usage, 'sub-accounts': subAccounts, registration,
  'api-keys': keys, audit,
};
const main = document.getElementById('main');

/** What this engine offers beyond the REST API, found out once per sign-in. */
const engine = { sandboxSms: false, sandboxCalls: false };
let cleanup = null;
/** Bumped on every navigation: a view that finishes loading after the user moved on is dropped. */
let generation = 0;

/**
 * The sandbox tools answer only in sandbox mode and to a browser on the engine's own machine: the
 * SMS outbox lists (200) or is not there (404); the call simulator, asked with an empty body,
 * rejects the body (422) or is not there.
 */
async function discover() {
  engine.sandboxSms = await get('/sandbox/sms?limit=1').then(() => true, () => false);
  engine.sandboxCalls = await post('/sandbox/calls', {})
    .then(() => true, (e) => e instanceof ApiError && e.status === 422);
  const mode = document.getElementById('mode');
  mode.textContent = engine.sandboxSms || engine.sandboxCalls ? 'Sandbox' : 'Live';
  mode.className = `badge badge-${engine.sandboxSms || engine.sandboxCalls ? 'sandbox' : 'live'}`;
}

/**
 * The account switcher: the main account and each sub-account. The choice is kept in the tab's
 * session and scopes every request the views make (X-Sub-Account-Id).
 */
async function loadSwitcher() {
  const select = document.getElementById('account-switch');
  const children = await get('/v1/sub-accounts?limit=500', { scoped: false })
    .then((r) => r.data || [], () => []);
  const current = session.subAccount;
  if (current && !children.some((c) => c.id === current.id)) session.actAs(null);
  fill(select, h('option', { value: '', text: 'Main account' }),
    children.map((c) => h('option', { value: c.id, text: c.name })));
  select.value = session.subAccount?.id || '';
  markActing();
}

function markActing() {
  document.body.classList.toggle('acting', Boolean(session.subAccount));
}

document.getElementById('account-switch').addEventListener('change', (event) => {
  const select = event.target;
  const id = select.value;
  const name = select.selectedOptions[0]?.textContent;
  session.actAs(id ? { id, name } : null);
  markActing();
  flash(id ? `Acting as the sub-account “${name}”.` : 'Acting as the main account.');
  // an object open now belongs to the account left behind: show its section's list instead
  const [, section = 'agents', objectId] = (location.hash || '#/agents').split('/');
  if (objectId) location.hash = `#/${section}`;
  else route();
});

window.addEventListener('agentphone:sub-accounts-changed', () => { loadSwitcher(); });

whenSubAccountGone(() => {
  session.actAs(null);
  flash('That sub-account no longer exists: the console acts for the main account again.', 'error');
  loadSwitcher();
  route();
});

function showChrome(signedIn) {
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('session').hidden = !signedIn;
}

function signInView(message) {
  generation += 1;
  markActing();
  if (cleanup) { cleanup(); cleanup = null; }
  showChrome(false);
  const key = h('input', {
    name: 'key', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false',
    placeholder: 'sk_live_…',
  });
  const form = h('form', { class: 'card narrow', id: 'sign-in' },
    h('h1', { tabindex: '-1', text: 'Sign in' }),
    h('p', { text: 'Paste an API key of your account. It is kept in this browser tab only '
      + '(session storage) and sent only to this engine.' }),
    field('API key', key),
    message ? h('p', { class: 'error', role: 'alert', text: message }) : null,
    h('button', { type: 'submit', class: 'primary', text: 'Sign in' }),
    h('p', { class: 'hint' }, 'No key yet? Sign up with ',
      h('code', { text: 'POST /v0/agent/sign-up' }), ' (see the README); in sandbox mode the code '
      + 'arrives in ', h('code', { text: '/sandbox/emails' }), '.'));
  const signUp = sandboxSignUp();
  onSubmit(form, async (data) => {
    session.signIn(String(data.get('key')).trim());
    try {
      await get('/v1/agents?limit=1', { trial: true });
    } catch (e) {
      session.signOut();
      throw e.status === 401 ? new Error('This key was not accepted.') : e;
    }
    await discover();
    await loadSwitcher();
    if (!location.hash || location.hash === '#/' || location.hash === '#/sign-in') {
      location.hash = '#/agents';
    } else {
      route();
    }
  });
  fill(main, form, signUp);
  key.focus();
}

/** Signs in with a key; the sign-up card calls it with the key it was just given. */
async function enter(key) {
  session.signIn(key);
  await discover();
  await loadSwitcher();
  if (location.hash === '#/agents') route();
  else location.hash = '#/agents';
}

/**
 * In sandbox mode the engine keeps the emails it would send (/sandbox/emails), so the console
 * can run the whole public sign-up itself: sign-up, read the code, verify, show the new key once.
 */
function sandboxSignUp() {
  const card = h('section', { class: 'card narrow', id: 'sandbox-sign-up', hidden: true,
    'aria-labelledby': 'sign-up-title' });
  get('/sandbox/emails?to=probe%40example.com', { auth: false }).then(() => {
    const form = h('form', { class: 'stack' },
      field('Your email', h('input', { name: 'email', type: 'email', required: true, autocomplete: 'email' })),
      field('First agent’s name', h('input', { name: 'agent', placeholder: 'My Agent' })),
      h('button', { type: 'submit', text: 'Create sandbox account' }));
    onSubmit(form, async (data) => {
      const email = String(data.get('email')).trim();
      const agent = String(data.get('agent') || '').trim();
      const started = await post('/v0/agent/sign-up',
        { human_email: email, ...(agent ? { agent_name: agent } : {}) }, { auth: false });
      const emails = await get(`/sandbox/emails?to=${encodeURIComponent(email)}`, { auth: false });
      const code = /\b(\d{6})\b/.exec(emails.data?.[0]?.text || '')?.[1];
      if (!code) throw new Error('No verification code arrived in the sandbox outbox.');
      const account = await post('/v0/agent/verify',
        { verification_id: started.verification_id, otp_code: code }, { auth: false });
      const go = h('button', { type: 'button', class: 'primary', text: 'Continue to the console' });
      go.addEventListener('click', () => enter(account.api_key));
      fill(card,
        h('h2', { id: 'sign-up-title', text: 'Your sandbox account' }),
        h('p', {}, 'Your API key, shown only this once; copy it for your code:'),
        h('p', {}, h('code', { class: 'secret', id: 'new-key', text: account.api_key })),
        h('p', { class: 'hint' }, `Number ${account.phone_number} and a starter agent are ready.`),
        go);
      go.focus();
    });
    fill(card,
      h('h2', { id: 'sign-up-title', text: 'New here? Create a sandbox account' }),
      h('p', { class: 'hint', text: 'This engine runs in sandbox mode: the verification code '
        + 'email is read from the sandbox outbox for you.' }),
      form);
    card.hidden = false;
  }, () => {});
  return card;
}

async function route() {
  if (!session.key) {
    signInView();
    return;
  }
  showChrome(true);
  const [, section = 'agents', id] = (location.hash || '#/agents').split('/');
  const view = views[section] || agents;
  document.querySelectorAll('#nav a').forEach((a) => {
    if (a.dataset.section === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  if (cleanup) { cleanup(); cleanup = null; }
  clearStaleFlash();
  const mine = ++generation;
  main.replaceChildren(h('p', { class: 'loading', text: 'Loading…' }));
  // the view builds its page off-screen; it is shown only if no other navigation came first
  const page = h('div', { class: 'page' });
  try {
    const stop = (await view.render(page, { id: id && decodeURIComponent(id), engine })) || null;
    if (mine !== generation) {
      if (stop) stop();
      return;
    }
    cleanup = stop;
  } catch (e) {
    if (mine !== generation) return;
    fill(page, h('div', { class: 'card' },
      h('h1', { tabindex: '-1', text: 'Something went wrong' }),
      h('p', { class: 'error', role: 'alert', text: e.message })));
  }
  main.replaceChildren(page);
  document.title = `${main.querySelector('h1')?.textContent || 'Console'} · AgentPhone console`;
  main.querySelector('h1')?.focus({ preventScroll: true });
}

whenUnauthorized(() => {
  session.signOut();
  signInView('The engine no longer accepts this key. Sign in again.');
});

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  flash('Signed out; the key was removed from this tab.');
  // one render only: the hash change renders the sign-in page (a second render would orphan a
  // sign-up already under way in the first)
  if (location.hash === '#/sign-in') signInView();
  else location.hash = '#/sign-in';
});

window.addEventListener('hashchange', route);

(async () => {
  if (session.key) {
    // the switcher first: it forgets a sub-account deleted since, before anything asks for it
    await loadSwitcher();
    await discover().catch(() => {});
  }
  route();
})();
