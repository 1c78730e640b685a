import type { ServerResponse } from 'node:http';
import type { Fault } from './faults';
import { sleep } from './timing';

/** An AbortSignal that fires when the response's connection closes (client gone or response done). */
export function closeSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

/**
 * Applies the latency parts of a fault before anything is written:
 * `delayMs`, then `stallHeadersMs`. Both stop early if the client leaves.
 */
export async function applyFaultLatency(
  res: ServerResponse,
  fault: Fault | undefined,
): Promise<void> {
  if (!fault || !(fault.delayMs || fault.stallHeadersMs)) return;
  const signal = closeSignal(res);
  await sleep(fault.delayMs ?? 0, signal);
  await sleep(fault.stallHeadersMs ?? 0, signal);
}

/** Options for {@link respondFromFault}. */
export interface RespondFromFaultOptions {
  /** The upstream's own error body for `status` (vLLM envelope, Triton `{"error":…}`, …). */
  errorBody: (status: number) => unknown;
}

/**
 * Answers a request entirely from its fault when the fault says so:
 * `status` (with `retry-after` and `body`) or `malformedJson`. Returns true
 * when it responded, so the caller stops.
 */
export function respondFromFault(
  res: ServerResponse,
  fault: Fault | undefined,
  options: RespondFromFaultOptions,
): boolean {
  if (!fault) return false;
  if (fault.status !== undefined) {
    const body = Buffer.from(JSON.stringify(fault.body ?? options.errorBody(fault.status)));
    res.writeHead(fault.status, {
      'content-type': 'application/json',
      'content-length': String(body.length),
      ...(fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}),
    });
    res.end(body);
    return true;
  }
  if (fault.malformedJson) {
    // Valid-looking start, then cut: a parser must fail, not hang.
    const body = '{"id":"malformed","object":"chat.completion","choices":[{"index":0,"mess';
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    });
    res.end(body);
    return true;
  }
  return false;
}

/**
 * Sends a JSON body, unless the fault has `dropAfter`: a non-stream body is
 * one piece, so any `dropAfter` (0 included) sends the headers and half the
 * body, then destroys the socket; the client sees a body shorter than its
 * content-length.
 */
export function sendJsonWithFault(
  res: ServerResponse,
  status: number,
  value: unknown,
  fault: Fault | undefined,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(body.length),
    ...headers,
  });
  if (fault?.dropAfter !== undefined) {
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
    return;
  }
  res.end(body);
}
