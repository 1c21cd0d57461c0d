// How the engine's refusals reach a client user: the client's typed errors, with our bodies.
import assert from 'node:assert/strict';
import { expectStatus, rejection } from '../harness/checks.mjs';
import { newClient } from '../harness/client.mjs';

export async function refusals({ client, check, env }) {
  await check('agents.getAgent[404 unknown]', async () => {
    expectStatus(await rejection(() => client.agents.getAgent({ agent_id: 'agt_doesnotexist' }), 'an unknown agent'),
      404, 'an unknown agent');
  });

  await check('agents.getAgent[404 other account]', async () => {
    const error = await rejection(() => client.agents.getAgent({ agent_id: env.otherAgentId }), "another account's agent");
    expectStatus(error, 404, "another account's agent");
  });

  await check('agents.listAgents[401 wrong key]', async () => {
    const stranger = newClient(env.baseUrl, 'sk_live_not_a_key');
    expectStatus(await rejection(() => stranger.agents.listAgents(), 'a wrong key'), 401, 'a wrong key');
  });

  await check('messages.sendMessage[422 bad number]', async () => {
    const error = await rejection(() => client.messages.sendMessage({ agent_id: env.agentId, to_number: 'not a number', body: 'hi' }),
      'an invalid to_number');
    assert.equal(error.statusCode, 422, `got ${error}`);
    assert.ok(JSON.stringify(error.body).includes('to_number'), `the detail names to_number: ${JSON.stringify(error.body)}`);
  });
}
