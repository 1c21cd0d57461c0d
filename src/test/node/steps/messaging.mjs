// SMS: a text comes in (through the sandbox phone company), is threaded into a conversation, and
// the agent replies through the client; the conversation, its messages and the number's messages
// show both. Then the SMS-side rules of the newer send options.
import assert from 'node:assert/strict';
import * as shape from '../harness/shapes.mjs';
import { expectStatus, rejection } from '../harness/checks.mjs';

const ADA = '+12125550123';

export async function sms({ client, check, env, state, sandbox }) {
  await check('sandbox:sms from a customer', async () => {
    const answer = await sandbox.sms(ADA, env.phoneNumber, 'Hi! Are you open today?');
    state.inbound = answer.message;
    assert.equal(state.inbound.direction, 'inbound');
  });

  await check('conversations.listConversations', async () => {
    const list = shape.conforms(await client.conversations.listConversations(), shape.ConversationListResponse);
    const conversation = list.data.find((c) => c.participant === ADA);
    assert.ok(conversation, `no conversation with ${ADA}: ${JSON.stringify(list.data.map((c) => c.participant))}`);
    state.conversation = conversation;
    assert.equal(conversation.id, state.inbound.conversationId);
    assert.equal(conversation.phoneNumber, env.phoneNumber);
    assert.equal(conversation.phoneNumberId, env.numberId);
    assert.equal(conversation.agentId, env.agentId);
    assert.equal(conversation.messageCount, 1);
    assert.equal(conversation.lastMessagePreview, 'Hi! Are you open today?');
    assert.equal(list.total, list.data.length);
    assert.equal(list.data[0].id, conversation.id, 'latest activity first');
  });

  await check('messages.sendMessage', async () => {
    const sent = shape.conforms(await client.messages.sendMessage({
      agent_id: env.agentId, to_number: '(212) 555-0123', body: 'Yes, 9am to 5pm.',
    }), shape.SendMessageResponse);
    state.reply = sent;
    assert.equal(sent.from_number, env.phoneNumber, "from the agent's number");
    assert.equal(sent.to_number, ADA, 'normalised to E.164');
    assert.equal(sent.channel, 'sms');
    assert.ok(['queued', 'sent', 'delivered'].includes(sent.status), `status ${sent.status}`);
  });

  await check('messages.sendMessage[conversation_id]', async () => {
    assert.equal(state.reply?.conversation_id, state.conversation?.id,
      'SendMessageResponse.conversation_id names the conversation the message went to');
  });

  await check('conversations.getConversation', async () => {
    const detail = shape.conforms(await client.conversations.getConversation({
      conversation_id: state.conversation.id, message_limit: 10,
    }), shape.ConversationDetail);
    assert.equal(detail.messageCount, 2);
    assert.deepEqual(detail.messages.map((m) => m.id), [state.reply.id, state.inbound.id], 'newest first');
    const [reply, inbound] = detail.messages;
    assert.deepEqual([reply.body, reply.direction, reply.fromNumber, reply.toNumber],
      ['Yes, 9am to 5pm.', 'outbound', env.phoneNumber, ADA]);
    assert.deepEqual([inbound.body, inbound.direction, inbound.fromNumber, inbound.toNumber],
      ['Hi! Are you open today?', 'inbound', ADA, env.phoneNumber]);
    const one = await client.conversations.getConversation({ conversation_id: state.conversation.id, message_limit: 1 });
    assert.deepEqual(one.messages.map((m) => m.id), [state.reply.id], 'message_limit is honoured');
  });

  await check('conversations.getConversationMessages', async () => {
    const page = shape.conforms(await client.conversations.getConversationMessages({
      conversation_id: state.conversation.id, limit: 1,
    }), shape.MessagesListResponse);
    assert.deepEqual(page.data.map((m) => m.id), [state.reply.id]);
    assert.equal(page.hasMore, true);
    const older = await client.conversations.getConversationMessages({
      conversation_id: state.conversation.id, limit: 1, before: page.data[0].receivedAt,
    });
    assert.deepEqual(older.data.map((m) => m.id), [state.inbound.id], 'before= pages back');
    assert.equal(older.hasMore, false);
  });

  await check('numbers.getMessages', async () => {
    const list = shape.conforms(await client.numbers.getMessages({ number_id: env.numberId, limit: 10 }),
      shape.MessageListResponse);
    const reply = list.data.find((m) => m.id === state.reply.id);
    const inbound = list.data.find((m) => m.id === state.inbound.id);
    assert.ok(reply && inbound, `both messages are on the number: ${JSON.stringify(list.data.map((m) => m.id))}`);
    assert.deepEqual([inbound.from_, inbound.to, inbound.direction, inbound.body],
      [ADA, env.phoneNumber, 'inbound', 'Hi! Are you open today?']);
    // the official MCP server's get_messages reads "from" (the .d.ts says from_): both are there
    assert.equal(inbound.from, ADA, 'MessageResponse.from next to from_');
    assert.deepEqual([reply.from_, reply.to, reply.direction], [env.phoneNumber, ADA, 'outbound']);
    assert.equal(list.hasMore, false);
  });

  await check('conversations.updateConversation', async () => {
    const metadata = { customer: 'Ada', topic: 'opening hours', priority: 2 };
    const updated = shape.conforms(await client.conversations.updateConversation({
      conversation_id: state.conversation.id, metadata,
    }), shape.ConversationDetail);
    assert.deepEqual(updated.metadata, metadata);
    const read = await client.conversations.getConversation({ conversation_id: state.conversation.id });
    assert.deepEqual(read.metadata, metadata, 'stored');
    const listed = (await client.conversations.listConversations()).data.find((c) => c.id === state.conversation.id);
    assert.deepEqual(listed.metadata, metadata);
  });

  await check('agents.listAgentConversations', async () => {
    const list = shape.conforms(await client.agents.listAgentConversations({ agent_id: env.agentId, limit: 20 }),
      shape.AgentConversationListResponse);
    assert.ok(list.data.some((c) => c.id === state.conversation.id));
    assert.ok(list.data.every((c) => c.agentId === env.agentId), "only this agent's conversations");
    const other = await client.agents.listAgentConversations({ agent_id: state.agent.id });
    assert.ok(!other.data.some((c) => c.id === state.conversation.id));
    assert.equal(other.total, other.data.length);
  });

  await check('messages.sendReaction[400 on SMS]', async () => {
    const error = await rejection(() => client.messages.sendReaction({ message_id: state.inbound.id, reaction: 'love' }),
      'a reaction on an SMS');
    expectStatus(error, 400, 'a reaction on an SMS');
    assert.match(error.body.detail, /iMessage/);
  });

  // The newer send options, on SMS.
  await check('messages.sendMessage[send_style on SMS]', async () => {
    const error = await rejection(() => client.messages.sendMessage({
      agent_id: env.agentId, to_number: ADA, body: 'Surprise!', send_style: 'confetti',
    }), 'send_style on an SMS line');
    expectStatus(error, 400, 'send_style on an SMS line');
  });

  // The .d.ts makes agent_id optional: the sending line can be named by from_number instead.
  await check('messages.sendMessage[from_number]', async () => {
    const sent = await client.messages.sendMessage({ from_number: state.spare.phoneNumber, to_number: ADA, body: 'From our 415 line.' });
    assert.equal(sent.from_number, state.spare.phoneNumber);
  });

  await check('messages.sendMessage[media_urls]', async () => {
    const media = ['https://example.com/menu-1.jpg', 'https://example.com/menu-2.jpg'];
    const sent = await client.messages.sendMessage({ agent_id: env.agentId, to_number: ADA, body: 'Our menu', media_urls: media });
    assert.deepEqual(sent.media_urls, media, 'SendMessageResponse.media_urls');
    const stored = (await client.conversations.getConversationMessages({ conversation_id: state.conversation.id, limit: 1 })).data[0];
    assert.deepEqual(stored.mediaUrls, media, 'the stored message has both media URLs');
  });
}
