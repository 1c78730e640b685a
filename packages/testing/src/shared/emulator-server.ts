import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { type EmulatorTlsOptions, httpsServerOptions } from './server-tls';

/** Options for {@link startHttpServer}. */
export interface StartHttpServerOptions {
  /** Interface to bind; defaults to `127.0.0.1` so emulators are never exposed by accident. */
  host?: string;
  /** Port to bind; defaults to 0 (an ephemeral port chosen by the OS). */
  port?: number;
  /** Handles every request. A thrown error becomes a 500 (or a cut connection once headers went out). */
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
  /** Serve HTTPS (and optionally require client certificates) instead of plain HTTP. */
  tls?: EmulatorTlsOptions;
}

/** A listening server and the way to stop it. */
export interface RunningHttpServer {
  /** `http://HOST:PORT` (`https://` with TLS), without a trailing slash. */
  url: string;
  port: number;
  server: Server;
  /** Stops listening and destroys every open socket, so a test never waits on a stuck client. */
  close(): Promise<void>;
}

/** Starts an HTTP/1.1 server (HTTPS with `tls`) for an emulator. */
export async function startHttpServer(options: StartHttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    void runHandler(options.handler, req, res);
  };
  const server: Server =
    options.tls === undefined
      ? createServer(onRequest)
      : createHttpsServer(httpsServerOptions(options.tls), onRequest);
  // Emulators answer fast; a long keep-alive only delays shutdown of clients.
  server.keepAliveTimeout = 5_000;
  // For TLS, 'connection' reports the raw TCP socket, which is what must be destroyed.
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('the emulator server did not bind a TCP port');
  }
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://${urlHost}:${address.port}`,
    port: address.port,
    server,
    close() {
      closing ??= new Promise<void>(resolve => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      });
      return closing;
    },
  };
}

async function runHandler(
  handler: StartHttpServerOptions['handler'],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    await handler(req, res);
  } catch (error) {
    if (error instanceof HttpBodyError) {
      if (!res.headersSent) sendJson(res, error.status, { detail: error.message });
      return;
    }
    if (!res.headersSent) {
      sendJson(res, 500, { detail: `emulator failure: ${(error as Error).message}` });
    } else {
      res.destroy();
    }
  }
}

/** A request body that could not be read (too large, or the client went away). */
export class HttpBodyError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'HttpBodyError';
    this.status = status;
  }
}

/** Options for {@link readBody}. */
export interface ReadBodyOptions {
  /** Largest body accepted; a larger one is refused with HttpBodyError(413). */
  limitBytes: number;
}

/** Reads the whole request body into one Buffer. */
export function readBody(req: IncomingMessage, options: ReadBodyOptions): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > options.limitBytes) {
        failed = true;
        reject(new HttpBodyError(413, `request body is larger than ${options.limitBytes} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', error => {
      if (!failed)
        reject(new HttpBodyError(400, `request body could not be read: ${error.message}`));
      failed = true;
    });
    req.on('aborted', () => {
      if (!failed) reject(new HttpBodyError(400, 'the client went away while sending the body'));
      failed = true;
    });
  });
}

/** Sends `value` as a JSON body with an exact content-length. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(body.length),
    ...headers,
  });
  res.end(body);
}

/** Sends a response with an empty body (`content-length: 0`), as health endpoints do. */
export function sendEmpty(
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-length': '0', ...headers });
  res.end();
}
