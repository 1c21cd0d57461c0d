// iMessage: a message comes in on the iMessage line, the agent reacts and replies; then the
// iMessage-only operations (effects, groups, inline replies, typing, chat backgrounds, contact
// cards), each checked also in the sandbox outbox, where the carrier's requests are kept.
import assert from 'node:assert/strict';
import * as shape from '../harness/shapes.mjs';
import { expectStatus, rejection } from '../harness/checks.mjs';

const FRIEND = '+12125550150';
const OTHER_FRIEND = '+12125550151';
// The smallest PNG there is: a 1x1 transparent pixel.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

export async function chat({ client, check, state, sandbox, receiver }) {
  const line = () => state.imessageNumber;

  await check('sandbox:imessage from a customer', async () => {
    state.chatIn = await sandbox.imessage(FRIEND, line().phoneNumber, 'Dinner at 8?');
    assert.equal(typeof state.chatIn.messageId, 'string');
  });

  await check('messages.sendReaction', async () => {
    const reaction = shape.conforms(await client.messages.sendReaction({ message_id: state.chatIn.messageId, reaction: 'love' }),
      shape.SendReactionResponse);
    assert.equal(reaction.reaction_type, 'love');
    assert.equal(reaction.message_id, state.chatIn.messageId);
    assert.equal(reaction.channel, 'imessage');
  });

  await check('messages.sendMessage[imessage]', async () => {
    const sent = shape.conforms(await client.messages.sendMessage({
      agent_id: state.agent.id, number_id: line().id, to_number: FRIEND, body: 'See you then!',
    }), shape.SendMessageResponse);
    state.chatOut = sent;
    assert.equal(sent.channel, 'imessage');
    assert.equal(sent.from_number, line().phoneNumber);
    const messages = await client.conversations.getConversationMessages({ conversation_id: state.chatIn.conversationId });
    assert.deepEqual(messages.data.map((m) => m.id), [sent.id, state.chatIn.messageId]);
    assert.ok(messages.data.every((m) => m.channel === 'imessage'));
  });

  await check('conversations.getConversationMessages[reactions]', async () => {
    const messages = await client.conversations.getConversationMessages({ conversation_id: state.chatIn.conversationId });
    shape.conforms(messages, shape.MessagesListResponse);
    const reacted = messages.data.find((m) => m.id === state.chatIn.messageId);
    assert.ok(Array.isArray(reacted?.reactions), `MessageInConversation.reactions is ${JSON.stringify(reacted?.reactions)}`);
    assert.deepEqual(reacted.reactions.map((r) => [r.reactionType, r.direction, r.fromNumber]),
      [['love', 'outbound', line().phoneNumber]]);
  });

  await check('messages.sendMessage[reply_to_message_id]', async () => {
    const sent = await client.messages.sendMessage({
      agent_id: state.agent.id, number_id: line().id, to_number: FRIEND, body: 'Booked a table.',
      reply_to_message_id: state.chatIn.messageId,
    });
    assert.equal(sent.reply_to_message_id, state.chatIn.messageId, 'SendMessageResponse.reply_to_message_id');
    assert.equal(sent.reply_parent_unresolved, false, 'threaded under its parent');
    const stored = (await client.conversations.getConversationMessages({ conversation_id: state.chatIn.conversationId, limit: 1 })).data[0];
    assert.deepEqual(stored.replyTo && [stored.replyTo.messageId, stored.replyTo.message],
      [state.chatIn.messageId, 'Dinner at 8?'], `replyTo of the reply: ${JSON.stringify(stored.replyTo)}`);
  });

  await check('messages.sendMessage[reply_to_message_id unresolved]', async () => {
    const sent = await client.messages.sendMessage({
      number_id: line().id, to_number: FRIEND, body: 'Also: bring a coat.', reply_to_message_id: 'msg_nobody_knows',
    });
    assert.deepEqual([sent.reply_to_message_id, sent.reply_parent_unresolved], ['msg_nobody_knows', true],
      'an unknown parent is reported, and the message still goes');
    const stored = (await client.conversations.getConversationMessages({ conversation_id: state.chatIn.conversationId, limit: 1 })).data[0];
    assert.deepEqual([stored.id, stored.replyTo], [sent.id, null]);
  });

  await check('messages.sendMessage[send_style]', async () => {
    const sent = shape.conforms(await client.messages.sendMessage({
      agent_id: state.agent.id, number_id: line().id, to_number: FRIEND, body: 'Happy birthday!', send_style: 'balloons',
    }), shape.SendMessageResponse);
    assert.equal(sent.channel, 'imessage');
    const asked = (await sandbox.outbox()).find((r) => r.body === 'Happy birthday!');
    assert.equal(asked?.details?.sendStyle, 'balloons', `the carrier was asked for the effect: ${JSON.stringify(asked)}`);
  });

  await check('messages.sendMessage[recipients]', async () => {
    const sent = shape.conforms(await client.messages.sendMessage({
      agent_id: state.agent.id, number_id: line().id, recipients: [FRIEND, OTHER_FRIEND], body: 'Hi both!',
    }), shape.SendMessageResponse);
    assert.match(sent.to_number, /^grp_/, 'a new group answers with its group id');
    const group = (await client.conversations.listConversations()).data.find((c) => c.participant === sent.to_number);
    assert.ok(group?.isGroup, `the group's conversation: ${JSON.stringify(group)}`);
    assert.equal(group.groupId, sent.to_number);
    assert.equal(group.id, sent.conversation_id);
    assert.deepEqual(group.participants.map((p) => p.identifier).sort(), [FRIEND, OTHER_FRIEND]);
    state.group = group;
  });

  await check('messages.sendMessage[group follow-up]', async () => {
    assert.ok(state.group, 'no group to write in');
    const sent = await client.messages.sendMessage({
      number_id: line().id, to_number: state.group.groupId, body: 'Table at 8.',
    });
    assert.equal(sent.conversation_id, state.group.id, 'the follow-up is in the same group');
    await sandbox.imessage(OTHER_FRIEND, line().phoneNumber, 'Perfect', { groupId: state.group.groupId });
    const detail = shape.conforms(await client.conversations.getConversation({ conversation_id: state.group.id }),
      shape.ConversationDetail);
    assert.equal(detail.isGroup, true);
    assert.deepEqual(detail.messages.map((m) => [m.body, m.senderIdentifier]),
      [['Perfect', OTHER_FRIEND], ['Table at 8.', line().phoneNumber], ['Hi both!', line().phoneNumber]]);
  });

  await check('conversations.updateConversation[group_name]', async () => {
    assert.ok(state.group, 'no group conversation to rename');
    const renamed = shape.conforms(await client.conversations.updateConversation({
      conversation_id: state.group.id, group_name: 'Dinner crew',
    }), shape.ConversationDetail);
    assert.equal(renamed.groupName, 'Dinner crew');
    const listed = (await client.conversations.listConversations()).data.find((c) => c.id === state.group.id);
    assert.equal(listed.groupName, 'Dinner crew');
    const asked = (await sandbox.outbox())[0];
    assert.deepEqual([asked.action, asked.details?.name], ['group.rename', 'Dinner crew']);
  });

  await check('conversations.updateConversation[group_name 400 one-to-one]', async () => {
    const error = await rejection(() => client.conversations.updateConversation({
      conversation_id: state.chatIn.conversationId, group_name: 'Pals',
    }), 'group_name on a one-to-one chat');
    expectStatus(error, 400, 'group_name on a one-to-one chat');
  });

  await check('conversations.sendTypingIndicator', async () => {
    const typing = shape.conforms(await client.conversations.sendTypingIndicator({ conversation_id: state.chatIn.conversationId }),
      shape.SendTypingResponse);
    assert.equal(typing.conversationId, state.chatIn.conversationId);
    assert.equal(typing.channel, 'imessage');
    assert.equal((await sandbox.outbox())[0].action, 'typing', 'the carrier was asked to show it');
  });

  await check('conversations.sendTypingIndicator[400 on SMS]', async () => {
    const error = await rejection(() => client.conversations.sendTypingIndicator({ conversation_id: state.conversation.id }),
      'typing on an SMS conversation');
    expectStatus(error, 400, 'typing on an SMS conversation');
  });

  // The engine fetches the image itself (through its SSRF guard) and checks it is one, so the
  // URL must serve an image: the flow's own loopback server does, which the sandbox may reach.
  await check('conversations.setChatBackground', async () => {
    const imageUrl = receiver.serve('/backgrounds/sunset.png', 'image/png', PNG);
    const set = shape.conforms(await client.conversations.setChatBackground({
      conversation_id: state.chatIn.conversationId, image_url: imageUrl,
    }), shape.SetBackgroundResponse);
    assert.equal(set.conversationId, state.chatIn.conversationId);
    assert.equal(set.hasBackground, true);
    assert.equal(set.changed, true);
    const again = await client.conversations.setChatBackground({ conversation_id: state.chatIn.conversationId, image_url: imageUrl });
    assert.deepEqual([again.changed, again.backgroundId], [false, set.backgroundId], 'the same image again changes nothing');
    const asked = (await sandbox.outbox())[0];
    assert.deepEqual([asked.action, asked.details?.contentType], ['background.set', 'image/png']);
  });

  await check('conversations.removeChatBackground', async () => {
    assert.equal(await client.conversations.removeChatBackground({ conversation_id: state.chatIn.conversationId }), undefined);
    assert.equal((await sandbox.outbox())[0].action, 'background.remove');
    assert.equal(await client.conversations.removeChatBackground({ conversation_id: state.chatIn.conversationId }), undefined,
      'removing it again is a no-op 204');
  });
}

// A 1x1 PNG: the contact card's photo, served by the customer's own web server.
const AVATAR = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

export async function contactCard({ client, check, env, state, sandbox, receiver }) {
  const numberId = () => state.imessageNumber.id;

  await check('contactCards.putContactCard', async () => {
    const card = shape.conforms(await client.contactCards.putContactCard({
      number_id: numberId(), firstName: 'Order', lastName: 'Desk', displayName: 'Acme Orders',
      avatarUrl: receiver.serve('/files/acme.png', 'image/png', AVATAR),
    }), shape.ContactCardResponse);
    assert.deepEqual([card.firstName, card.lastName, card.displayName, card.hasAvatar], ['Order', 'Desk', 'Acme Orders', true]);
    assert.equal(card.avatarUrl, undefined, 'the photo\'s URL is not echoed');
    assert.equal(receiver.on('/files/acme.png').length, 1, 'the photo was fetched once');
  });

  await check('contactCards.putContactCard[applied by the carrier]', async () => {
    const applied = (await sandbox.outbox()).find((r) => r.action === 'contact-card.set');
    assert.ok(applied, 'the sandbox carrier was asked to set the card');
    assert.equal(applied.from, state.imessageNumber.phoneNumber);
    assert.equal(applied.details.displayName, 'Acme Orders');
    assert.deepEqual([applied.details.avatar?.contentType, applied.details.avatar?.bytes], ['image/png', AVATAR.length]);
  });

  await check('contactCards.putContactCard[400 on SMS]', async () => {
    const error = await rejection(() => client.contactCards.putContactCard({ number_id: env.numberId, displayName: 'Acme' }),
      'a contact card on an SMS line');
    expectStatus(error, 400, 'a contact card on an SMS line');
  });

  await check('contactCards.getContactCard', async () => {
    const card = shape.conforms(await client.contactCards.getContactCard({ number_id: numberId() }), shape.ContactCardResponse);
    assert.deepEqual(card, { firstName: 'Order', lastName: 'Desk', displayName: 'Acme Orders', hasAvatar: true });
  });

  await check('contactCards.deleteContactCard', async () => {
    assert.equal(await client.contactCards.deleteContactCard({ number_id: numberId() }), undefined);
    // the SDK does not say how a number without a card reads: a 404, or a card of nulls
    const after = await client.contactCards.getContactCard({ number_id: numberId() }).catch((error) => error);
    if (after instanceof Error) {
      expectStatus(after, 404, 'a removed contact card');
    } else {
      assert.equal(after?.displayName ?? null, null, `the card is gone: ${JSON.stringify(after)}`);
    }
    const removed = (await sandbox.outbox()).find((r) => r.action === 'contact-card.remove');
    assert.equal(removed?.from, state.imessageNumber.phoneNumber, 'the carrier was asked to remove it');
  });
}
