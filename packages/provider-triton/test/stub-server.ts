import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stub received. */
export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** What the stub answers with. */
export interface StubAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** JSON value (sent as JSON), raw bytes, or SSE events (each `data: <json>\n\n`). */
  json?: unknown;
  bytes?: Uint8Array;
  sse?: unknown[];
}

/** A node:http server on 127.0.0.1:0 that answers each request with `answer(request)`. */
export async function startStub(answer: (request: StubRequest) => StubAnswer) {
  const requests: StubRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const request: StubRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: text.length > 0 ? JSON.parse(text) : undefined,
    };
    requests.push(request);
    const reply = answer(request);
    if (reply.sse) {
      res.writeHead(reply.status ?? 200, {
        'content-type': 'text/event-stream; charset=utf-8',
        ...reply.headers,
      });
      for (const event of reply.sse) res.write(`data: ${JSON.stringify(event)}\n\n`);
      res.end();
    } else if (reply.bytes) {
      res.writeHead(reply.status ?? 200, {
        'content-type': 'application/octet-stream',
        ...reply.headers,
      });
      res.end(reply.bytes);
    } else {
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.json));
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
