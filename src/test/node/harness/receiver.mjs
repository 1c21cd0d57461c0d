// A customer's web server on loopback: its webhook endpoint answers 200 and keeps what it was
// sent; the files put on it (serve) are answered to GETs, as a customer's images are.
import http from 'node:http';
import crypto from 'node:crypto';

export class Receiver {
  static async start() {
    const receiver = new Receiver();
    await new Promise((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  constructor() {
    this.received = [];
    this.files = new Map();
    this.server = http.createServer((request, response) => {
      const file = request.method === 'GET' && this.files.get(request.url);
      if (file) {
        this.received.push({ method: 'GET', path: request.url, headers: request.headers, raw: '', json: null });
        response.writeHead(200, { 'content-type': file.contentType, 'content-length': file.body.length });
        response.end(file.body);
        return;
      }
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try {
          json = JSON.parse(raw);
        } catch {
          // kept as raw text
        }
        this.received.push({ method: request.method, path: request.url, headers: request.headers, raw, json });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"ok":true}');
      });
    });
  }

  /** Serves {@code body} (a Buffer) at {@code path}; answers its URL. */
  serve(path, contentType, body) {
    this.files.set(path, { contentType, body });
    return this.url(path);
  }

  url(path) {
    return `http://127.0.0.1:${this.server.address().port}${path}`;
  }

  on(path) {
    return this.received.filter((r) => r.path === path);
  }

  close() {
    // the engine keeps its connections to webhook endpoints alive; drop them to stop at once
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(resolve));
  }
}

/** Whether {@code delivery} carries a valid X-Webhook-Signature for {@code secret}. */
export function signedWith(delivery, secret) {
  const timestamp = delivery.headers['x-webhook-timestamp'];
  const signature = delivery.headers['x-webhook-signature'];
  if (!timestamp || !signature) {
    return false;
  }
  const expected = 'sha256=' + crypto.createHmac('sha256', secret)
    .update(`${timestamp}.${delivery.raw}`).digest('hex');
  return signature.length === expected.length
    && crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}
