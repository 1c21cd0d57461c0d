// Drives the official AgentPhone client (npm "agentphone", pinned in package.json) against a
// running engine, as a customer would, and prints one JSON document on stdout:
//   {sdk: {name, version}, methods: [every client method], called: [those the flow called],
//    results: [{name, ok, detail, ms}]}
// Progress goes to stderr. The flow is the table FLOW below; each step is in steps/<resource>.mjs.
// Checks that cannot pass yet are listed, with the reason, in pending.json; the suite
// (dev.agentphone.sdk.OfficialClientTest) holds both lists to account.
//
// Environment (the suite sets it; to run by hand, sign up in sandbox mode first):
//   AGENTPHONE_BASE_URL      e.g. http://127.0.0.1:8080 (sandbox mode: the flow uses /sandbox/*)
//   AGENTPHONE_API_KEY       a freshly signed-up account's key (the flow expects its starting state)
//   AGENTPHONE_AGENT_ID, AGENTPHONE_NUMBER_ID, AGENTPHONE_PHONE_NUMBER   that account's starter agent and number
//   AGENTPHONE_OTHER_AGENT_ID  an agent of another account (must be invisible to this one)
import { createRequire } from 'node:module';
import { Checks } from './harness/checks.mjs';
import { clientMethods, newClient, tracked } from './harness/client.mjs';
import { Receiver } from './harness/receiver.mjs';
import { Sandbox } from './harness/sandbox.mjs';
import * as agents from './steps/agents.mjs';
import * as numbers from './steps/numbers.mjs';
import * as contacts from './steps/contacts.mjs';
import * as webhooks from './steps/webhooks.mjs';
import * as messaging from './steps/messaging.mjs';
import * as imessage from './steps/imessage.mjs';
import * as calls from './steps/calls.mjs';
import * as usage from './steps/usage.mjs';
import * as accounts from './steps/accounts.mjs';
import * as errors from './steps/errors.mjs';

/** The flow, in order: later steps use what earlier ones made (ctx.state). */
const FLOW = [
  agents.create,
  numbers.buy,
  contacts.crud,
  webhooks.deliveries,
  messaging.sms,
  imessage.chat,
  imessage.contactCard,
  calls.outbound,
  calls.lists,
  usage.usage,
  accounts.subAccounts,
  accounts.registration,
  accounts.location,
  errors.refusals,
  numbers.release,
  agents.remove,
];

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`run.mjs: set ${name} (see the comment at the top of run.mjs)`);
    process.exit(2);
  }
  return value;
}

const env = {
  baseUrl: required('AGENTPHONE_BASE_URL'),
  apiKey: required('AGENTPHONE_API_KEY'),
  agentId: required('AGENTPHONE_AGENT_ID'),
  numberId: required('AGENTPHONE_NUMBER_ID'),
  phoneNumber: required('AGENTPHONE_PHONE_NUMBER'),
  otherAgentId: required('AGENTPHONE_OTHER_AGENT_ID'),
};

const sdk = createRequire(import.meta.url)('agentphone/package.json');
const plain = newClient(env.baseUrl, env.apiKey);
const called = new Set();
const checks = new Checks((line) => console.error(line));
const receiver = await Receiver.start();
const ctx = {
  env,
  client: tracked(plain, called),
  check: (name, body) => checks.check(name, body),
  sandbox: new Sandbox(env.baseUrl, env.apiKey),
  receiver,
  state: {},
};

const started = Date.now();
try {
  for (const step of FLOW) {
    await step(ctx);
  }
} finally {
  await receiver.close();
}
const failed = checks.results.filter((r) => !r.ok).length;
console.error(`${checks.results.length} checks, ${failed} failed, in ${Date.now() - started} ms`);
process.stdout.write(JSON.stringify({
  sdk: { name: sdk.name, version: sdk.version },
  methods: clientMethods(plain),
  called: [...called].sort(),
  results: checks.results,
}) + '\n');
