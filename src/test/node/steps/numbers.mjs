// Numbers: buy (with and without an agent), read, list, attach; detach and release at the end.
import assert from 'node:assert/strict';
import * as shape from '../harness/shapes.mjs';

export async function buy({ client, check, env, state }) {
  await check('numbers.createNumber', async () => {
    const number = shape.conforms(await client.numbers.createNumber({ country: 'US', areaCode: '415' }),
      shape.PhoneNumberResponse);
    state.spare = number;
    assert.match(number.phoneNumber, /^\+1415\d{7}$/, 'a number in the area code asked for');
    assert.equal(number.country, 'US');
    assert.equal(number.status, 'active');
    assert.equal(number.agentId ?? null, null);
    return number.phoneNumber;
  });

  await check('numbers.createNumber[for an agent]', async () => {
    const number = shape.conforms(await client.numbers.createNumber({ areaCode: '212', agentId: state.agent.id }),
      shape.PhoneNumberResponse);
    state.agentNumber = number;
    assert.match(number.phoneNumber, /^\+1212\d{7}$/);
    assert.equal(number.agentId, state.agent.id);
    return number.phoneNumber;
  });

  // "type" is the engine's own extension of the create body (not in the .d.ts): the iMessage line
  // the iMessage-only operations need. A JavaScript caller can pass it as it is.
  await check('numbers.createNumber[imessage]', async () => {
    const number = shape.conforms(await client.numbers.createNumber({ agentId: state.agent.id, type: 'imessage' }),
      shape.PhoneNumberResponse);
    state.imessageNumber = number;
    assert.equal(number.type, 'imessage');
    assert.equal(number.agentId, state.agent.id);
  });

  await check('numbers.getNumber', async () => {
    const number = shape.conforms(await client.numbers.getNumber({ number_id: state.spare.id }), shape.PhoneNumberResponse);
    assert.deepEqual(number, state.spare);
  });

  await check('numbers.listNumbers', async () => {
    const list = shape.conforms(await client.numbers.listNumbers(), shape.PhoneNumberListResponse);
    const expected = [env.numberId, state.spare?.id, state.agentNumber?.id, state.imessageNumber?.id];
    assert.equal(list.total, 4);
    assert.equal(list.hasMore, false);
    assert.deepEqual(list.data.map((n) => n.id).sort(), expected.sort());
  });

  await check('agents.attachNumberToAgent', async () => {
    const attached = shape.conforms(await client.agents.attachNumberToAgent({
      agent_id: state.agent.id, numberId: state.spare.id,
    }), shape.AttachNumberResponse);
    assert.equal(attached.agentId, state.agent.id);
    assert.equal(attached.number.id, state.spare.id);
    assert.equal(attached.number.phoneNumber, state.spare.phoneNumber);
    assert.equal((await client.numbers.getNumber({ number_id: state.spare.id })).agentId, state.agent.id);
    const agent = await client.agents.getAgent({ agent_id: state.agent.id });
    assert.deepEqual(agent.numbers.map((n) => n.id).sort(),
      [state.spare.id, state.agentNumber.id, state.imessageNumber.id].sort());
  });
}

export async function release({ client, check, state }) {
  await check('agents.detachNumberFromAgent', async () => {
    await client.agents.detachNumberFromAgent({ agent_id: state.agent.id, number_id: state.spare.id });
    const number = await client.numbers.getNumber({ number_id: state.spare.id });
    assert.equal(number.agentId ?? null, null, 'a detached number has no agent');
    const agent = await client.agents.getAgent({ agent_id: state.agent.id });
    assert.ok(!agent.numbers.some((n) => n.id === state.spare.id), 'the agent no longer lists it');
  });

  await check('numbers.deleteNumber', async () => {
    const before = await client.numbers.listNumbers();
    await client.numbers.deleteNumber({ number_id: state.spare.id });
    const after = shape.conforms(await client.numbers.listNumbers(), shape.PhoneNumberListResponse);
    assert.equal(after.total, before.total - 1);
    assert.ok(!after.data.some((n) => n.id === state.spare.id), 'a released number is not listed');
    const released = await client.numbers.getNumber({ number_id: state.spare.id });
    assert.equal(released.status, 'released');
  });
}
