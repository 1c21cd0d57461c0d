// The record of one run: every check is one named, awaited function whose outcome (and, on
// failure, why) ends up in the JSON the suite reads. Nothing here decides what is expected to
// fail: that is pending.json's job, judged on the Java side.
import assert from 'node:assert/strict';
import { AgentPhoneError, AgentPhoneTimeoutError } from 'agentphone';

export class Checks {
  constructor(log) {
    this.results = [];
    this.log = log;
  }

  /**
   * Runs {@code body} as the check {@code name} ("resource.method" or "resource.method[aspect]",
   * or "sandbox:…" for a step outside the client). Its return value, if a string, is the
   * record's detail. Never throws: a failing check is recorded and the flow goes on.
   */
  async check(name, body) {
    const started = Date.now();
    let record;
    try {
      const said = await body();
      record = { name, ok: true, detail: typeof said === 'string' ? said : 'ok' };
    } catch (error) {
      record = { name, ok: false, detail: describe(error) };
    }
    record.ms = Date.now() - started;
    this.results.push(record);
    this.log(`${record.ok ? 'ok  ' : 'FAIL'} ${name} (${record.ms} ms)${record.ok ? '' : ': ' + record.detail}`);
    return record.ok;
  }
}

/** What went wrong, in one line: the HTTP answer the client threw, or the assertion. */
export function describe(error) {
  if (error instanceof AgentPhoneTimeoutError) {
    return `timeout: ${error.message}`;
  }
  if (error instanceof AgentPhoneError) {
    const body = typeof error.body === 'string' ? error.body : JSON.stringify(error.body);
    return `HTTP ${error.statusCode} ${String(body).slice(0, 400)}`;
  }
  if (error instanceof assert.AssertionError) {
    const where = String(error.stack).match(/\/(steps\/[\w-]+\.mjs:\d+)/);
    const compared = ['strictEqual', 'deepStrictEqual'].includes(error.operator)
      ? `expected ${JSON.stringify(error.expected)}, got ${JSON.stringify(error.actual)}` : null;
    const what = error.generatedMessage ? compared
      : String(error.message).split('\n')[0] + (compared ? `: ${compared}` : '');
    return `${what.slice(0, 600)}${where ? ` (${where[1]})` : ''}`;
  }
  return `${error && error.name || 'Error'}: ${String(error && error.message || error).slice(0, 400)}`;
}

/**
 * Retries {@code probe} (which asserts) until it passes or {@code timeoutMs} is over, then
 * rethrows its last failure: for what the engine does after answering (webhook deliveries,
 * call turns).
 */
export async function eventually(probe, timeoutMs = 10_000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** Runs {@code call} and returns the error it throws; fails if it does not throw. */
export async function rejection(call, what) {
  try {
    const value = await call();
    assert.fail(`${what}: expected an error, got ${JSON.stringify(value)?.slice(0, 300)}`);
  } catch (error) {
    if (error instanceof assert.AssertionError) {
      throw error;
    }
    return error;
  }
}

/** {@code error} is the client's AgentPhoneError for HTTP {@code status}, with a {"detail": "…"} body. */
export function expectStatus(error, status, what) {
  assert.ok(error instanceof AgentPhoneError && error.statusCode === status,
    `${what}: expected HTTP ${status}, got ${describe(error)}`);
  assert.ok(typeof error.body?.detail === 'string' && error.body.detail.length > 0,
    `${what}: the ${status} should carry a {"detail": "…"} body, got ${JSON.stringify(error.body)}`);
  return error;
}
