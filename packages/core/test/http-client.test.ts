import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  APIConnectionError,
  BadGatewayError,
  HttpClient,
  NotFoundError,
  RateLimitError,
  ServiceUnavailableError,
  Timeout,
} from '../src/index';
import { type LoopbackServer, startLoopbackServer } from './loopback-server';

let server: LoopbackServer | undefined;
let client: HttpClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('HttpClient.json', () => {
  it('posts JSON and returns the parsed body with flattened headers', async () => {
    server = await startLoopbackServer((req, res) => {
      let body = '';
      req.on('data', chunk => (body += chunk));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-ratelimit-remaining-requests', '9');
        res.end(JSON.stringify({ echo: JSON.parse(body), type: req.headers['content-type'] }));
      });
    });
    client = new HttpClient();
    const res = await client.json({ url: `${server.url}/v1/x`, json: { a: 1 } });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ echo: { a: 1 }, type: 'application/json' });
    expect(res.headers['x-ratelimit-remaining-requests']).toBe('9');
  });

  it('joins repeated response headers and lower-cases their names', async () => {
    server = await startLoopbackServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, [
          ['Content-Type', 'application/json'],
          ['Set-Cookie', 'a=1'],
          ['Set-Cookie', 'b=2'],
          ['X-Trace', 'one'],
          ['x-trace', 'two'],
        ]);
        res.end('{}');
      });
    });
    client = new HttpClient();
    const res = await client.json({ url: server.url, json: {} });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['set-cookie']).toBe('a=1, b=2');
    expect(res.headers['x-trace']).toBe('one, two');
  });

  it('reuses pooled keep-alive connections across calls', async () => {
    server = await startLoopbackServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('{}'));
    });
    client = new HttpClient();
    for (let i = 0; i < 20; i++) await client.json({ url: server.url, json: {} });
    // undici may open a second socket while the first is being released; never one per call.
    expect(server.connections).toBeLessThanOrEqual(2);
  });

  it('maps a refused connection to a retryable APIConnectionError', async () => {
    const probe = createServer();
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>(resolve => probe.close(() => resolve()));
    client = new HttpClient();
    const error = await rejection(client.json({ url: `http://127.0.0.1:${port}/`, json: {} }));
    expect(APIConnectionError.isInstance(error)).toBe(true);
    expect((error as APIConnectionError).isRetryable).toBe(true);
    expect((error as APIConnectionError).code).toBe('ECONNREFUSED');
  });

  it('raises Timeout when response headers do not come in time', async () => {
    server = await startLoopbackServer(() => {
      /* never answers */
    });
    client = new HttpClient({ headersTimeoutMs: 100 });
    const error = await rejection(client.json({ url: server.url, json: {} }));
    expect(Timeout.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('UND_ERR_HEADERS_TIMEOUT');
  });

  it('raises Timeout when the body stalls', async () => {
    server = await startLoopbackServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
    });
    client = new HttpClient({ bodyTimeoutMs: 100 });
    const error = await rejection(client.json({ url: server.url, json: {} }));
    expect(Timeout.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('UND_ERR_BODY_TIMEOUT');
  });

  it("raises Timeout when the call's own deadline passes", async () => {
    server = await startLoopbackServer(() => {});
    client = new HttpClient();
    const error = await rejection(client.json({ url: server.url, json: {}, timeoutMs: 80 }));
    expect(Timeout.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('Request timed out after 80 ms');
    await server.closed;
  });

  it("rejects with the caller's abort reason and closes the upstream request", async () => {
    server = await startLoopbackServer((_req, res) => {
      res.writeHead(200);
      res.write('{"partial":');
      controller.abort(new Error('caller gave up'));
    });
    const controller = new AbortController();
    client = new HttpClient();
    const error = await rejection(
      client.json({ url: server.url, json: {}, signal: controller.signal }),
    );
    expect((error as Error).message).toBe('caller gave up');
    await server.closed;
  });

  it('raises BadGatewayError for a 200 body that is not JSON', async () => {
    server = await startLoopbackServer((_req, res) => res.end('<html>oops</html>'));
    client = new HttpClient();
    const error = await rejection(client.json({ url: server.url, json: {} }));
    expect(BadGatewayError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('not JSON: <html>oops</html>');
  });

  it('refuses bodies over the size cap, declared or streamed', async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/declared') {
        res.setHeader('content-length', '5000');
        res.end('x'.repeat(5000));
      } else {
        res.write('x'.repeat(3000));
        res.end('y'.repeat(3000));
      }
    });
    client = new HttpClient({ maxResponseBytes: 4096 });
    for (const path of ['/declared', '/chunked']) {
      const error = await rejection(client.json({ url: server.url + path, json: {} }));
      expect(BadGatewayError.isInstance(error)).toBe(true);
      expect((error as BadGatewayError).isRetryable).toBe(false);
      expect((error as Error).message).toContain('4096-byte limit');
    }
  });

  it('maps statuses to error classes with the upstream message and retry-after', async () => {
    server = await startLoopbackServer((req, res) => {
      const status = Number(req.url?.slice(1));
      if (status === 429) res.setHeader('retry-after', '3');
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `failed with ${status}` }));
    });
    client = new HttpClient();
    const limited = await rejection(client.json({ url: `${server.url}/429`, json: {} }));
    expect(RateLimitError.isInstance(limited)).toBe(true);
    expect((limited as RateLimitError).retryAfterMs).toBe(3000);
    expect((limited as RateLimitError).message).toBe('failed with 429');
    const unavailable = await rejection(client.json({ url: `${server.url}/503`, json: {} }));
    expect(ServiceUnavailableError.isInstance(unavailable)).toBe(true);
    const missing = await rejection(client.json({ url: `${server.url}/404`, json: {} }));
    expect(NotFoundError.isInstance(missing)).toBe(true);
    expect((missing as NotFoundError).isRetryable).toBe(false);
  });

  it('checks the response shape with a schema and names the bad path', async () => {
    server = await startLoopbackServer((_req, res) => res.end('{"choices":[{"index":"zero"}]}'));
    client = new HttpClient();
    const schema = z.object({ choices: z.array(z.object({ index: z.number() })) });
    const error = await rejection(client.json({ url: server.url, json: {}, schema }));
    expect(BadGatewayError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('choices[0].index');
  });
});

describe('HttpClient.stream', () => {
  it('yields the body and rejects non-2xx before any byte', async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/bad') {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"error":"not ready"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
      res.end('data: 2\n\n');
    });
    client = new HttpClient();
    const bad = await rejection(client.stream({ url: `${server.url}/bad`, json: {} }));
    expect(ServiceUnavailableError.isInstance(bad)).toBe(true);
    const res = await client.stream({ url: `${server.url}/ok`, json: {} });
    let text = '';
    for await (const chunk of res.body) text += Buffer.from(chunk).toString();
    expect(text).toBe('data: 1\n\ndata: 2\n\n');
  });

  it('raises APIConnectionError when the upstream drops the connection mid-stream', async () => {
    server = await startLoopbackServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n', () => req.socket.destroy());
    });
    client = new HttpClient();
    const res = await client.stream({ url: server.url, json: {} });
    const error = await rejection(
      (async () => {
        for await (const _chunk of res.body) {
          /* drain */
        }
      })(),
    );
    expect(APIConnectionError.isInstance(error)).toBe(true);
  });

  it('aborts the upstream request when the consumer stops reading', async () => {
    server = await startLoopbackServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
    });
    client = new HttpClient();
    const res = await client.stream({ url: server.url, json: {} });
    for await (const _chunk of res.body) break;
    await server.closed;
  });
});

describe('cancelling a stream', () => {
  it('closes its upstream connection and opens no new one for it', async () => {
    server = await startLoopbackServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
    });
    // Every TCP connection this process opens, as Node creates it.
    const sockets: Socket[] = [];
    const onSocket = (message: unknown) => sockets.push((message as { socket: Socket }).socket);
    subscribe('net.client.socket', onSocket);
    try {
      client = new HttpClient();
      const controller = new AbortController();
      const res = await client.stream({ url: server.url, json: {}, signal: controller.signal });
      const body = res.body[Symbol.asyncIterator]();
      await body.next();
      expect(sockets).toHaveLength(1);
      // undici's close handler runs (and would connect anew) before this resolves.
      const closed = new Promise(resolve => sockets[0]!.once('close', resolve));
      controller.abort(new Error('client left'));
      await closed;
      await expect(body.next()).rejects.toThrow('client left');
      await server.closed;
      expect(sockets).toHaveLength(1);
      // The pool still serves: the next call connects when it needs to.
      const next = await client.stream({ url: server.url, json: {} });
      for await (const _chunk of next.body) break;
      expect(sockets).toHaveLength(2);
    } finally {
      unsubscribe('net.client.socket', onSocket);
    }
  });
});

describe('HttpClient.bytes and multipart bodies', () => {
  it('reads a binary answer byte for byte', async () => {
    const payload = Buffer.from([0, 255, 128, 10, 13, 0xc3]);
    server = await startLoopbackServer((req, res) => {
      req.resume();
      res.setHeader('inference-header-content-length', '0');
      res.end(payload);
    });
    client = new HttpClient();
    const res = await client.bytes({ url: server.url, json: {} });
    expect(Buffer.from(res.data).equals(payload)).toBe(true);
    expect(res.headers['inference-header-content-length']).toBe('0');
  });

  it('sends a FormData body as multipart with its boundary', async () => {
    let received = '';
    let type = '';
    server = await startLoopbackServer((req, res) => {
      type = String(req.headers['content-type']);
      req.on('data', chunk => (received += chunk));
      req.on('end', () => res.end('{}'));
    });
    client = new HttpClient();
    const form = new FormData();
    form.set('model', 'whisper');
    form.set('file', new Blob([Uint8Array.of(1, 2, 3)]), 'a.wav');
    await client.json({ url: server.url, method: 'POST', body: form });
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    expect(received).toContain('name="model"');
    expect(received).toContain('filename="a.wav"');
  });
});

describe('mapTransportError', () => {
  it("maps undici's connect timeout to Timeout and socket errors to APIConnectionError", async () => {
    const { errors } = await import('undici');
    const { mapTransportError } = await import('../src/index');
    const ctx = { method: 'POST', url: 'http://user:secret@10.0.0.1:8000/v1/chat/completions' };
    const connect = mapTransportError(new errors.ConnectTimeoutError(), ctx);
    expect(Timeout.isInstance(connect)).toBe(true);
    expect(connect.code).toBe('UND_ERR_CONNECT_TIMEOUT');
    expect(connect.message).not.toContain('secret');
    const socket = mapTransportError(new errors.SocketError('other side closed'), ctx);
    expect(APIConnectionError.isInstance(socket)).toBe(true);
    expect(socket.isRetryable).toBe(true);
  });
});
