import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A node:http server on 127.0.0.1 with an ephemeral port, for tests of the HTTP seam. */
export interface LoopbackServer {
  url: string;
  /** How many TCP connections the server has accepted. */
  connections: number;
  /** Resolves with the request once the server sees it closed by the client. */
  closed: Promise<void>;
  close(): Promise<void>;
}

export async function startLoopbackServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  let markClosed: () => void = () => {};
  const closed = new Promise<void>(resolve => {
    markClosed = resolve;
  });
  const server = createServer((req, res) => {
    res.on('close', () => {
      if (!res.writableFinished) markClosed();
    });
    handler(req, res);
  });
  const state = { connections: 0 };
  server.on('connection', socket => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    get connections() {
      return state.connections;
    },
    closed,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
