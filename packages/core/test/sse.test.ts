import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  BadGatewayError,
  BadRequestError,
  InternalServerError,
  readSseEvents,
  readSseJson,
  SSE_DONE,
  SseFrames,
  sseEvent,
  sseJson,
  sseJsonAsReceived,
} from '../src/index';

const encoder = new TextEncoder();

async function* bytes(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? encoder.encode(part) : part;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('readSseJson', () => {
  const events = [
    { id: 'a', choices: [{ delta: { content: 'héllo wörld 🚀' } }] },
    { id: 'b', choices: [{ delta: { content: 'line\nbreak' } }] },
  ];
  const wire = Buffer.from(events.map(sseJson).join('') + SSE_DONE, 'utf8');

  it('reassembles events split at every byte boundary, multi-byte characters included', async () => {
    for (let cut = 1; cut < wire.length; cut++) {
      const parsed = await collect(readSseJson(bytes(wire.subarray(0, cut), wire.subarray(cut))));
      expect(parsed, `cut at byte ${cut}`).toEqual(events);
    }
  });

  it('decodes a character split after whole chunks, and whole chunks after it', async () => {
    // Whole chunks are decoded alone; the split one needs the stream's own decoder from then on.
    const first = sseJson(events[0]);
    const rest = Buffer.from(sseJson(events[1]) + SSE_DONE, 'utf8');
    const rocket = Buffer.from('data: {"e":"🚀"}\n\n', 'utf8');
    const cut = rocket.indexOf(0xf0) + 2;
    const parsed = await collect(
      readSseJson(bytes(first, rocket.subarray(0, cut), rocket.subarray(cut), rest)),
    );
    expect(parsed).toEqual([events[0], { e: '🚀' }, events[1]]);
  });

  it('drops a byte order mark at the start of the stream only', async () => {
    const bom = '\uFEFF';
    expect(await collect(readSseJson(bytes(`${bom}data: {"n":1}\n\n`)))).toEqual([{ n: 1 }]);
    // A U+FEFF that starts a later chunk is text (here inside a JSON string cut just before it).
    const later = await collect(readSseJson(bytes('data: {"s":"a', `${bom}b"}\n\n`)));
    expect(later).toEqual([{ s: `a${bom}b` }]);
    // The mark itself split across the first two chunks.
    const mark = encoder.encode(`${bom}data: {"n":2}\n\n`);
    expect(await collect(readSseJson(bytes(mark.subarray(0, 2), mark.subarray(2))))).toEqual([
      { n: 2 },
    ]);
  });

  it('reassembles a stream delivered one byte at a time', async () => {
    const single = [...wire].map(b => Uint8Array.of(b));
    expect(await collect(readSseJson(bytes(...single)))).toEqual(events);
  });

  it('accepts CRLF framing and a missing final blank line', async () => {
    const parsed = await collect(readSseJson(bytes('data: {"n":1}\r\n\r\ndata: {"n":2}')));
    expect(parsed).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('tolerates a missing [DONE] unless it is required', async () => {
    expect(await collect(readSseJson(bytes('data: {"n":1}\n\n')))).toEqual([{ n: 1 }]);
    const error = await rejection(
      collect(readSseJson(bytes('data: {"n":1}\n\n'), { requireDone: true, provider: 'p' })),
    );
    expect(APIConnectionError.isInstance(error)).toBe(true);
    expect((error as APIConnectionError).provider).toBe('p');
  });

  it('stops at [DONE] even if bytes follow', async () => {
    const parsed = await collect(
      readSseJson(bytes('data: {"n":1}\n\ndata: [DONE]\n\ndata: {"n":2}\n\n')),
    );
    expect(parsed).toEqual([{ n: 1 }]);
  });

  it('raises in-band error events: Triton string and vLLM object shapes', async () => {
    const triton = await rejection(
      collect(readSseJson(bytes('data: {"text_output":"a"}\n\ndata: {"error":"engine died"}\n\n'))),
    );
    expect(InternalServerError.isInstance(triton)).toBe(true);
    expect((triton as Error).message).toBe('engine died');
    const vllm = await rejection(
      collect(
        readSseJson(
          bytes('data: {"error":{"message":"bad stop","type":"BadRequestError","code":400}}\n\n'),
        ),
      ),
    );
    expect(BadRequestError.isInstance(vllm)).toBe(true);
    expect((vllm as Error).message).toBe('bad stop');
  });

  it('yields the events before an in-band error', async () => {
    const seen: unknown[] = [];
    const error = await rejection(
      (async () => {
        for await (const event of readSseJson(bytes('data: {"n":1}\n\ndata: {"error":"x"}\n\n'))) {
          seen.push(event);
        }
      })(),
    );
    expect(seen).toEqual([{ n: 1 }]);
    expect(InternalServerError.isInstance(error)).toBe(true);
  });

  it('raises BadGatewayError for an event that is not JSON', async () => {
    const error = await rejection(collect(readSseJson(bytes('data: {"n":\n\n'))));
    expect(BadGatewayError.isInstance(error)).toBe(true);
  });
});

describe('SSE writer', () => {
  it('splits data with line breaks into data lines that read back intact', async () => {
    const text = 'one\ntwo\r\nthree\rfour';
    const frame = sseEvent({ event: 'message', id: '7', data: text });
    expect(frame).toBe('event: message\nid: 7\ndata: one\ndata: two\ndata: three\ndata: four\n\n');
    const [event] = await collect(readSseEvents(bytes(frame)));
    expect(event).toEqual({ event: 'message', id: '7', data: 'one\ntwo\nthree\nfour' });
  });

  it('refuses CR or LF in event and id, which would forge events', () => {
    expect(() => sseEvent({ event: 'x\ndata: forged', data: '' })).toThrow(/must not contain/);
    expect(() => sseEvent({ id: '1\r2', data: '' })).toThrow(/must not contain/);
  });

  it('writes JSON events on one line whatever the strings hold', () => {
    expect(sseJson({ text: 'a\nb\r\n' })).toBe('data: {"text":"a\\nb\\r\\n"}\n\n');
  });
});

describe('readSseJson over a real keep-alive connection', () => {
  it('keeps the connection for the next call after [DONE], and frees it when the consumer stops early', async () => {
    const { HttpClient } = await import('../src/index');
    const { startLoopbackServer } = await import('./loopback-server');
    const server = await startLoopbackServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n');
      if (req.url === '/open') return; // never ends: only an early stop frees it
      res.end('data: [DONE]\n\n');
    });
    const client = new HttpClient();
    try {
      for (let i = 0; i < 10; i++) {
        const res = await client.stream({ url: `${server.url}/done`, json: {} });
        expect(await collect(readSseJson(res.body, { requireDone: true }))).toEqual([{ n: 1 }]);
      }
      expect(server.connections).toBeLessThanOrEqual(2);
      const open = await client.stream({ url: `${server.url}/open`, json: {} });
      for await (const _event of readSseJson(open.body)) break;
      await server.closed;
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe('sseJsonAsReceived', () => {
  // Spacing a serialiser would not produce, so forwarded text is told apart from re-serialised text.
  const sent = '{"id": "a",  "choices": [{"delta": {"content": "hi"}}]}';

  it('forwards the text an event was parsed from when it was kept', async () => {
    const [chunk] = await collect(
      readSseJson(bytes(`data: ${sent}\n\n`, SSE_DONE), { keepSourceText: true }),
    );
    expect(sseJsonAsReceived(chunk)).toBe(`data: ${sent}\n\n`);
  });

  it('serialises values whose text was not kept, and copies of kept ones', async () => {
    const [plain] = await collect(readSseJson(bytes(`data: ${sent}\n\n`, SSE_DONE)));
    expect(sseJsonAsReceived(plain)).toBe(sseJson(plain));
    const [kept] = await collect(
      readSseJson(bytes(`data: ${sent}\n\n`, SSE_DONE), { keepSourceText: true }),
    );
    const copy = { ...(kept as object), id: 'changed' };
    expect(sseJsonAsReceived(copy)).toBe(sseJson(copy));
    expect(sseJsonAsReceived(copy)).toContain('"changed"');
  });

  it('never forwards text that spans lines (it would break the framing)', async () => {
    const [chunk] = await collect(
      readSseJson(bytes('data: {"id":\ndata: "multi"}\n\n', SSE_DONE), { keepSourceText: true }),
    );
    expect(chunk).toEqual({ id: 'multi' });
    expect(sseJsonAsReceived(chunk)).toBe('data: {"id":"multi"}\n\n');
  });
});

describe('readSseJson nextFrames', () => {
  const plain = (data: string) => data.includes('"t"');
  /** Every item nextFrames hands out, frames as their text, parsed values as they are. */
  async function drainFrames(iterator: ReturnType<typeof readSseJson>): Promise<unknown[]> {
    const out: unknown[] = [];
    for (let r = await iterator.nextFrames(plain); !r.done; r = await iterator.nextFrames(plain))
      out.push(
        r.value instanceof SseFrames ? { frames: r.value.text, count: r.value.count } : r.value,
      );
    return out;
  }

  it('relays runs of accepted events unparsed, one run per read, and parses the rest', async () => {
    const out = await drainFrames(
      readSseJson(
        bytes(
          'data: {"t":"a"}\n\ndata:{"t": "b"}\n\ndata: {"u":1}\n\ndata: {"t":"c"}\n\n',
          'data: {"t":"d"}\n\n',
          SSE_DONE,
        ),
        { requireDone: true },
      ),
    );
    expect(out).toEqual([
      // The text of each event as it came (spacing kept), framed again.
      { frames: 'data: {"t":"a"}\n\ndata: {"t": "b"}\n\n', count: 2 },
      { u: 1 },
      { frames: 'data: {"t":"c"}\n\n', count: 1 },
      { frames: 'data: {"t":"d"}\n\n', count: 1 },
    ]);
  });

  it('reassembles an accepted event split across reads before relaying it', async () => {
    const wire = encoder.encode('data: {"t":"größer"}\n\n');
    const cut = wire.indexOf(0xc3) + 1; // inside the two bytes of "ö"
    const out = await drainFrames(readSseJson(bytes(wire.subarray(0, cut), wire.subarray(cut))));
    expect(out).toEqual([{ frames: 'data: {"t":"größer"}\n\n', count: 1 }]);
  });

  it('still raises in-band errors and requires [DONE]', async () => {
    const failing = readSseJson(bytes('data: {"t":"a"}\n\ndata: {"error":"x"}\n\n'));
    expect(await failing.nextFrames(plain)).toMatchObject({ value: { count: 1 } });
    expect(await rejection(failing.nextFrames(plain))).toBeInstanceOf(InternalServerError);
    const cut = readSseJson(bytes('data: {"t":"a"}\n\n'), { requireDone: true });
    await cut.nextFrames(plain);
    expect(await rejection(cut.nextFrames(plain))).toBeInstanceOf(APIConnectionError);
  });

  it('never relays a multi-line payload unparsed (one data: line could not hold it)', async () => {
    const out = await drainFrames(readSseJson(bytes('data: {"t":\ndata: "a"}\n\n')));
    expect(out).toEqual([{ t: 'a' }]);
  });
});

describe('readSseJson nextFrames from bytes', () => {
  const plain = (data: string) => data.includes('"t"');
  const plainBytes = (latin1: string, start: number, end: number) =>
    latin1.slice(start, end).includes('"t"');
  /** Every item, frames as their text and whether they are the upstream's bytes. */
  async function drainBytes(iterator: ReturnType<typeof readSseJson>): Promise<unknown[]> {
    const out: unknown[] = [];
    const next = () => iterator.nextFrames(plain, plainBytes);
    for (let r = await next(); !r.done; r = await next()) {
      const value = r.value;
      out.push(
        value instanceof SseFrames
          ? { frames: value.text, count: value.count, bytes: value.bytes !== undefined }
          : value,
      );
    }
    return out;
  }

  it("relays accepted events as the read's own bytes, around the parsed ones", async () => {
    const read = encoder.encode(
      'data: {"u":0}\n\ndata: {"t":"a"}\n\ndata: {"t": "ü"}\n\ndata: {"u":1}\n\ndata: {"t":"c"}\n\n',
    );
    const iterator = readSseJson(bytes(read, 'data: {"t":"d"}\n\n', SSE_DONE));
    const first = await iterator.nextFrames(plain, plainBytes);
    expect(first.value).toEqual({ u: 0 });
    const run = (await iterator.nextFrames(plain, plainBytes)).value as SseFrames;
    // The very bytes of the read, not a copy: nothing was decoded or encoded again.
    expect(run.bytes?.buffer).toBe(read.buffer);
    expect(run.text).toBe('data: {"t":"a"}\n\ndata: {"t": "ü"}\n\n');
    expect(await drainBytes(iterator)).toEqual([
      { u: 1 },
      { frames: 'data: {"t":"c"}\n\n', count: 1, bytes: true },
      { frames: 'data: {"t":"d"}\n\n', count: 1, bytes: true },
    ]);
  });

  it('hands events written any other way to the SSE parser, with the same results', async () => {
    const out = await drainBytes(
      readSseJson(
        bytes(
          'data: {"t":"a"}\n\n: comment\n\ndata: {"t":"b"}\n\n',
          'data:{"t":"c"}\n\nid: 7\ndata: {"t":"d"}\n\n',
          'data: {"t":"e"}\r\n\r\ndata: {"t":"f"}\n\n',
          'data: {"t":"g"}\n\ndata: {"t":',
          '"h"}\n\ndata: {"t":"i"}\n\n',
          SSE_DONE,
        ),
        { requireDone: true },
      ),
    );
    expect(out).toEqual([
      { frames: 'data: {"t":"a"}\n\n', count: 1, bytes: true },
      // The rest of each read after an event the bytes path does not take: framed again as text.
      { frames: 'data: {"t":"b"}\n\n', count: 1, bytes: false },
      { frames: 'data: {"t":"c"}\n\ndata: {"t":"d"}\n\n', count: 2, bytes: false },
      { frames: 'data: {"t":"e"}\n\ndata: {"t":"f"}\n\n', count: 2, bytes: false },
      { frames: 'data: {"t":"g"}\n\n', count: 1, bytes: true },
      // An event cut at the end of a read: the parser holds it, and takes the next read too.
      { frames: 'data: {"t":"h"}\n\ndata: {"t":"i"}\n\n', count: 2, bytes: false },
    ]);
  });

  it('stops a run at [DONE], an in-band error and an empty event', async () => {
    expect(
      await drainBytes(
        readSseJson(bytes('data: {"t":"a"}\n\ndata: [DONE]\n\ndata: {"t":"b"}\n\n')),
      ),
    ).toEqual([{ frames: 'data: {"t":"a"}\n\n', count: 1, bytes: true }]);
    const failing = readSseJson(bytes('data: {"t":"a"}\n\ndata: {"error":"x"}\n\n'));
    expect(await failing.nextFrames(plain, plainBytes)).toMatchObject({ value: { count: 1 } });
    expect(await rejection(failing.nextFrames(plain, plainBytes))).toBeInstanceOf(
      InternalServerError,
    );
    expect(
      await drainBytes(readSseJson(bytes('data: {"t":"a"}\n\ndata: \n\ndata: {"t":"b"}\n\n'))),
    ).toEqual([
      { frames: 'data: {"t":"a"}\n\n', count: 1, bytes: true },
      { frames: 'data: {"t":"b"}\n\n', count: 1, bytes: false },
    ]);
  });

  it('never relays bytes that are not UTF-8: the event is decoded as it always was', async () => {
    const broken = Buffer.concat([
      Buffer.from('data: {"t":"'),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('"}\n\n'),
    ]);
    const out = await drainBytes(readSseJson(bytes(broken)));
    expect(out).toEqual([{ t: '\ufffd\ufffd' }]);
  });

  it('takes events from bytes for next() too, and drops a byte order mark only at the start', async () => {
    const values = await collect(
      readSseJson(bytes('\ufeffdata: {"n":1}\n\n', 'data: {"n":2}\n\n', '\ufeffdata: {"n":3}\n\n')),
    );
    // The second mark is inside the stream: its line is a field nobody knows, as before.
    expect(values).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
