// Usage, checked against what the other reads of the client say happened on this (fresh) account.
import assert from 'node:assert/strict';
import * as shape from '../harness/shapes.mjs';

const sum = (points, field) => points.reduce((total, p) => total + p[field], 0);
const utcDay = () => new Date().toISOString().slice(0, 10);

export async function usage({ client, check, env, state }) {
  await check('usage.getUsage', async () => {
    const conversations = await client.conversations.listConversations();
    const calls = await client.calls.listCalls();
    const numbers = await client.numbers.listNumbers();
    const deliveries = await client.webhooks.allTimeStats();
    state.totals = {
      messages: sum(conversations.data, 'messageCount'), calls: calls.total, webhooks: deliveries.total,
      byNumber: Object.fromEntries(numbers.data.map((n) => [n.id, sum(conversations.data.filter((c) => c.phoneNumberId === n.id), 'messageCount')])),
    };
    const used = shape.conforms(await client.usage.getUsage(), shape.UsageResponse);
    assert.equal(used.plan.name, 'starter');
    assert.deepEqual(used.numbers, { used: numbers.total, limit: used.plan.limits.numbers, remaining: used.plan.limits.numbers - numbers.total });
    assert.equal(used.stats.totalMessages, state.totals.messages, 'every message of every conversation');
    assert.equal(used.stats.messagesLast24h, state.totals.messages);
    assert.equal(used.stats.totalCalls, state.totals.calls);
    assert.equal(used.stats.callsLast30d, state.totals.calls);
    assert.equal(used.stats.totalWebhookDeliveries, deliveries.total);
    assert.equal(used.stats.successfulWebhookDeliveries, deliveries.success);
    assert.ok(Date.parse(used.periodStart) <= Date.now() && Date.now() < Date.parse(used.periodEnd));
    return `${state.totals.messages} messages, ${state.totals.calls} calls, ${deliveries.total} deliveries`;
  });

  await check('usage.getDailyUsage', async () => {
    const before = utcDay();
    const daily = shape.conforms(await client.usage.getDailyUsage({ days: 7 }), shape.DailyUsageResponse);
    assert.equal(daily.days, 7);
    assert.equal(daily.data.length, 7, 'one point per day, quiet days included');
    assert.ok([before, utcDay()].includes(daily.data[6].date), `the last point is today (UTC): ${daily.data[6].date}`);
    assert.equal(sum(daily.data, 'messages'), state.totals.messages);
    assert.equal(sum(daily.data, 'calls'), state.totals.calls);
    assert.equal(sum(daily.data, 'webhooks'), state.totals.webhooks);
  });

  await check('usage.getMonthlyUsage', async () => {
    const before = utcDay().slice(0, 7);
    const monthly = shape.conforms(await client.usage.getMonthlyUsage({ months: 3 }), shape.MonthlyUsageResponse);
    assert.equal(monthly.months, 3);
    assert.equal(monthly.data.length, 3);
    assert.ok([before, utcDay().slice(0, 7)].includes(monthly.data[2].month), `the last point is this month (UTC): ${monthly.data[2].month}`);
    assert.equal(sum(monthly.data, 'messages'), state.totals.messages);
    assert.equal(sum(monthly.data, 'calls'), state.totals.calls);
  });

  await check('usage.getUsageByNumber', async () => {
    const byNumber = shape.conforms(await client.usage.getUsageByNumber(), shape.NumberUsageResponse);
    const starter = byNumber.data.find((n) => n.numberId === env.numberId);
    assert.ok(starter, 'the starter number is listed');
    assert.deepEqual([starter.phoneNumber, starter.country, starter.agentId], [env.phoneNumber, 'US', env.agentId]);
    assert.equal(starter.agentName, (await client.agents.getAgent({ agent_id: env.agentId })).name);
    for (const [numberId, messages] of Object.entries(state.totals.byNumber)) {
      assert.equal(byNumber.data.find((n) => n.numberId === numberId)?.messages, messages, `messages on ${numberId}`);
    }
  });

  await check('usage.getUsageByAgent', async () => {
    const byAgent = shape.conforms(await client.usage.getUsageByAgent({ period: 'month' }), shape.AgentUsageResponse);
    assert.equal(byAgent.period, 'month');
    const starter = byAgent.data.find((a) => a.agentId === env.agentId);
    assert.ok(starter, 'the starter agent is listed');
    assert.equal(starter.calls, state.totals.calls, 'every call of this account was the starter agent\'s');
    assert.equal(starter.isOrphan, false);
    assert.equal(starter.agentName, (await client.agents.getAgent({ agent_id: env.agentId })).name);
    const calls = await client.calls.listCalls();
    assert.equal(sum(byAgent.data, 'totalSeconds'), calls.data.reduce((total, c) => total + (c.durationSeconds ?? 0), 0),
      'totalSeconds: the seconds of every call');
    assert.equal(sum(byAgent.data, 'messages'), state.totals.messages);
  });
}
