// Webhooks, the account's and an agent's: set, read, test-send, real deliveries (signed with the
// secret the client was given), the delivery log and its stats, delete.
import assert from 'node:assert/strict';
import * as shape from '../harness/shapes.mjs';
import { eventually } from '../harness/checks.mjs';
import { signedWith } from '../harness/receiver.mjs';

export async function deliveries({ client, check, env, state, sandbox, receiver }) {
  const agentId = state.agent.id;

  await check('webhooks.getWebhook[none]', async () => {
    assert.equal(await client.webhooks.getWebhook(), null, 'no webhook yet: null, as WebhookResponse | null says');
  });

  await check('webhooks.createOrUpdateWebhook', async () => {
    const hook = shape.conforms(await client.webhooks.createOrUpdateWebhook({
      body: { url: receiver.url('/account'), contextLimit: 5, timeout: 10 },
    }), shape.WebhookResponse);
    state.accountHook = hook;
    assert.equal(hook.url, receiver.url('/account'));
    assert.equal(hook.contextLimit, 5);
    assert.equal(hook.timeout, 10);
    assert.equal(hook.status, 'active');
    assert.match(hook.secret, /^whsec_/);
  });

  await check('webhooks.getWebhook', async () => {
    const hook = shape.conforms(await client.webhooks.getWebhook(), shape.WebhookResponse);
    assert.deepEqual(hook, state.accountHook);
  });

  await check('webhooks.testWebhook', async () => {
    const result = await client.webhooks.testWebhook();
    assert.equal(result?.success, true, `test send: ${JSON.stringify(result)}`);
    assert.equal(result.statusCode, 200);
    assert.equal(typeof result.responseMs, 'number');
    const sent = receiver.on('/account');
    assert.equal(sent.length, 1, 'the endpoint got the test send');
    assert.ok(signedWith(sent[0], state.accountHook.secret), 'signed with the secret the client was given');
  });

  await check('agentWebhooks.getAgentWebhook[none]', async () => {
    assert.equal(await client.agentWebhooks.getAgentWebhook({ agent_id: agentId }), null);
  });

  await check('agentWebhooks.createOrUpdateAgentWebhook', async () => {
    const hook = shape.conforms(await client.agentWebhooks.createOrUpdateAgentWebhook({
      agent_id: agentId, body: { url: receiver.url('/agent') },
    }), shape.WebhookResponse);
    state.agentHook = hook;
    assert.equal(hook.url, receiver.url('/agent'));
    assert.equal(hook.contextLimit, 10, 'the default context limit');
    assert.equal(hook.timeout, 30, 'the default timeout');
    assert.notEqual(hook.secret, state.accountHook?.secret, 'its own secret');
  });

  await check('agentWebhooks.getAgentWebhook', async () => {
    assert.deepEqual(await client.agentWebhooks.getAgentWebhook({ agent_id: agentId }), state.agentHook);
    assert.equal((await client.webhooks.getWebhook()).id, state.accountHook.id, "the account's webhook is another one");
  });

  await check('agentWebhooks.testAgentWebhook', async () => {
    const result = await client.agentWebhooks.testAgentWebhook({ agent_id: agentId });
    assert.equal(result?.success, true, `test send: ${JSON.stringify(result)}`);
    assert.equal(result.statusCode, 200);
    const sent = receiver.on('/agent');
    assert.equal(sent.length, 1);
    assert.ok(signedWith(sent[0], state.agentHook.secret));
  });

  // Two texts come in: one to the starter agent's number (the account's webhook gets it), one to
  // the new agent's (its own webhook does).
  await check('sandbox:sms to both agents', async () => {
    await sandbox.sms('+13105550141', env.phoneNumber, 'Is the shop open on Sunday?');
    await sandbox.sms('+13105550142', state.agentNumber.phoneNumber, 'Where is order 1042?');
  });

  await check('webhooks.createOrUpdateWebhook[deliveries]', async () => {
    const event = await eventually(() => {
      const found = receiver.on('/account').find((r) => r.json?.data?.message === 'Is the shop open on Sunday?');
      assert.ok(found, 'no agent.message reached the account webhook');
      return found;
    });
    assert.equal(event.json.event, 'agent.message');
    assert.equal(event.json.data.from, '+13105550141');
    assert.equal(event.json.agentId, env.agentId);
    assert.ok(signedWith(event, state.accountHook.secret));
    const toAgent = await eventually(() => {
      const found = receiver.on('/agent').find((r) => r.json?.data?.message === 'Where is order 1042?');
      assert.ok(found, "no agent.message reached the agent's webhook");
      return found;
    });
    assert.equal(toAgent.json.event, 'agent.message');
    assert.equal(toAgent.json.agentId, state.agent.id);
    assert.ok(signedWith(toAgent, state.agentHook.secret));
    assert.ok(!receiver.on('/account').some((r) => r.json?.data?.message === 'Where is order 1042?'),
      "the agent's own webhook takes its events");
  });

  await check('webhooks.listDeliveries', async () => {
    const log = await eventually(async () => {
      const page = shape.conforms(await client.webhooks.listDeliveries({ limit: 10, offset: 0, hours: 24 }),
        shape.PaginatedDeliveriesResponse);
      const done = page.items.filter((d) => d.eventType === 'agent.message' && d.status === 'success');
      assert.equal(done.length, 2, `two delivered agent.message events: ${JSON.stringify(page.items)}`);
      return page;
    });
    assert.equal(log.offset, 0);
    assert.equal(log.limit, 10);
    assert.equal(log.total, log.items.length);
    for (const d of log.items.filter((i) => i.eventType === 'agent.message')) {
      assert.equal(d.httpStatus, 200);
      assert.equal(d.attemptCount, 1);
      assert.equal(d.channel, 'sms');
    }
    state.deliveries = log;
    const second = await client.webhooks.listDeliveries({ limit: 1, offset: 1 });
    assert.equal(second.items.length, 1);
    assert.equal(second.items[0].id, log.items[1].id, 'offset pages through the same order');
  });

  await check('webhooks.deliveryStats', async () => {
    const stats = shape.conforms(await client.webhooks.deliveryStats({ hours: 24 }), shape.WebhookDeliveryStatsResponse);
    assert.equal(stats.total, state.deliveries.total);
    assert.equal(stats.success, state.deliveries.items.filter((d) => d.status === 'success').length);
    assert.equal(stats.failed, 0);
    assert.equal(stats.successRate > 0, true);
    assert.ok(stats.byEventType['agent.message'], `byEventType: ${JSON.stringify(stats.byEventType)}`);
  });

  await check('webhooks.allTimeStats', async () => {
    const stats = shape.conforms(await client.webhooks.allTimeStats(), shape.AllTimeStatsResponse);
    assert.equal(stats.total, state.deliveries.total);
    assert.equal(stats.success, state.deliveries.items.filter((d) => d.status === 'success').length);
    assert.equal(stats.failed, 0);
  });

  await check('agentWebhooks.listAgentDeliveries', async () => {
    const list = await client.agentWebhooks.listAgentDeliveries({ agent_id: agentId, limit: 10 });
    shape.conforms(list, shape.array(shape.WebhookDeliveryResponse), 'listAgentDeliveries');
    const events = list.filter((d) => d.eventType === 'agent.message');
    assert.equal(events.length, 1, `the one event for this agent: ${JSON.stringify(list)}`);
    assert.equal(events[0].status, 'success');
    assert.ok(!(await client.agentWebhooks.listAgentDeliveries({ agent_id: env.agentId })).length,
      'the starter agent has no webhook of its own, so no deliveries of its own');
  });

  await check('agentWebhooks.deleteAgentWebhook', async () => {
    await client.agentWebhooks.deleteAgentWebhook({ agent_id: agentId });
    assert.equal(await client.agentWebhooks.getAgentWebhook({ agent_id: agentId }), null);
    assert.equal((await client.webhooks.getWebhook())?.id, state.accountHook.id, "the account's stays");
  });

  await check('webhooks.deleteWebhook', async () => {
    await client.webhooks.deleteWebhook();
    assert.equal(await client.webhooks.getWebhook(), null);
  });
}
