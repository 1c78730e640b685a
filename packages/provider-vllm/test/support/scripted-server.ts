import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  raw: Buffer;
  /** The body parsed as JSON, when it was JSON. */
  json: unknown;
}

/** What the server answers. */
export type Reply =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'text'; status: number; text: string; headers?: Record<string, string> }
  | { kind: 'sse'; events: unknown[]; done?: boolean; cut?: boolean };

/** A loopback server with scripted answers, for exact wire cases (split tags, cut streams). */
export interface ScriptedServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export const json = (body: unknown, status = 200, headers?: Record<string, string>): Reply => ({
  kind: 'json',
  status,
  body,
  ...(headers ? { headers } : {}),
});
export const text = (body: string, status = 200): Reply => ({ kind: 'text', status, text: body });
export const sse = (events: unknown[], options: { done?: boolean; cut?: boolean } = {}): Reply => ({
  kind: 'sse',
  events,
  ...options,
});

/** Starts a server on 127.0.0.1:0 that answers every request with `answer(request)`. */
export async function startScriptedServer(
  answer: (req: SeenRequest) => Reply,
): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      raw,
      json: parsed,
    };
    requests.push(seen);
    write(res, answer(seen));
  });
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function write(res: ServerResponse, reply: Reply): void {
  if (reply.kind === 'json') {
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(JSON.stringify(reply.body));
    return;
  }
  if (reply.kind === 'text') {
    res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
    res.end(reply.text);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  for (const event of reply.events)
    res.write(`data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`);
  if (reply.cut) {
    // Wait until the written chunks are flushed, then cut the connection mid-stream.
    res.write('', () => res.socket?.destroy());
    return;
  }
  if (reply.done !== false) res.write('data: [DONE]\n\n');
  res.end();
}
