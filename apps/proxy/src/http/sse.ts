import type { ServerResponse } from 'node:http';
import type { HeaderList } from './response-headers';

/**
 * Headers of a stream: SSE, never cached, never buffered by nginx or an
 * ingress (`x-accel-buffering: no`, the fix LiteLLM added after streams
 * arrived in one burst behind proxies), never compressed. `headers` is
 * appended to and written as it is.
 */
export function writeSseHead(res: ServerResponse, headers: HeaderList): void {
  headers.push(
    'content-type',
    'text/event-stream',
    'cache-control',
    'no-cache',
    'x-accel-buffering',
    'no',
    'connection',
    'keep-alive',
  );
  res.writeHead(200, headers);
  flattenHead(res);
}

/** Where {@link flattenHead} puts its result, so the conversion is not optimised away. */
let _flattened = 0;

/**
 * Node keeps the head it wrote (`_header`) for the response's whole life,
 * as it built it: a string joined piece by piece, ~65 string objects
 * (~2 KB) per held stream. Converting it to a number makes V8 flatten it
 * in place into one string of ~0.7 KB; the pieces become garbage.
 */
function flattenHead(res: ServerResponse): void {
  const head = (res as { _header?: unknown })._header;
  if (typeof head === 'string') _flattened = Number(head);
}

/**
 * Writes one event (or a run of frames: text, or the upstream's own bytes)
 * now. When the socket's buffer is full it waits for
 * `drain` (or for the client to go away), so a slow reader slows the
 * upstream read instead of growing memory. Returns whether the client is
 * still there: a plain boolean when the write went through at once (the
 * usual case, no promise per event), a promise of it when it had to wait.
 */
export function writeEvent(
  res: ServerResponse,
  event: string | Uint8Array,
): boolean | Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(event)) return true;
  return drained(res);
}

async function drained(res: ServerResponse): Promise<boolean> {
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
