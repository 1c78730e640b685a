import {
  type ChatCompletionChunk,
  everyJsonValueIs,
  readSseJson,
  SseFrames,
} from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import {
  chatChunksToAnthropicEvents,
  chatChunksToResponseEvents,
  namedEventText,
  type ResponsesRequest,
} from '../src/index';

/** A chat chunk's JSON text, the content written as the given literal (as an upstream may escape it). */
const text = (literal: string) =>
  `{"id":"chatcmpl-abc","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{"content":${literal}},"logprobs":null,"finish_reason":null}]}`;

/** An upstream answer: reasoning, text with every kind of escape, a tool call, more text, the finish and usage. */
const CHUNKS = [
  '{"id":"chatcmpl-abc","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}',
  '{"id":"chatcmpl-abc","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{"reasoning_content":"think \\"first\\""},"logprobs":null,"finish_reason":null}]}',
  text('"Hello"'),
  text('" \\"quoted\\" and \\\\ back"'),
  text('"line\\nbreak\\ttab"'),
  text('"caf\u00e9 \u{1f600}"'),
  text('"caf\\u00e9 \\ud83d\\ude00 \\/"'),
  text('"lone \\ud800"'),
  text('"ctl \\u0001"'),
  text('null'),
  '{"id":"chatcmpl-abc","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}}]},"logprobs":null,"finish_reason":null}]}',
  text('"after the call"'),
  text('" and more"'),
  '{"id":"chatcmpl-abc","object":"chat.completion.chunk","created":5,"model":"m","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}',
  '{"id":"chatcmpl-abc","object":"chat.completion.chunk","created":5,"model":"m","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":9,"total_tokens":12}}',
];

/** CHUNKS as an upstream reporting usage in every chunk (vLLM's continuous usage stats). */
const COUNTED = CHUNKS.map((chunk, i) =>
  chunk.includes('"usage"')
    ? chunk
    : `${chunk.slice(0, -1)},"usage":{"prompt_tokens":3,"completion_tokens":${i},"total_tokens":${3 + i}}}`,
);

/** The SSE body, cut into small reads so runs of frames end and start anywhere. */
async function* body(piece: number, chunks = CHUNKS) {
  const bytes = new TextEncoder().encode(
    `${chunks.map(c => `data: ${c}\n\n`).join('')}data: [DONE]\n\n`,
  );
  for (let at = 0; at < bytes.length; at += piece) yield bytes.slice(at, at + piece);
}

/**
 * The chunk stream as a provider hands it out: parsed chunks from next(),
 * runs of chunks with no finish or usage unparsed from nextFrames() (the
 * translators must decline the ones that are not plain text deltas).
 */
function upstream(piece: number, chunks = CHUNKS): AsyncIterable<ChatCompletionChunk> {
  const reader = readSseJson<ChatCompletionChunk>(body(piece, chunks));
  const unparsed = (data: string) =>
    everyJsonValueIs(data, 'finish_reason', 'null') && everyJsonValueIs(data, 'usage', 'null');
  const iterator = {
    next: () => reader.next(),
    nextFrames: () => reader.nextFrames(unparsed),
    return: () => reader.return!(),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

type Events = AsyncIterableIterator<{ type: string }> & {
  nextFrames(): Promise<IteratorResult<{ type: string } | SseFrames>>;
};

/** The wire text of a stream read event by event (each serialised whole) or through nextFrames(). */
async function wire(
  events: Events,
  framed: boolean,
): Promise<{ text: string; frames: number; objects: string[]; usage: unknown[] }> {
  let text = '';
  let frames = 0;
  const objects: string[] = [];
  const usage: unknown[] = [];
  for (;;) {
    const result = framed ? await events.nextFrames() : await events.next();
    if (result.done) break;
    const value = result.value;
    if (value instanceof SseFrames) {
      frames += value.count;
      text += value.text;
      if (value.usage) usage.push(value.usage);
    } else {
      objects.push(value.type);
      text += namedEventText(value.type, JSON.stringify(value));
    }
  }
  // Item ids are random per stream; everything else must match byte for byte.
  return { text: text.replace(/(msg|fc|rs)_[0-9a-f]{32}/g, '$1_ID'), frames, objects, usage };
}

const request = { model: 'asked', input: 'hi', stream: true } as ResponsesRequest;

describe('translated streams: nextFrames() writes what the events would', () => {
  for (const piece of [7, 4096]) {
    it(`Responses, byte for byte (reads of ${piece} bytes)`, async () => {
      const slow = await wire(
        chatChunksToResponseEvents(upstream(piece), request) as Events,
        false,
      );
      const fast = await wire(chatChunksToResponseEvents(upstream(piece), request) as Events, true);
      expect(fast.text).toBe(slow.text);
      expect(slow.frames).toBe(0);
      // Only the final event, which the proxy stores, comes as an object.
      expect(fast.objects).toEqual(['response.completed']);
      expect(fast.usage).toEqual([{ prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 }]);
      // The deltas into an open message came as text (the first of each message opens it).
      expect(fast.frames).toBeGreaterThanOrEqual(piece === 4096 ? 7 : 1);
      expect(fast.text).toContain('"delta":"caf\u00e9 \u{1f600} /"');
      expect(fast.text).toContain('"delta":"lone \\ud800"');
      expect(fast.text).toContain('"delta":"ctl \\u0001"');
      const numbers = [...fast.text.matchAll(/"sequence_number":(\d+)/g)].map(m => Number(m[1]));
      expect(numbers).toEqual(numbers.map((_, i) => i));
      expect(fast.text).toContain(
        '"text":"Hello \\"quoted\\" and \\\\ backline\\nbreak\\ttabcaf\u00e9 \u{1f600}caf\u00e9 \u{1f600} /lone \\ud800ctl \\u0001"',
      );
    });

    it(`Anthropic, byte for byte (reads of ${piece} bytes)`, async () => {
      const slow = await wire(chatChunksToAnthropicEvents(upstream(piece)) as Events, false);
      const fast = await wire(chatChunksToAnthropicEvents(upstream(piece)) as Events, true);
      expect(fast.text).toBe(slow.text);
      expect(fast.frames).toBeGreaterThanOrEqual(piece === 4096 ? 7 : 1);
      expect(fast.text).toContain('"text_delta","text":" \\"quoted\\" and \\\\ back"');
      expect(fast.text).toContain('"thinking_delta","thinking":"think \\"first\\""');
      // Every event comes as text, message_start and message_delta included: their usage
      // comes beside the text, once, on the run that was written after the usage chunk.
      expect(fast.objects).toEqual([]);
      expect(slow.objects).toContain('content_block_stop');
      expect(fast.usage).toEqual([{ prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 }]);
      expect(slow.usage).toEqual([]);
      expect(fast.text).toContain(
        '"usage":{"input_tokens":3,"output_tokens":9}}\n\nevent: message_stop\n',
      );
    });
  }

  it('Anthropic with usage in every chunk: the prompt count in message_start, the last count billed', async () => {
    const slow = await wire(chatChunksToAnthropicEvents(upstream(4096, COUNTED)) as Events, false);
    const fast = await wire(chatChunksToAnthropicEvents(upstream(4096, COUNTED)) as Events, true);
    expect(fast.text).toBe(slow.text);
    expect(fast.text).toContain('"usage":{"input_tokens":3,"output_tokens":0}}}');
    expect(fast.usage.at(-1)).toEqual({ prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 });
  });

  it('gives a consumer that switches from nextFrames() to next() every event once, in order', async () => {
    const expected: unknown[] = [];
    for await (const event of chatChunksToResponseEvents(upstream(4096), request))
      expected.push(event);
    const events = chatChunksToResponseEvents(upstream(4096), request) as unknown as Events;
    // The first run opens with created and in_progress: written as text for a reader of
    // frames (nobody reads them as objects), then the reader switches to events.
    const first = (await events.nextFrames()).value;
    expect(first).toBeInstanceOf(SseFrames);
    const got: unknown[] = (first as SseFrames).text
      .split('\n')
      .filter(line => line.startsWith('data: '))
      .map(line => JSON.parse(line.slice(6)));
    expect(got.slice(0, 2).map(e => (e as { type: string }).type)).toEqual([
      'response.created',
      'response.in_progress',
    ]);
    for await (const event of events) got.push(event);
    const ids = (value: unknown) =>
      JSON.parse(JSON.stringify(value).replace(/(msg|fc|rs)_[0-9a-f]{32}/g, '$1_ID'));
    expect(ids(got)).toEqual(ids(expected));
  });

  it('reports a malformed chunk it declined (and so parsed) as a bad gateway', async () => {
    async function* bad() {
      yield new TextEncoder().encode(
        `data: ${CHUNKS[0]}\n\ndata: ${text('"x"')}\n\ndata: {"choices":[{"index":0,"finish_reason":"stop"\n\n`,
      );
    }
    const reader = readSseJson<ChatCompletionChunk>(bad());
    const source = {
      next: () => reader.next(),
      nextFrames: () => reader.nextFrames(() => true),
      [Symbol.asyncIterator]: () => source,
    };
    const events = chatChunksToResponseEvents(source, request) as unknown as Events;
    await expect(
      (async () => {
        for (;;) if ((await events.nextFrames()).done) return;
      })(),
    ).rejects.toMatchObject({ name: 'BadGatewayError' });
  });
});
