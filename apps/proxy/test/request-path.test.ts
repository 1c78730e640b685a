import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { type RoutingInfo, routingHeaders } from '@switchyard/router';
import { describe, expect, it } from 'vitest';
import { parseJsonBody, readBody } from '../src/http/read-body';
import { proxyHeaders } from '../src/http/response-headers';
import { clientGoneSignal } from '../src/routes/routed-call';
import { newCallId } from '../src/server/call-id';

const routing = (over: Partial<RoutingInfo> = {}): RoutingInfo => ({
  requestedModel: 'chat',
  modelGroup: 'chat',
  deploymentId: 'dep-1',
  apiBase: 'http://upstream/v1',
  attemptedRetries: 1,
  maxRetries: 2,
  attemptedFallbacks: 0,
  attempts: [
    { modelGroup: 'chat', deploymentId: 'dep-1', apiBase: undefined, startedAt: 0, durationMs: 4 },
  ],
  timings: { startedAt: 0, totalMs: 10, upstreamMs: 4 },
  ...over,
});

/** `[name, value, …]` as `[[name, value], …]`. */
const pairs = (list: string[]) =>
  Array.from({ length: list.length / 2 }, (_, i) => [list[2 * i], list[2 * i + 1]]);

describe('proxyHeaders', () => {
  it("starts with the router's own routingHeaders, same names, values and order", () => {
    for (const info of [
      routing(),
      routing({ deploymentId: undefined, apiBase: undefined, attempts: [] }),
      routing({ apiBase: undefined }),
    ]) {
      const own = Object.entries(routingHeaders(info));
      expect(
        pairs(
          proxyHeaders({
            callId: 'id-1',
            routing: info,
            upstream: undefined,
            totalMs: 10,
            hideApiBase: false,
          }),
        ).slice(0, own.length),
      ).toEqual(own);
    }
  });

  it('then the call id, the durations and the upstream rate-limit headers', () => {
    const headers = proxyHeaders({
      callId: 'id-1',
      routing: routing(),
      upstream: { 'x-ratelimit-remaining-requests': '41', 'x-internal': 'no' },
      totalMs: 10,
      hideApiBase: false,
    });
    expect(pairs(headers).slice(6)).toEqual([
      ['x-litellm-call-id', 'id-1'],
      ['x-litellm-response-duration-ms', '10.000'],
      ['x-litellm-overhead-duration-ms', '6.000'],
      ['x-ratelimit-remaining-requests', '41'],
    ]);
  });

  it("leaves out the upstream's address for a virtual key", () => {
    const shown = proxyHeaders({
      callId: 'id-3',
      routing: routing(),
      upstream: undefined,
      totalMs: 10,
      hideApiBase: false,
    });
    const hidden = proxyHeaders({
      callId: 'id-3',
      routing: routing(),
      upstream: undefined,
      totalMs: 10,
      hideApiBase: true,
    });
    expect(shown).toContain('x-litellm-model-api-base');
    expect(hidden).not.toContain('x-litellm-model-api-base');
    expect(hidden).toHaveLength(shown.length - 2);
  });

  it('without routing: the call id and the duration only', () => {
    expect(
      proxyHeaders({
        callId: 'id-2',
        routing: undefined,
        upstream: undefined,
        totalMs: 1.5,
        hideApiBase: false,
      }),
    ).toEqual(['x-litellm-call-id', 'id-2', 'x-litellm-response-duration-ms', '1.500']);
  });
});

describe('newCallId', () => {
  it('is a random version-4 UUID', () => {
    const ids = new Set<string>();
    // More than one batch of pooled random bytes.
    for (let i = 0; i < 1000; i++) {
      const id = newCallId();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(1000);
  });
});

describe('clientGoneSignal', () => {
  it('is one signal per connection, aborted when the socket closes', () => {
    const socket = new Socket();
    const first = clientGoneSignal(new IncomingMessage(socket));
    expect(clientGoneSignal(new IncomingMessage(socket))).toBe(first);
    expect(first.aborted).toBe(false);
    socket.emit('close', false);
    expect(first.aborted).toBe(true);
    expect((first.reason as Error).message).toBe('client disconnected');
  });

  it("is aborted when the client's end of the connection arrives, before the close", () => {
    const socket = new Socket();
    const signal = clientGoneSignal(new IncomingMessage(socket));
    socket.emit('end');
    expect(signal.aborted).toBe(true);
    const reason = signal.reason;
    // The close that follows changes nothing.
    socket.emit('close', false);
    expect(signal.reason).toBe(reason);
  });

  it('is aborted at once when the client is already gone', () => {
    const socket = new Socket();
    socket.destroy();
    expect(clientGoneSignal(new IncomingMessage(socket)).aborted).toBe(true);
  });
});

describe('readBody', () => {
  const incoming = (chunks: string[], headers: Record<string, string> = {}) => {
    const req = new IncomingMessage(new Socket());
    req.headers = headers;
    for (const chunk of chunks) req.push(Buffer.from(chunk));
    req.push(null);
    return req;
  };

  it('joins a body that arrives in several chunks', async () => {
    const body = await readBody(incoming(['{"model":', '"chat",', '"n":1}']), { limitBytes: 1000 });
    expect(parseJsonBody(body)).toEqual({ model: 'chat', n: 1 });
  });

  it('returns an empty body, which parseJsonBody refuses', async () => {
    const body = await readBody(incoming([]), { limitBytes: 1000 });
    expect(body.length).toBe(0);
    expect(() => parseJsonBody(body)).toThrow('Request body is empty; expected a JSON object.');
  });

  it('refuses a body that grows past the limit with a 413', async () => {
    const error = await readBody(incoming(['x'.repeat(600), 'x'.repeat(600)]), {
      limitBytes: 1000,
    }).catch(e => e);
    expect(error.status).toBe(413);
  });

  it('leaves no listener behind on the request', async () => {
    const req = incoming(['{}']);
    await readBody(req, { limitBytes: 1000 });
    expect(req.listenerCount('data') + req.listenerCount('error')).toBe(0);
  });
});
