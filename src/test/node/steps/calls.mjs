// Voice: an outbound call placed through the client is answered by the sandbox's simulated
// phone; the caller speaks (sandbox tool), the transcript shows the exchange, the client hangs up
// and the call is completed. Then lists, a web call, the per-call extras and the recording.
import assert from 'node:assert/strict';
import * as shape from '../harness/shapes.mjs';
import { eventually } from '../harness/checks.mjs';

const CALLEE = '+14155550123';
const GREETING = 'Hi, this is Acme calling about your order.';

export async function outbound({ client, check, env, state, sandbox }) {
  // recording is an account setting the client has no method for (the provider's path)
  await check('sandbox:recording is turned on (POST /v1/credits/recording/enable)', async () => {
    const on = await sandbox.post('/v1/credits/recording/enable');
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.equal(on.body.recordingEnabled, true);
  });

  await check('calls.createOutboundCall', async () => {
    const call = await client.calls.createOutboundCall({ agentId: env.agentId, toNumber: CALLEE, initialGreeting: GREETING });
    shape.conforms(call, shape.CallSummary, 'createOutboundCall');
    state.call = call;
    assert.deepEqual([call.status, call.direction, call.type, call.agentId, call.fromNumber, call.toNumber, call.phoneNumberId],
      ['in-progress', 'outbound', 'pstn', env.agentId, env.phoneNumber, CALLEE, env.numberId]);
  });

  await check('sandbox:the callee speaks', async () => {
    const answer = await eventually(async () => {
      const said = await sandbox.say(state.call.id, 'Hello there');
      assert.equal(said.status, 200, `say: ${JSON.stringify(said.body)}`);
      return said.body;
    });
    assert.equal(answer.reply, 'Hello! How can I help you today?');
  });

  await check('calls.getCall', async () => {
    const call = await eventually(async () => {
      const read = await client.calls.getCall({ call_id: state.call.id });
      assert.ok(read.transcripts?.length >= 2, `transcripts: ${JSON.stringify(read.transcripts)}`);
      return read;
    });
    shape.conforms(call, shape.CallSummary, 'getCall');
    assert.equal(call.status, 'in-progress');
    assert.equal(call.transcripts[0].response, GREETING, 'the greeting comes first');
    assert.deepEqual([call.transcripts[1].transcript, call.transcripts[1].response],
      ['Hello there', 'Hello! How can I help you today?']);
  });

  await check('calls.getCallTranscript', async () => {
    const transcript = await client.calls.getCallTranscript({ call_id: state.call.id });
    assert.equal(transcript.callId, state.call.id);
    assert.deepEqual(transcript.transcripts.map((t) => [t.transcript, t.response]),
      [[null, GREETING], ['Hello there', 'Hello! How can I help you today?']]);
  });

  await check('calls.endCall', async () => {
    const ended = await client.calls.endCall({ call_id: state.call.id });
    assert.equal(ended.id, state.call.id);
    const done = await eventually(async () => {
      const read = await client.calls.getCall({ call_id: state.call.id });
      assert.equal(read.status, 'completed');
      return read;
    });
    assert.ok(done.endedAt && Date.parse(done.endedAt) >= Date.parse(done.startedAt));
    assert.equal(typeof done.durationSeconds, 'number');
    assert.equal(done.disconnectionReason, 'api_hangup');
  });

  // The client reads every answer as JSON; a text/event-stream answer comes back as its
  // documented "non-json" result, with the stream's text (the replay of an ended call).
  await check('calls.streamCallTranscript', async () => {
    const answer = await client.calls.streamCallTranscript({ call_id: state.call.id });
    assert.equal(answer?.ok, false);
    assert.equal(answer.error?.reason, 'non-json');
    assert.equal(answer.error.statusCode, 200);
    const events = answer.error.rawBody.split('\n\n').filter(Boolean);
    assert.match(events[0], /^event: connected/);
    const turns = events.filter((e) => /^(id: \d+\n)?event: turn/.test(e)).map((e) => JSON.parse(e.split('data: ')[1]));
    assert.deepEqual(turns.map((t) => t.content), [GREETING, 'Hello there', 'Hello! How can I help you today?']);
    assert.match(events[events.length - 1], /^event: ended\ndata: .*"status":"completed"/);
  });

  await check('calls.getCall[recording fields]', async () => {
    const call = await eventually(async () => {
      const read = await client.calls.getCall({ call_id: state.call.id });
      assert.equal(read.recordingAvailable, true, `recordingAvailable is ${JSON.stringify(read.recordingAvailable)}`);
      return read;
    }, 20_000);
    assert.equal(typeof call.recordingUrl, 'string');
    assert.ok(call.recordingUrl.endsWith(`/v1/calls/${state.call.id}/recording`), call.recordingUrl);
    const listed = (await client.calls.listCalls()).data.find((c) => c.id === state.call.id);
    assert.deepEqual([listed?.recordingAvailable, listed?.recordingUrl], [true, call.recordingUrl]);
    state.recordingUrl = call.recordingUrl;
  });

  // The client sends no key for this method; it reads every answer as JSON, so audio comes back
  // as its documented "non-json" result. The bytes are fetched from recordingUrl directly.
  await check('calls.getCallRecording', async () => {
    const { data, rawResponse } = await client.calls.getCallRecording({ call_id: state.call.id }).withRawResponse();
    assert.match(rawResponse.headers.get('content-type') ?? '', /^audio\/wav/);
    assert.match(rawResponse.headers.get('content-disposition') ?? '', new RegExp(`recording-${state.call.id}\\.wav`));
    assert.equal(data?.error?.reason, 'non-json', 'the client cannot parse audio, and says so');
    assert.ok(data.error.rawBody.startsWith('RIFF'), 'a WAV file');
    // the host the engine names may resolve elsewhere for Node: its path on the engine we reach
    const bytes = Buffer.from(await (await fetch(env.baseUrl + new URL(state.recordingUrl).pathname)).arrayBuffer());
    assert.equal(bytes.toString('latin1', 0, 4), 'RIFF');
    assert.equal(bytes.toString('latin1', 8, 12), 'WAVE');
    assert.equal(bytes.readUInt32LE(4), bytes.length - 8, 'the RIFF size is the file\'s');
    const dataAt = bytes.indexOf('data', 12, 'latin1');
    assert.ok(dataAt > 0 && bytes.readUInt32LE(dataAt + 4) === bytes.length - dataAt - 8, 'the data chunk ends the file');
    assert.ok(bytes.readUInt32LE(dataAt + 4) > 0, 'it holds sound');
  });

  await check('calls.createOutboundCall[variables]', async () => {
    const call = await client.calls.createOutboundCall({
      agentId: env.agentId, toNumber: CALLEE, initialGreeting: 'Hello {{name}}, this is Acme.', variables: { name: 'Ada' },
    });
    try {
      // a hosted call's turns are stored as the callee answers
      await eventually(async () => assert.equal((await sandbox.say(call.id, 'Hi')).status, 200));
      const read = await eventually(async () => {
        const got = await client.calls.getCall({ call_id: call.id });
        assert.ok(got.transcripts?.length >= 1, 'no greeting in the transcript');
        return got;
      });
      assert.equal(read.transcripts[0].response, 'Hello Ada, this is Acme.', 'variables fill the greeting');
    } finally {
      await client.calls.endCall({ call_id: call.id });
    }
  });
}

export async function lists({ client, check, env, state }) {
  await check('calls.createWebCall', async () => {
    const web = await client.calls.createWebCall({ agentId: env.agentId, metadata: { order: '1042' } });
    state.webCall = web;
    assert.equal(web.agentId, env.agentId);
    assert.equal(typeof web.callId, 'string');
    assert.ok(typeof web.accessToken === 'string' && web.accessToken.length >= 16, 'an access token for the web SDK');
    const left = Date.parse(web.expiresAt) - Date.now();
    assert.ok(left > 0 && left <= 31_000, `the token expires 30 s after creation (${left} ms left)`);
    const call = await client.calls.getCall({ call_id: web.callId });
    assert.equal(call.type, 'web');
    await client.calls.endCall({ call_id: web.callId });
  });

  await check('calls.listCalls', async () => {
    const all = shape.conforms(await client.calls.listCalls(), shape.CallListResponse);
    assert.ok(all.data.some((c) => c.id === state.call.id));
    assert.equal(all.total, all.data.length);
    const outbound = await client.calls.listCalls({ status: 'completed', direction: 'outbound', type: 'pstn', search: '555012' });
    assert.ok(outbound.data.some((c) => c.id === state.call.id), 'the filters keep the call');
    assert.ok(outbound.data.every((c) => c.status === 'completed' && c.toNumber.includes('555012')));
    assert.ok(!outbound.data.some((c) => c.id === state.webCall?.callId), 'type=pstn leaves out the web call');
    const inbound = await client.calls.listCalls({ direction: 'inbound' });
    assert.ok(inbound.data.every((c) => c.direction === 'inbound') && !inbound.data.some((c) => c.id === state.call.id),
      'direction=inbound leaves out the outbound calls');
    state.callCount = all.total;
  });

  // The client sends a null filter as an empty parameter (?status=), which means no filter.
  await check('calls.listCalls[null filter]', async () => {
    const unfiltered = await client.calls.listCalls({ status: null, direction: null });
    assert.equal(unfiltered.total, state.callCount);
  });

  await check('calls.listCallsForNumber', async () => {
    const list = shape.conforms(await client.calls.listCallsForNumber({ number_id: env.numberId, limit: 5 }), shape.CallListResponse);
    assert.ok(list.data.some((c) => c.id === state.call.id));
    assert.ok(list.data.every((c) => c.phoneNumberId === env.numberId));
    const none = await client.calls.listCallsForNumber({ number_id: state.agentNumber.id });
    assert.equal(none.total, 0);
  });

  await check('agents.listAgentCalls', async () => {
    const list = shape.conforms(await client.agents.listAgentCalls({ agent_id: env.agentId, limit: 20 }), shape.CallListResponse);
    assert.ok(list.data.some((c) => c.id === state.call.id));
    assert.equal((await client.agents.listAgentCalls({ agent_id: state.agent.id })).total, 0);
  });
}
