// Sub-accounts (and the X-Sub-Account-Id header, per request and client-wide), A2P 10DLC
// registration, and location.
import assert from 'node:assert/strict';
import * as shape from '../harness/shapes.mjs';
import { expectStatus, rejection } from '../harness/checks.mjs';
import { newClient } from '../harness/client.mjs';

export async function subAccounts({ client, check, env, state }) {
  await check('subAccounts.createSubAccount', async () => {
    const child = await client.subAccounts.createSubAccount({ name: 'Franchise Berlin' });
    assert.equal(typeof child?.id, 'string', `a sub-account with an id: ${JSON.stringify(child)}`);
    assert.match(child.id, /^sub_/);
    assert.equal(child.name, 'Franchise Berlin');
    assert.equal(typeof child.parentAccountId, 'string', 'it names its parent');
    assert.equal(child.createdAt, child.updatedAt);
    state.child = child;
  });

  await check('subAccounts.listSubAccounts', async () => {
    const list = await client.subAccounts.listSubAccounts({ limit: 10, offset: 0 });
    const items = list?.data ?? list?.subAccounts;
    assert.ok(Array.isArray(items), `a list: ${JSON.stringify(list)}`);
    assert.deepEqual(items.map((s) => s.id), [state.child?.id]);
    assert.equal(list.total, 1);
    assert.equal(list.hasMore, false);
    // the client's limit has no default: the server's applies
    assert.deepEqual((await client.subAccounts.listSubAccounts()).data.map((s) => s.id), [state.child?.id]);
  });

  await check('subAccounts.updateSubAccount', async () => {
    // called even when the create failed, so the method is exercised either way
    const renamed = await client.subAccounts.updateSubAccount({ sub_account_id: childId(state), name: 'Franchise Hamburg' });
    assert.equal(renamed?.name, 'Franchise Hamburg');
    assert.equal(renamed.id, state.child?.id);
  });

  await check('subAccounts.updateSubAccount[422 name too long]', async () => {
    const error = await rejection(() => client.subAccounts.updateSubAccount({ sub_account_id: childId(state), name: 'x'.repeat(101) }), 'a 101-character name');
    expectStatus422(error, 'name');
  });

  await check('agents.listAgents[X-Sub-Account-Id]', async () => {
    assert.ok(state.child, 'no sub-account');
    const theirs = await client.agents.listAgents({ 'X-Sub-Account-Id': state.child.id });
    assert.equal(theirs.total, 0, "a new sub-account has none of its parent's agents");
    const created = await client.agents.createAgent({ 'X-Sub-Account-Id': state.child.id, name: 'Berlin desk' });
    assert.deepEqual((await client.agents.listAgents({ 'X-Sub-Account-Id': state.child.id })).data.map((a) => a.id), [created.id]);
    assert.ok(!(await client.agents.listAgents()).data.some((a) => a.id === created.id), "not among the parent's own");
    state.childAgent = created;
  });

  await check('numbers.listNumbers[client-level X-Sub-Account-Id]', async () => {
    assert.ok(state.child, 'no sub-account');
    const childClient = newClient(env.baseUrl, env.apiKey, { headers: { 'X-Sub-Account-Id': state.child.id } });
    assert.equal((await childClient.numbers.listNumbers()).total, 0);
    expectStatus(await rejection(() => childClient.numbers.getNumber({ number_id: env.numberId }), "the parent's number"),
      404, "the parent's number, seen from the sub-account");
    state.childClient = childClient;
  });

  await check('messages.sendMessage[client-level X-Sub-Account-Id]', async () => {
    assert.ok(state.childClient && state.childAgent, 'no sub-account');
    const childClient = state.childClient;
    const number = await childClient.numbers.createNumber({ agentId: state.childAgent.id });
    state.childNumber = number;
    // sendMessage has no X-Sub-Account-Id field: the client-level header alone scopes it
    const sent = await childClient.messages.sendMessage({ agent_id: state.childAgent.id, to_number: '+12125550177', body: 'Hallo aus Berlin' });
    assert.equal(sent.from_number, number.phoneNumber, "sent from the sub-account's own line");
    const theirs = await childClient.conversations.listConversations();
    assert.equal(theirs.total, 1);
    assert.ok(!(await client.conversations.listConversations()).data.some((c) => c.id === theirs.data[0].id),
      "the sub-account's conversation is not the parent's");
    expectStatus(await rejection(() => client.messages.sendMessage({ agent_id: state.childAgent.id, to_number: '+12125550177', body: 'x' }),
      "the sub-account's agent, from the parent"), 404, "the sub-account's agent, from the parent");
  });

  await check('subAccounts.createSubAccount[refused for a sub-account]', async () => {
    assert.ok(state.childClient, 'no sub-account');
    expectStatus(await rejection(() => state.childClient.subAccounts.createSubAccount({ name: 'Grandchild' }), 'a sub-account of a sub-account'),
      403, 'a sub-account of a sub-account');
    assert.equal((await state.childClient.subAccounts.listSubAccounts()).total, 0, 'a sub-account lists none of its own');
  });

  await check('subAccounts.deleteSubAccount[409 while it has a number]', async () => {
    assert.ok(state.childNumber, 'no number bought for the sub-account');
    const error = expectStatus(await rejection(() => client.subAccounts.deleteSubAccount({ sub_account_id: childId(state) }), 'a sub-account with a number'),
      409, 'a sub-account with a number');
    assert.match(error.body.detail, /phone number/);
    await state.childClient.numbers.deleteNumber({ number_id: state.childNumber.id });
  });

  await check('subAccounts.deleteSubAccount', async () => {
    const deleted = await client.subAccounts.deleteSubAccount({ sub_account_id: childId(state) });
    assert.deepEqual(deleted, { success: true, id: childId(state) });
    expectStatus(await rejection(() => client.agents.listAgents({ 'X-Sub-Account-Id': childId(state) }), 'a deleted sub-account'),
      404, 'a deleted sub-account');
    assert.equal((await client.subAccounts.listSubAccounts()).total, 0);
  });
}

/** A 422 in FastAPI's shape naming {@code field}. */
function expectStatus422(error, field) {
  assert.equal(error?.statusCode, 422, `expected HTTP 422, got ${error?.statusCode}`);
  assert.ok(error.body.detail.some((d) => d.loc.includes(field)), `the 422 names ${field}: ${JSON.stringify(error.body)}`);
}

const childId = (state) => state.child?.id ?? 'sub_not_created';

/** A sole proprietor's registration with every field the SDK docs require of one. */
function soleProprietor(extra = {}) {
  return {
    registration_type: 'sole_proprietor', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com',
    phone_number: '+12125550123', street_address: '1 Main St', city: 'New York', state: 'NY', zip_code: '10001',
    description: 'Acme Orders texts customers about the status of the orders they placed with us.',
    use_cases: ['account_notification'],
    message_samples: ['Acme Orders: your order 1042 has shipped.', 'Acme Orders: your order 1042 was delivered.'],
    consent_flow: 'Customers tick an SMS opt-in box on the Acme Orders checkout page before ordering.',
    opt_in_image_url: 'https://example.com/opt-in.png', ...extra,
  };
}

export async function registration({ client, check }) {
  await check('registration.getRegistrationStatus', async () => {
    const status = shape.conforms(await client.registration.getRegistrationStatus(), shape.CampaignStatusResponse);
    assert.equal(status.campaign_status, 'none', 'nothing submitted yet');
    assert.match(status.message, /POST \/v1\/register/, 'the message says how to register');
  });

  await check('registration.registerA2P', async () => {
    const answer = shape.conforms(await client.registration.registerA2P(soleProprietor({ create_sub_account: false })),
      shape.RegistrationResponse);
    assert.equal(answer.ok, true);
    assert.equal(answer.campaign_status, 'pending');
    assert.equal(answer.sub_account_id ?? null, null, 'registered on the account itself');
    assert.equal(answer.fee_cents, 2500);
    assert.equal((await client.registration.getRegistrationStatus()).campaign_status, 'pending');
    // one open registration per account
    const conflict = expectStatus(await rejection(() => client.registration.registerA2P(soleProprietor({ create_sub_account: false })),
      'a second registration while one is pending'), 409, 'a second registration while one is pending');
    assert.match(conflict.body.detail, /pending/);
  });

  await check('registration.registerA2P[dedicated sub-account]', async () => {
    const answer = shape.conforms(await client.registration.registerA2P(soleProprietor({
      registration_type: 'standard_brand', business_name: 'Acme Orders LLC', brand_name: 'Acme Orders',
      organization_type: 'llc', contact_title: 'ceo', ein: '12-3456789',
      privacy_policy_url: 'https://acme.example.com/privacy', terms_of_service_url: 'https://acme.example.com/terms',
    })), shape.RegistrationResponse);
    assert.match(answer.sub_account_id ?? '', /^sub_/, `create_sub_account defaults to true: ${JSON.stringify(answer)}`);
    const status = shape.conforms(await client.registration.getRegistrationStatus({ 'X-Sub-Account-Id': answer.sub_account_id }),
      shape.CampaignStatusResponse);
    assert.equal(status.campaign_status, 'pending');
    assert.equal(status.stage, 'brand_submitted');
  });

  await check('registration.registerA2P[422 per field]', async () => {
    const error = await rejection(() => client.registration.registerA2P(soleProprietor({
      registration_type: 'standard_brand', opt_in_image_url: 'http://example.com/opt-in.png', email: 'not-an-email',
    })), 'a standard brand without its business fields, an http opt-in image and a bad email');
    for (const field of ['business_name', 'organization_type', 'contact_title', 'ein', 'privacy_policy_url',
      'terms_of_service_url', 'opt_in_image_url', 'email']) {
      expectStatus422(error, field);
    }
  });
}

export async function location({ client, check, state }) {
  await check('location.getLocation', async () => {
    const where = shape.conforms(await client.location.getLocation({ phone_number: '+12125550150' }), shape.LocationResponse);
    assert.equal(where.phoneNumber, '+12125550150', 'the "+" survives the percent-encoded path');
    assert.equal(where.status, 'live');
    assert.equal(typeof where.latitude, 'number');
    assert.ok(Math.abs(Date.now() - where.lastUpdated) < 3_600_000, `lastUpdated is epoch ms: ${where.lastUpdated}`);
    state.where = where;
  });

  await check('location.getLocation[404 stranger]', async () => {
    const error = await rejection(() => client.location.getLocation({ phone_number: '+13035550199' }),
      'the location of a number the account is not in touch with');
    expectStatus(error, 404, 'the location of a stranger');
  });

  await check('location.refreshLocations', async () => {
    const refresh = shape.conforms(await client.location.refreshLocations(), shape.LocationRefreshResponse);
    assert.equal(refresh.success, true);
    assert.equal(refresh.pollAfterSeconds, 20);
    const again = await client.location.getLocation({ phone_number: '+12125550150' });
    assert.deepEqual([again.latitude, again.longitude], [state.where?.latitude, state.where?.longitude],
      'the same phone, the same place');
  });
}
