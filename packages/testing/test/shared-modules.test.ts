/** The shared emulator machinery, exercised over real loopback HTTP where it touches the network. */
import { describe, expect, it } from 'vitest';
import {
  countTokens,
  createTokenPacer,
  diffWireShape,
  FaultHeaderError,
  FaultQueue,
  generateTokens,
  parseFaultHeader,
  RequestLog,
  readBody,
  SseStream,
  sendJson,
  splitTokens,
  startHttpServer,
} from '../src/index';

describe('parseFaultHeader', () => {
  it('reads every documented key', () => {
    expect(parseFaultHeader('status=503;retry-after=2;times=3')).toEqual({
      status: 503,
      retryAfter: 2,
      times: 3,
    });
    expect(parseFaultHeader('drop-after=3')).toEqual({ dropAfter: 3 });
    expect(parseFaultHeader('stream-error-after=2; delay-ms=200')).toEqual({
      streamErrorAfter: 2,
      delayMs: 200,
    });
    expect(parseFaultHeader('stall-headers-ms=5000;malformed-json')).toEqual({
      stallHeadersMs: 5000,
      malformedJson: true,
    });
  });

  it('refuses unknown keys and bad values with a message naming them', () => {
    expect(() => parseFaultHeader('boom=1')).toThrow(FaultHeaderError);
    expect(() => parseFaultHeader('boom=1')).toThrow(/unknown key "boom"/);
    expect(() => parseFaultHeader('status=abc')).toThrow(/status must be a non-negative integer/);
    expect(() => parseFaultHeader('status=42')).toThrow(/between 100 and 599/);
  });
});

describe('FaultQueue', () => {
  it('applies injected faults `times` times, by path, in order', () => {
    const queue = new FaultQueue();
    queue.inject({ status: 500, times: 2, path: '/a' });
    queue.inject({ status: 503 });
    expect(queue.take('/b')?.status).toBe(503);
    expect(queue.take('/a')?.status).toBe(500);
    expect(queue.take('/a')?.status).toBe(500);
    expect(queue.take('/a')).toBeUndefined();
  });

  it('a header fault wins and does not use up the queue', () => {
    const queue = new FaultQueue();
    queue.inject({ status: 500 });
    expect(queue.take('/x', 'status=429')?.status).toBe(429);
    expect(queue.take('/x')?.status).toBe(500);
    queue.inject({ status: 500 });
    queue.clear();
    expect(queue.take('/x')).toBeUndefined();
  });
});

describe('text generator', () => {
  it('is deterministic, and countTokens agrees with it', () => {
    const a = generateTokens({ seedText: 'seed', count: 12 });
    expect(generateTokens({ seedText: 'seed', count: 12 })).toEqual(a);
    expect(generateTokens({ seedText: 'other', count: 12 })).not.toEqual(a);
    expect(a[0]!.startsWith(' ')).toBe(false);
    expect(a.slice(1).every(t => t.startsWith(' '))).toBe(true);
    expect(countTokens(a.join(''))).toBe(12);
    expect(splitTokens(' a  b\nc ')).toEqual([' a', '  b', '\nc ']);
  });
});

describe('timing', () => {
  it('adds nothing when not configured and the configured latency otherwise', () => {
    expect(createTokenPacer().totalMs(100)).toBe(0);
    expect(createTokenPacer({ ttftMs: 50, tokensPerSecond: 10 }).totalMs(3)).toBe(250);
  });
});

describe('diffWireShape', () => {
  it('reports value, key and type differences; loose paths compare types only', () => {
    expect(diffWireShape({ a: 1, b: 'x' }, { a: 1, b: 'y' })).toEqual(['b: expected "y", got "x"']);
    expect(diffWireShape({ a: 1, b: 'x' }, { a: 1, b: 'y' }, { loose: ['b'] })).toEqual([]);
    expect(diffWireShape({ a: 1, c: 2 }, { a: 1 })).toEqual(['c: unexpected key']);
    expect(diffWireShape({ a: null }, { a: 'x' }, { loose: ['a'] })).toHaveLength(1);
  });
});

describe('server, request log and SSE stream', () => {
  it('serves, logs, streams with a fault, and closes with a client still connected', async () => {
    const log = new RequestLog();
    const server = await startHttpServer({
      handler: async (req, res) => {
        const entry = log.begin(req, res);
        const raw = await readBody(req, { limitBytes: 16 });
        log.update(entry, { body: raw.toString() });
        if (req.url === '/json') return sendJson(res, 201, { ok: true });
        const stream = new SseStream({
          res,
          fault: { streamErrorAfter: 1 },
          inBandError: () => 'data: {"error":"x"}\n\n',
        });
        stream.open();
        await stream.send('data: 1\n\n');
        await stream.send('data: 2\n\n');
        stream.end();
      },
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const json = await fetch(`${server.url}/json`, { method: 'POST', body: 'hi' });
    expect(json.status).toBe(201);
    expect(await json.json()).toEqual({ ok: true });
    const entry = await log.waitFor(e => e.path === '/json' && e.status === 201);
    expect(entry.body).toBe('hi');
    const stream = await fetch(`${server.url}/stream`, { method: 'POST', body: '' });
    expect(await stream.text()).toBe('data: 1\n\ndata: {"error":"x"}\n\n');
    const big = await fetch(`${server.url}/json`, { method: 'POST', body: 'x'.repeat(100) });
    expect(big.status).toBe(413);
    await expect(log.waitFor(e => e.path === '/never', { timeoutMs: 20 })).rejects.toThrow(
      /within 20 ms/,
    );
    const hanging = fetch(`${server.url}/json`, {
      method: 'POST',
      body: new ReadableStream({ start() {} }),
      duplex: 'half',
    } as RequestInit);
    await log.waitFor(e => e.path === '/json' && e.body === undefined);
    await server.close();
    await expect(hanging).rejects.toThrow();
  });
});
