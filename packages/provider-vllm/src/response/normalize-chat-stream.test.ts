import { readSseJson, SseFrames } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { normalizeChatStream } from './normalize-chat-stream';

const context = { provider: 'hosted_vllm', model: 'm' };

function chunk(delta: Record<string, unknown>, finish: string | null = null) {
  return {
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

/** A source that records whether it was closed (its `finally` ran). */
function source(events: unknown[]) {
  const state = { closed: false, finished: false };
  async function* run() {
    try {
      for (const event of events) yield event;
      state.finished = true;
    } finally {
      state.closed = true;
    }
  }
  return { iterable: run(), state };
}

async function collect(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

describe('normalizeChatStream', () => {
  it('passes plain chunks on as the same objects once the answer has begun', async () => {
    const events = [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hello' }),
      chunk({ content: ' world' }),
    ];
    const { iterable } = source(events);
    const out = await collect(normalizeChatStream(iterable, context));
    expect(out).toHaveLength(3);
    expect(out[0]).toBe(events[0]);
    expect(out[2]).toBe(events[2]);
  });

  it('passes the first text and the finish chunk on as they came when nothing is held back', async () => {
    // Each went through the tag splitter (or its flush) and came out unchanged: no copy,
    // so a relay sends the bytes that came in instead of serialising them again.
    const events = [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hello' }),
      chunk({ content: ' world' }),
      chunk({}, 'length'),
      chunk({ content: '', reasoning_content: 'already named' }, 'stop'),
    ];
    const { iterable } = source(events);
    const out = await collect(normalizeChatStream(iterable, context));
    expect(out).toHaveLength(events.length);
    for (const [i, value] of out.entries()) expect(value, `chunk ${i}`).toBe(events[i]);
  });

  it('still copies a chunk whose reasoning field is renamed or whose finish releases held text', async () => {
    const renamed = chunk({ reasoning: 'why' });
    const { iterable } = source([renamed]);
    const [out] = (await collect(normalizeChatStream(iterable, context))) as Array<
      ReturnType<typeof chunk>
    >;
    expect(out).not.toBe(renamed);
    expect(out!.choices[0]!.delta).toEqual({ reasoning_content: 'why' });
    expect(renamed.choices[0]!.delta).toEqual({ reasoning: 'why' });

    const held = source([chunk({ content: '<th' }), chunk({ content: 'e' }, 'stop')]);
    const tail = (await collect(normalizeChatStream(held.iterable, context))) as Array<
      ReturnType<typeof chunk>
    >;
    expect(tail.map(c => c.choices[0]!.delta.content ?? '').join('')).toBe('<the');
  });

  it('moves a <think> block split across chunks into reasoning_content', async () => {
    const { iterable } = source([
      chunk({ content: '<thi' }),
      chunk({ content: 'nk>plan</think>Answer' }),
      chunk({ content: '' }, 'stop'),
    ]);
    const out = (await collect(normalizeChatStream(iterable, context))) as Array<
      ReturnType<typeof chunk>
    >;
    const deltas = out.map(c => c.choices[0]!.delta);
    const reasoning = deltas.map(d => d.reasoning_content ?? '').join('');
    const content = deltas.map(d => d.content ?? '').join('');
    expect(reasoning).toBe('plan');
    expect(content).toBe('Answer');
  });

  it('sends text held back as a possible tag once the source ends', async () => {
    const { iterable } = source([chunk({ content: '<th' })]);
    const out = (await collect(normalizeChatStream(iterable, context))) as Array<
      ReturnType<typeof chunk>
    >;
    expect(out.map(c => c.choices[0]!.delta.content ?? '').join('')).toBe('<th');
  });

  it('rejects a chunk without choices and closes the source', async () => {
    const { iterable, state } = source([chunk({ content: 'a' }), { id: 'x' }, chunk({})]);
    const stream = normalizeChatStream(iterable, context);
    await expect(collect(stream)).rejects.toThrow(/no choices array/);
    await Promise.resolve();
    expect(state.closed).toBe(true);
    expect(state.finished).toBe(false);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('closes the source when the consumer stops early', async () => {
    const { iterable, state } = source([chunk({ content: 'a' }), chunk({ content: 'b' })]);
    for await (const _ of normalizeChatStream(iterable, context)) break;
    expect(state.closed).toBe(true);
    expect(state.finished).toBe(false);
  });
});

describe('normalizeChatStream nextFrames', () => {
  const encoder = new TextEncoder();
  async function* wire(...events: unknown[]): AsyncGenerator<Uint8Array> {
    // One read holding every event, as a fast upstream delivers them.
    yield encoder.encode(
      `${events.map(e => `data: ${JSON.stringify(e)}\n\n`).join('')}data: [DONE]\n\n`,
    );
  }
  async function drain(stream: ReturnType<typeof normalizeChatStream>): Promise<unknown[]> {
    const out: unknown[] = [];
    for (let r = await stream.nextFrames(); !r.done; r = await stream.nextFrames())
      out.push(r.value instanceof SseFrames ? r.value.text : r.value);
    return out;
  }

  it('parses until the answer has begun, relays plain chunks after, parses the finish', async () => {
    const events = [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: '<think>plan' }),
      chunk({ content: '</think>An' }),
      chunk({ content: 'swer' }),
      chunk({ content: ' here' }),
      chunk({}, 'stop'),
    ];
    const out = await drain(normalizeChatStream(readSseJson(wire(...events)), context));
    const frames = (n: number) => `data: ${JSON.stringify(events[n])}\n\n`;
    expect(out[0]).toEqual(events[0]);
    expect(out[1]).toMatchObject({ choices: [{ delta: { reasoning_content: 'plan' } }] });
    expect(out[2]).toMatchObject({ choices: [{ delta: { content: 'An' } }] });
    expect(out[3]).toBe(frames(3) + frames(4));
    expect(out[4]).toMatchObject({ choices: [{ finish_reason: 'stop' }] });
    expect(out).toHaveLength(5);
  });

  it("relays plain chunks as the read's bytes and parses a forged one among them", async () => {
    const events = [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'An' }),
      chunk({ content: 'swer' }),
      chunk({ content: ' hére' }),
    ];
    const text = JSON.stringify(chunk({ content: 'x' }));
    const at = text.indexOf('"x"') + 1;
    // The bytes around the string are those of a plain chunk, but its quote closes early.
    const forged = `${text.slice(0, at)}x"},"finish_reason":"stop","z":{"q":"${text.slice(at + 1)}`;
    const after = chunk({ content: '!' });
    const read = encoder.encode(
      `${[...events.map(e => JSON.stringify(e)), forged, JSON.stringify(after)]
        .map(json => `data: ${json}\n\n`)
        .join('')}data: [DONE]\n\n`,
    );
    const stream = normalizeChatStream(
      readSseJson(
        (async function* () {
          yield read;
        })(),
      ),
      context,
    );
    const out: unknown[] = [];
    for (let r = await stream.nextFrames(); !r.done; r = await stream.nextFrames())
      out.push(r.value);
    expect(out[0]).toEqual(events[0]);
    expect(out[1]).toEqual(events[1]);
    const run = out[2] as SseFrames;
    expect(run.bytes?.buffer).toBe(read.buffer);
    expect(run.text).toBe(
      `data: ${JSON.stringify(events[2])}\n\ndata: ${JSON.stringify(events[3])}\n\n`,
    );
    // Parsed: whatever it says is seen (its finish_reason key twice, the last one null).
    expect(out[3]).toEqual(JSON.parse(forged));
    expect((out[4] as SseFrames).text).toBe(`data: ${JSON.stringify(after)}\n\n`);
    expect(out).toHaveLength(5);
  });

  it('relays nothing unparsed while the content might still open a <think> block', async () => {
    const events = [chunk({ content: ' ' }), chunk({ content: '<th' }), chunk({ content: 'x' })];
    const out = await drain(normalizeChatStream(readSseJson(wire(...events)), context));
    expect(out.some(item => typeof item === 'string')).toBe(false);
  });

  it('relays nothing unparsed for a second choice', async () => {
    const two = (index: number, content: string) => ({
      ...chunk({ content }),
      choices: [{ index, delta: { content }, finish_reason: null }],
    });
    const events = [two(0, 'A'), two(1, 'B'), two(0, 'C'), two(1, 'D')];
    const out = await drain(normalizeChatStream(readSseJson(wire(...events)), context));
    expect(out).toEqual(events);
  });
});
