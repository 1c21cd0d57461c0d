// The engine's public API, as any client sees it: bearer key, JSON, FastAPI-shaped errors, SSE.

const KEY = 'agentphone.console.apiKey';
const SUB_ACCOUNT = 'agentphone.console.subAccount';
/** The header that makes the key act for one of its account's sub-accounts. */
export const SUB_ACCOUNT_HEADER = 'X-Sub-Account-Id';

/**
 * The API key lives in this tab's sessionStorage only: closing the tab forgets it. So does the
 * sub-account the console acts for ({id, name}; none: the main account).
 */
export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  signIn(key) { sessionStorage.setItem(KEY, key); sessionStorage.removeItem(SUB_ACCOUNT); },
  signOut() { sessionStorage.removeItem(KEY); sessionStorage.removeItem(SUB_ACCOUNT); },
  get subAccount() {
    try { return JSON.parse(sessionStorage.getItem(SUB_ACCOUNT)); } catch { return null; }
  },
  actAs(subAccount) {
    if (subAccount) sessionStorage.setItem(SUB_ACCOUNT, JSON.stringify(subAccount));
    else sessionStorage.removeItem(SUB_ACCOUNT);
  },
};

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/** Called when the engine rejects the key (401), so the page can go back to sign-in. */
let onUnauthorized = () => {};
export function whenUnauthorized(handler) { onUnauthorized = handler; }

/** Called when the sub-account the console acts for is gone (deleted meanwhile). */
let onSubAccountGone = () => {};
export function whenSubAccountGone(handler) { onSubAccountGone = handler; }

/**
 * Every request with the key acts for the chosen sub-account, if any (`scoped: false` for the
 * few that manage sub-accounts from the main account).
 */
function headers(auth, extra = {}, scoped = true) {
  const h = { Accept: 'application/json', ...extra };
  if (auth && session.key) h.Authorization = `Bearer ${session.key}`;
  if (auth && scoped && session.subAccount) h[SUB_ACCOUNT_HEADER] = session.subAccount.id;
  return h;
}

function subAccountGone(status, body, sent) {
  return status === 404 && sent && body && body.detail === 'Sub-account not found'
    && session.subAccount?.id === sent;
}

/** The human sentence in an error body: `detail` as a string, or a 422's list of field errors. */
export function describe(body, status) {
  const detail = body && typeof body === 'object' ? body.detail : null;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail.map((d) => {
      const field = (d.loc || []).filter((p) => p !== 'body' && p !== 'query').join('.');
      return field ? `${field}: ${d.msg}` : d.msg;
    }).join('; ');
  }
  return `The engine answered HTTP ${status}`;
}

/**
 * One request. Resolves with the parsed body (null when empty), rejects with ApiError.
 * `auth: false` for the requests that take no key (sign-up, the sandbox outbox of emails);
 * `trial: true` when a 401 is an answer to show (checking a key at sign-in) rather than a reason
 * to sign out; `scoped: false` to act for the main account whatever sub-account is chosen.
 */
export async function api(method, path, body,
  { auth = true, signal, trial = false, scoped = true } = {}) {
  const key = session.key;
  const init = { method, headers: headers(auth, {}, scoped), signal, cache: 'no-store' };
  const sentSubAccount = init.headers[SUB_ACCOUNT_HEADER];
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The engine could not be reached');
  }
  const text = await response.text();
  let parsed = null;
  if (text) {
    try { parsed = JSON.parse(text); } catch { parsed = text; }
  }
  if (!response.ok) {
    // only when the key still in use was refused (not a request that outlived a sign-out)
    if (response.status === 401 && auth && !trial && key && key === session.key) onUnauthorized();
    if (subAccountGone(response.status, parsed, sentSubAccount)) onSubAccountGone();
    throw new ApiError(response.status, describe(parsed, response.status));
  }
  return parsed;
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body, options);
export const patch = (path, body, options) => api('PATCH', path, body, options);
export const put = (path, body, options) => api('PUT', path, body, options);
export const del = (path, options) => api('DELETE', path, undefined, options);

/** A query string from the defined, non-empty values of `params`. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Follows a server-sent event stream. EventSource cannot send an Authorization header, so this
 * reads the stream with fetch and parses the SSE text itself. A dropped connection is resumed
 * with Last-Event-ID until the server ends the stream or `stop()` is called.
 * `on` = { open, event(type, data, id), reconnecting, error(ApiError), closed }.
 * Returns stop().
 */
export function follow(path, on) {
  const controller = new AbortController();
  let lastId = null;
  let finished = false;

  const dispatch = (type, lines, id) => {
    if (id !== null) lastId = id;
    if (!lines.length) return;
    const raw = lines.join('\n');
    let data = raw;
    try { data = JSON.parse(raw); } catch { /* plain text data */ }
    if (type === 'ended') finished = true;
    on.event?.(type, data, id);
  };

  const key = session.key;
  const run = async () => {
    let delay = 500;
    while (!finished && !controller.signal.aborted) {
      try {
        const extra = { Accept: 'text/event-stream' };
        if (lastId !== null) extra['Last-Event-ID'] = lastId;
        const response = await fetch(path, {
          headers: headers(true, extra), signal: controller.signal, cache: 'no-store',
        });
        if (!response.ok) {
          const body = await response.json().catch(() => null);
          if (response.status === 401 && key && key === session.key) onUnauthorized();
          on.error?.(new ApiError(response.status, describe(body, response.status)));
          return;
        }
        on.open?.();
        delay = 500;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        let type = 'message';
        let lines = [];
        let id = null;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let newline;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline).replace(/\r$/, '');
            buffer = buffer.slice(newline + 1);
            if (line === '') {
              dispatch(type, lines, id);
              type = 'message'; lines = []; id = null;
            } else if (!line.startsWith(':')) {
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const value2 = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'event') type = value2;
              else if (field === 'data') lines.push(value2);
              else if (field === 'id') id = value2;
            }
          }
        }
      } catch (e) {
        if (controller.signal.aborted) return;
      }
      if (finished || controller.signal.aborted) break;
      on.reconnecting?.();
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10000);
    }
    on.closed?.();
  };
  run();
  return () => controller.abort();
}

/**
 * Follows a call's live WebSocket (GET /v1/calls/{id}/live). A browser cannot send the key on a
 * WebSocket, so each connection asks for a single-use token first; a dropped connection is
 * resumed with lastEventId (the last turn's seq) until the call has ended or `stop()` is called.
 * `on` = { open, frame(frame), reconnecting, error(ApiError), closed }.
 * Returns { stop(), command(frame) → Promise of its ack }.
 */
export function followLive(callId, on) {
  let lastSeq = null;
  let finished = false;
  let stopped = false;
  let socket = null;
  let next = 0;
  const waiting = new Map();
  const run = async (delay) => {
    if (finished || stopped) return;
    let token;
    try {
      token = (await post(`/v1/calls/${encodeURIComponent(callId)}/live-token`)).token;
    } catch (e) {
      on.error?.(e);
      return;
    }
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const resume = lastSeq === null ? '' : `&lastEventId=${lastSeq}`;
    socket = new WebSocket(`${scheme}://${location.host}/v1/calls/${encodeURIComponent(callId)}`
      + `/live?token=${encodeURIComponent(token)}${resume}`);
    socket.onopen = () => on.open?.();
    socket.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      if (frame.type === 'turn') lastSeq = frame.seq;
      if (frame.type === 'ended') finished = true;
      if (frame.type === 'ack' && waiting.has(frame.id)) {
        waiting.get(frame.id)(frame);
        waiting.delete(frame.id);
      }
      on.frame?.(frame);
    };
    socket.onclose = () => {
      for (const resolve of waiting.values()) resolve({ ok: false, detail: 'The connection closed' });
      waiting.clear();
      if (finished || stopped) {
        on.closed?.();
        return;
      }
      on.reconnecting?.();
      setTimeout(() => run(Math.min(delay * 2, 10000)), delay);
    };
  };
  run(500);
  return {
    stop() { stopped = true; socket?.close(); },
    command(frame) {
      if (!socket || socket.readyState !== WebSocket.OPEN) {
        return Promise.resolve({ ok: false, detail: 'Not connected to the call' });
      }
      const id = `cmd${++next}`;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        socket.send(JSON.stringify({ ...frame, id }));
      });
    },
  };
}
