import type { ServerResponse } from 'node:http';
import type { OutgoingHeaders } from './send';

/**
 * Headers of a stream: SSE, never cached, never buffered by nginx or an
 * ingress (`x-accel-buffering: no`, the fix LiteLLM added after streams
 * arrived in one burst behind proxies), never compressed.
 */
export function writeSseHead(res: ServerResponse, headers: OutgoingHeaders): void {
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
}

/**
 * Writes one event now. When the socket's buffer is full it waits for
 * `drain` (or for the client to go away), so a slow reader slows the
 * upstream read instead of growing memory. Returns false once the client is gone.
 */
export async function writeEvent(res: ServerResponse, event: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(event)) return true;
  await new Promise<void>(resolve => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
  return !res.destroyed;
}
