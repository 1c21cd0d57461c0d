// Agents: the catalogue of voices, create / read / list / update, and (at the end) delete.
import assert from 'node:assert/strict';
import * as shape from '../harness/shapes.mjs';
import { AgentPhone, AgentPhoneError } from 'agentphone';
import { rejection } from '../harness/checks.mjs';

/** The voice settings the client sends on create (all in the .d.ts bounds) and what they read back as. */
const VOICE_SETTINGS = {
  enableMessaging: false,
  customTools: [{
    name: 'order_status', description: 'Looks up an order', url: 'https://example.com/tools/order',
    method: 'POST', timeoutMs: 5000, speakDuringExecution: true, executionMessage: 'One moment',
  }],
  callScreeningIdentity: 'Acme Support',
  callScreeningPurpose: 'Order follow-up',
  ambientSound: 'office',
  denoisingMode: 'noise-and-background-speech-cancellation',
  maxSilenceMs: 20000,
  voiceSpeed: 1.2,
  interruptionSensitivity: 0.5,
  enableBackchannel: false,
  language: 'de-DE',
};

export async function create({ client, check, env, state }) {
  await check('agents.listVoices', async () => {
    const voices = await client.agents.listVoices();
    assert.ok(Array.isArray(voices?.data) && voices.data.length > 0, `no voices: ${JSON.stringify(voices)}`);
    for (const voice of voices.data) {
      assert.equal(typeof voice.voice_id, 'string', `voice without voice_id: ${JSON.stringify(voice)}`);
      assert.equal(typeof voice.voice_name, 'string', `voice without voice_name: ${JSON.stringify(voice)}`);
    }
    state.voices = voices.data.map((v) => v.voice_id);
    return `${voices.data.length} voices`;
  });

  await check('agents.listAgents', async () => {
    const list = shape.conforms(await client.agents.listAgents(), shape.AgentListResponse);
    assert.equal(list.total, 1, 'a new account has its starter agent only');
    assert.deepEqual(list.data.map((a) => a.id), [env.agentId]);
    const starter = list.data[0];
    assert.deepEqual(starter.numbers?.map((n) => n.id), [env.numberId], "the starter agent holds the account's number");
    assert.ok(state.voices?.includes(starter.voice), `starter voice ${starter.voice} is not among listVoices`);
  });

  // The .d.ts marks the voice settings optional; the API definition gives each a default, which
  // an agent that never set them reads back.
  await check('agents.getAgent[voice setting defaults]', async () => {
    roundTrips(await client.agents.getAgent({ agent_id: env.agentId }), {
      enableMessaging: true, ambientSound: 'none', denoisingMode: 'noise-cancellation', maxSilenceMs: 600000,
      voiceSpeed: 1, interruptionSensitivity: 0.8, enableBackchannel: true, language: 'en-US',
    }, 'with their defaults');
  });

  await check('agents.createAgent', async () => {
    const agent = shape.conforms(await client.agents.createAgent({
      name: 'Order desk', description: 'Answers order questions', voiceMode: 'hosted',
      systemPrompt: 'You answer questions about orders. Be brief.', beginMessage: 'Order desk, hello!',
      voice: '11labs-Myra', modelTier: 'turbo', sttMode: 'accurate', transferNumber: '+14155550100',
      voicemailMessage: 'Please call back later.', ...VOICE_SETTINGS,
    }), shape.AgentResponse);
    state.agent = agent;
    assert.equal(agent.name, 'Order desk');
    assert.equal(agent.description, 'Answers order questions');
    assert.equal(agent.voiceMode, 'hosted');
    assert.equal(agent.systemPrompt, 'You answer questions about orders. Be brief.');
    assert.equal(agent.beginMessage, 'Order desk, hello!');
    assert.equal(agent.voice, '11labs-Myra');
    assert.equal(agent.modelTier, 'turbo');
    assert.equal(agent.sttMode, 'accurate');
    assert.equal(agent.transferNumber, '+14155550100');
    assert.equal(agent.voicemailMessage, 'Please call back later.');
    assert.deepEqual(agent.numbers ?? [], [], 'a new agent has no numbers');
    return agent.id;
  });

  await check('agents.createAgent[voice settings]', async () => {
    assert.ok(state.agent, 'no agent was created');
    roundTrips(state.agent, VOICE_SETTINGS);
  });

  await check('agents.getAgent', async () => {
    const agent = shape.conforms(await client.agents.getAgent({ agent_id: state.agent.id }), shape.AgentResponse);
    assert.equal(agent.id, state.agent.id);
    assert.equal(agent.name, 'Order desk');
    assert.equal(agent.createdAt, state.agent.createdAt);
  });

  await check('agents.updateAgent', async () => {
    const updated = shape.conforms(await client.agents.updateAgent({
      agent_id: state.agent.id, name: 'Order desk (EU)', systemPrompt: 'Answer in short sentences.',
    }), shape.AgentResponse);
    assert.equal(updated.name, 'Order desk (EU)');
    assert.equal(updated.systemPrompt, 'Answer in short sentences.');
    assert.equal(updated.beginMessage, 'Order desk, hello!', 'fields not sent are left as they were');
    const read = await client.agents.getAgent({ agent_id: state.agent.id });
    assert.equal(read.name, 'Order desk (EU)', 'the change is stored');
    const list = await client.agents.listAgents();
    assert.equal(list.total, 2);
    assert.ok(list.data.some((a) => a.id === state.agent.id && a.name === 'Order desk (EU)'));
  });

  await check('agents.updateAgent[voice settings]', async () => {
    const updated = await client.agents.updateAgent({
      agent_id: state.agent.id, voiceSpeed: 0.8, language: 'fr-FR', customTools: [],
    });
    roundTrips(updated, { voiceSpeed: 0.8, language: 'fr-FR', customTools: [] });
    roundTrips(updated, { ambientSound: 'office', maxSilenceMs: 20000 }, 'left unchanged');
  });

  await check('agents.updateAgent[422 out of range]', async () => {
    const error = await rejection(() => client.agents.updateAgent({ agent_id: state.agent.id, voiceSpeed: 5 }),
      'voiceSpeed 5 (the .d.ts range is 0.5 to 2.0)');
    expectValidationError(error, 'voiceSpeed');
  });

  await check('agents.updateAgent[422 each bound]', async () => {
    const refused = {
      interruptionSensitivity: 1.5, maxSilenceMs: 5000, language: 'xx-XX', ambientSound: 'rain',
      customTools: [{ name: 'not a name', description: 'x', url: 'https://example.com/t' }],
    };
    for (const [field, value] of Object.entries(refused)) {
      const error = await rejection(() => client.agents.updateAgent({ agent_id: state.agent.id, [field]: value }),
        `${field} ${JSON.stringify(value)}`);
      expectValidationError(error, field);
    }
    const read = await client.agents.getAgent({ agent_id: state.agent.id });
    roundTrips(read, { interruptionSensitivity: 0.5, maxSilenceMs: 20000, language: 'fr-FR', ambientSound: 'office' },
      'unchanged after the refused updates');
  });
}

export async function remove({ client, check, state }) {
  await check('agents.deleteAgent', async () => {
    const deleted = shape.conforms(await client.agents.deleteAgent({ agent_id: state.agent.id }),
      shape.DeleteAgentResponse);
    assert.deepEqual(deleted, { ...deleted, success: true, id: state.agent.id, name: 'Order desk (EU)' });
    const error = await rejection(() => client.agents.getAgent({ agent_id: state.agent.id }), 'a deleted agent');
    assert.ok(error instanceof AgentPhoneError && error.statusCode === 404,
      `a deleted agent should be 404, got ${error}`);
    const list = await client.agents.listAgents();
    assert.equal(list.total, 1);
  });
}

/** Each of {@code expected}'s fields read back unchanged from {@code agent}. */
function roundTrips(agent, expected, how = 'as sent') {
  const wrong = Object.entries(expected)
    .filter(([field, value]) => JSON.stringify(agent?.[field]) !== JSON.stringify(value))
    .map(([field, value]) => `${field}: expected ${JSON.stringify(value)}, got ${JSON.stringify(agent?.[field])}`);
  assert.ok(wrong.length === 0, `AgentResponse does not return the voice settings ${how}: ${wrong.join('; ')}`);
}

/** A 422 the client throws as UnprocessableEntityError, with a detail entry naming {@code field}. */
export function expectValidationError(error, field) {
  assert.ok(error instanceof AgentPhone.UnprocessableEntityError, `expected a 422, got ${error}`);
  assert.equal(error.statusCode, 422);
  const detail = error.body?.detail;
  assert.ok(Array.isArray(detail) && detail.some((d) => Array.isArray(d.loc) && d.loc.includes(field)
    && typeof d.msg === 'string' && typeof d.type === 'string'),
  `422 detail should name ${field} as {loc, msg, type}: ${JSON.stringify(error.body)}`);
}
