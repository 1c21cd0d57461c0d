// The engine's sandbox tools (/sandbox/*, loopback only), reached with plain fetch: they play the
// outside world (a phone texting us, a caller speaking), which no client method does.
import assert from 'node:assert/strict';

export class Sandbox {
  constructor(baseUrl, apiKey) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.apiKey = apiKey;
  }

  async post(path, body) {
    const response = await fetch(this.baseUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async get(path) {
    const response = await fetch(this.baseUrl + path, { headers: { authorization: `Bearer ${this.apiKey}` } });
    assert.equal(response.status, 200, `GET ${path} answered ${response.status}`);
    return response.json();
  }

  /** What the sandbox carriers were asked to do for this account, newest first. */
  async outbox() {
    return (await this.get('/sandbox/sms?limit=20')).data;
  }

  async expectOk(path, body) {
    const answer = await this.post(path, body);
    assert.equal(answer.status, 200, `POST ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** Someone texts {@code to} (one of our numbers) by SMS, through the signed Twilio path. */
  sms(from, to, body) {
    return this.expectOk('/sandbox/sms', { from, to, body });
  }

  /** Someone sends an iMessage to {@code to}; {@code extra}: groupId, replyTo, mediaUrls. */
  imessage(from, to, body, extra = {}) {
    return this.expectOk('/sandbox/imessage', { from, to, body, ...extra });
  }

  /** What the sandbox carrier was asked to do for the account, newest first. */
  async outbox() {
    const response = await fetch(`${this.baseUrl}/sandbox/sms?limit=200`, {
      headers: { authorization: `Bearer ${this.apiKey}` },
    });
    assert.equal(response.status, 200, `GET /sandbox/sms answered ${response.status}`);
    return (await response.json()).data;
  }

  /** The caller on {@code callId} says {@code text}; the answer carries the agent's reply. */
  say(callId, text) {
    return this.post(`/sandbox/calls/${callId}/say`, { text });
  }
}
