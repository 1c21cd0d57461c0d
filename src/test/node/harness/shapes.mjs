// The response types of agentphone@1.0.17 (dist/cjs/api/types/*.d.ts), written out as checkable
// shapes: a required field must be present with its type, an optional one ("?" in the .d.ts) may
// be absent but must have its type when present. Extra fields are allowed (the client ignores
// them). Only the types the flow reads are here; the client itself checks nothing at runtime.
import assert from 'node:assert/strict';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const primitive = (name, test) => ({ name, test: (v) => (test(v) ? [] : [`expected ${name}`]) });
export const string = primitive('string', (v) => typeof v === 'string');
export const number = primitive('number', (v) => typeof v === 'number' && Number.isFinite(v));
export const boolean = primitive('boolean', (v) => typeof v === 'boolean');
export const dateTime = primitive('ISO date-time string', (v) => typeof v === 'string' && ISO_TIME.test(v));
export const unknown = { name: 'unknown', test: () => [] };

export const oneOf = (...values) => primitive(values.map((v) => JSON.stringify(v)).join('|'),
  (v) => values.includes(v));
export const nullable = (type) => ({ name: `${type.name} | null`, test: (v) => (v === null ? [] : type.test(v)) });
/** "field?: type" in the .d.ts: may be absent (undefined). */
export const optional = (type) => ({ name: `${type.name} (optional)`, optional: true, test: type.test });
export const array = (item) => ({
  name: `${item.name}[]`,
  test: (v) => (Array.isArray(v)
    ? v.flatMap((element, i) => item.test(element).map((p) => `[${i}]${p.startsWith('expected') ? ': ' + p : p}`))
    : ['expected an array']),
});
export const record = (value) => ({
  name: `Record<string, ${value.name}>`,
  test: (v) => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.entries(v).flatMap(([k, e]) => value.test(e).map((p) => `.${k}: ${p}`))
    : ['expected an object']),
});
export const object = (name, fields) => ({
  name,
  test: (v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      return [`expected ${name} object, got ${JSON.stringify(v)?.slice(0, 80)}`];
    }
    return Object.entries(fields).flatMap(([field, type]) => {
      if (v[field] === undefined) {
        return type.optional ? [] : [`.${field}: missing (${name} requires ${type.name})`];
      }
      return type.test(v[field]).map((p) => (p.startsWith('.') || p.startsWith('[')
        ? `.${field}${p}` : `.${field}: ${p}, got ${JSON.stringify(v[field])?.slice(0, 80)}`));
    });
  },
});

/** Asserts {@code value} has the shape of {@code type}; the message names every deviation. */
export function conforms(value, type, what = type.name) {
  const problems = type.test(value);
  assert.ok(problems.length === 0, `${what} is not a ${type.name}: ${problems.slice(0, 8).join('; ')}`);
  return value;
}

// ---- the types, field for field from the .d.ts files ----

export const AgentNumberResponse = object('AgentNumberResponse', {
  id: string, phoneNumber: string, status: string, type: optional(string),
});
export const AgentResponse = object('AgentResponse', {
  id: string, name: string, description: nullable(string), voiceMode: oneOf('webhook', 'hosted'),
  enableMessaging: optional(boolean), modelTier: optional(oneOf('turbo', 'balanced', 'max')),
  systemPrompt: optional(nullable(string)), beginMessage: optional(nullable(string)), voice: string,
  transferNumber: optional(nullable(string)), customTools: optional(nullable(array(record(unknown)))),
  voicemailMessage: optional(nullable(string)), callScreeningIdentity: optional(nullable(string)),
  callScreeningPurpose: optional(nullable(string)), sttMode: optional(oneOf('fast', 'accurate')),
  ambientSound: optional(oneOf('none', 'office', 'coffee-shop', 'outdoor')),
  denoisingMode: optional(oneOf('noise-cancellation', 'noise-and-background-speech-cancellation')),
  maxSilenceMs: optional(number), voiceSpeed: optional(number), interruptionSensitivity: optional(number),
  enableBackchannel: optional(boolean), language: optional(string), createdAt: dateTime,
  numbers: optional(nullable(array(AgentNumberResponse))),
});
export const AgentListResponse = object('AgentListResponse', { data: array(AgentResponse), total: number });
export const DeleteAgentResponse = object('DeleteAgentResponse', { success: boolean, id: string, name: string });
export const AttachNumberResponse = object('AttachNumberResponse', { agentId: string, number: AgentNumberResponse });

export const PhoneNumberResponse = object('PhoneNumberResponse', {
  id: string, phoneNumber: string, country: string, status: string, type: optional(string),
  agentId: optional(nullable(string)), createdAt: dateTime,
});
export const PhoneNumberListResponse = object('PhoneNumberListResponse', {
  data: array(PhoneNumberResponse), hasMore: boolean, total: number,
});
export const MessageResponse = object('MessageResponse', {
  id: string, from_: string, to: string, body: string, direction: string,
  channel: optional(nullable(string)), receivedAt: dateTime,
});
export const MessageListResponse = object('MessageListResponse', { data: array(MessageResponse), hasMore: boolean });

export const ContactResponse = object('ContactResponse', {
  id: string, phoneNumber: string, name: string, email: optional(nullable(string)),
  notes: optional(nullable(string)), createdAt: dateTime, updatedAt: dateTime,
});
export const ContactListResponse = object('ContactListResponse', {
  data: array(ContactResponse), hasMore: boolean, total: number,
});
export const ContactCapabilitiesResponse = object('ContactCapabilitiesResponse', {
  phoneNumber: string, capabilities: object('ContactCapabilityFlags', { imessage: boolean, sms: boolean }),
  checkedAt: dateTime,
});

export const WebhookResponse = object('WebhookResponse', {
  id: string, url: string, secret: string, status: string, contextLimit: number, timeout: number,
  createdAt: dateTime,
});
export const WebhookDeliveryResponse = object('WebhookDeliveryResponse', {
  id: string, messageId: nullable(string), eventType: nullable(string), channel: nullable(string),
  status: string, httpStatus: nullable(number), errorMessage: nullable(string),
  responseBody: nullable(string), attemptCount: number, lastAttemptAt: nullable(dateTime),
  nextRetryAt: nullable(dateTime), createdAt: dateTime,
});
export const PaginatedDeliveriesResponse = object('PaginatedDeliveriesResponse', {
  items: array(WebhookDeliveryResponse), total: number, offset: number, limit: number,
});
export const WebhookDeliveryStatsResponse = object('WebhookDeliveryStatsResponse', {
  total: number, success: number, failed: number, pending: number, successRate: number,
  byEventType: record(record(number)), byHour: array(record(unknown)),
});
export const AllTimeStatsResponse = object('AllTimeStatsResponse', {
  total: number, success: number, failed: number, successRate: number,
});

const GroupParticipant = object('GroupParticipant', { identifier: string, name: optional(nullable(string)) });
const groupFields = {
  isGroup: optional(boolean), groupId: optional(nullable(string)), groupName: optional(nullable(string)),
  groupIconUrl: optional(nullable(string)), participants: optional(nullable(array(GroupParticipant))),
};
export const ConversationSummary = object('AppRoutesConversationsConversationSummary', {
  id: string, agentId: optional(nullable(string)), phoneNumberId: string, phoneNumber: string,
  participant: string, ...groupFields, lastMessageAt: dateTime, lastMessagePreview: string,
  messageCount: number, metadata: optional(nullable(record(unknown))), createdAt: dateTime,
});
export const ConversationListResponse = object('AppRoutesConversationsConversationListResponse', {
  data: array(ConversationSummary), hasMore: boolean, total: number,
});
export const AgentConversationSummary = object('AppRoutesAgentsConversationSummary', {
  id: string, agentId: nullable(string), phoneNumberId: string, phoneNumber: string, participant: string,
  lastMessageAt: dateTime, lastMessagePreview: string, messageCount: number, createdAt: dateTime,
});
export const AgentConversationListResponse = object('AppRoutesAgentsConversationListResponse', {
  data: array(AgentConversationSummary), hasMore: boolean, total: number,
});
export const ReactionInConversation = object('ReactionInConversation', {
  id: string, reactionType: string, fromNumber: string, direction: string, createdAt: dateTime,
});
export const MessageInConversation = object('MessageInConversation', {
  id: string, body: string, fromNumber: string, toNumber: string, direction: string,
  senderIdentifier: optional(nullable(string)), channel: optional(nullable(string)),
  mediaUrl: optional(nullable(string)), mediaUrls: optional(array(string)), receivedAt: dateTime,
  reactions: optional(array(ReactionInConversation)),
  replyTo: optional(nullable(object('ReplyToInConversation', {
    messageId: string, message: string, mediaUrls: optional(array(string)),
  }))),
});
export const ConversationDetail = object('ConversationDetail', {
  id: string, agentId: optional(nullable(string)), phoneNumberId: string, phoneNumber: string,
  participant: string, ...groupFields, lastMessageAt: dateTime, messageCount: number,
  metadata: optional(nullable(record(unknown))), createdAt: dateTime, messages: array(MessageInConversation),
});
export const MessagesListResponse = object('MessagesListResponse', { data: array(MessageInConversation), hasMore: boolean });
export const SendMessageResponse = object('SendMessageResponse', {
  id: string, status: string, channel: string, from_number: string, to_number: string,
  conversation_id: optional(nullable(string)), media_urls: optional(array(string)),
  reply_to_message_id: optional(nullable(string)), reply_parent_unresolved: optional(nullable(boolean)),
});
export const SendReactionResponse = object('SendReactionResponse', {
  id: string, reaction_type: string, message_id: string, channel: string,
});
export const SendTypingResponse = object('SendTypingResponse', { conversationId: string, channel: string, status: string });
export const SetBackgroundResponse = object('SetBackgroundResponse', {
  conversationId: string, channel: string, hasBackground: boolean, backgroundId: optional(nullable(string)),
  backgroundVersion: optional(nullable(number)), changed: boolean,
});

export const CallSummary = object('CallSummary', {
  id: string, agentId: nullable(string), phoneNumberId: nullable(string), phoneNumber: nullable(string),
  fromNumber: string, toNumber: string, status: string, startedAt: dateTime, endedAt: nullable(dateTime),
  durationSeconds: nullable(number), lastTranscriptSnippet: nullable(string),
});
export const CallListResponse = object('CallListResponse', { data: array(CallSummary), hasMore: boolean, total: number });

export const UsageResponse = object('UsageResponse', {
  plan: object('PlanInfo', {
    name: string,
    limits: object('PlanLimits', {
      numbers: number, messagesPerMonth: number, voiceMinutesPerMonth: number,
      maxCallDurationMinutes: number, concurrentCalls: number,
    }),
  }),
  numbers: object('NumberLimits', { used: number, limit: number, remaining: number }),
  stats: object('UsageStats', {
    totalMessages: number, messagesLast24h: number, messagesLast7d: number, messagesLast30d: number,
    totalCalls: number, callsLast24h: number, callsLast7d: number, callsLast30d: number,
    totalWebhookDeliveries: number, successfulWebhookDeliveries: number, failedWebhookDeliveries: number,
  }),
  periodStart: dateTime, periodEnd: dateTime,
});
export const DailyUsageResponse = object('DailyUsageResponse', {
  data: array(object('DailyUsagePoint', { date: string, messages: number, calls: number, webhooks: number })),
  days: number,
});
export const MonthlyUsageResponse = object('MonthlyUsageResponse', {
  data: array(object('MonthlyUsagePoint', { month: string, messages: number, calls: number, webhooks: number })),
  months: number,
});
export const NumberUsageResponse = object('NumberUsageResponse', {
  data: array(object('NumberUsageItem', {
    numberId: string, phoneNumber: string, country: string, status: string,
    agentId: optional(nullable(string)), agentName: optional(nullable(string)), messages: number, calls: number,
  })),
});
export const AgentUsageResponse = object('AgentUsageResponse', {
  data: array(object('AgentUsageItem', {
    agentId: nullable(string), agentName: string, messages: number, calls: number, totalSeconds: number,
    isOrphan: optional(boolean),
  })),
  period: string, periodStart: dateTime, periodEnd: dateTime,
});

export const ContactCardResponse = object('ContactCardResponse', {
  firstName: optional(nullable(string)), lastName: optional(nullable(string)),
  displayName: optional(nullable(string)), hasAvatar: optional(boolean),
});
export const CampaignStatusResponse = object('CampaignStatusResponse', {
  campaign_status: string, message: string, stage: optional(nullable(string)),
});
export const RegistrationResponse = object('RegistrationResponse', {
  ok: boolean, message: string, campaign_status: string, sub_account_id: optional(nullable(string)),
  fee_cents: optional(number),
});
export const LocationResponse = object('LocationResponse', {
  phoneNumber: string, latitude: optional(nullable(number)), longitude: optional(nullable(number)),
  status: string, lastUpdated: number,
});
export const LocationRefreshResponse = object('LocationRefreshResponse', {
  success: boolean, pollAfterSeconds: optional(number),
});
