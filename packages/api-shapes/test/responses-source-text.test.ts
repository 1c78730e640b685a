import {
  type ChatCompletionChunk,
  everyJsonValueIs,
  readSseJson,
  SseFrames,
} from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import {
  chatChunksToResponseEvents,
  eventText,
  namedEventText,
  type ResponsesRequest,
  type ResponsesStreamEvent,
} from '../src/index';
import { finalStatus, responseEnvelope } from '../src/responses/envelope';
import { completedJson, envelopeText, freshEnvelopeText } from '../src/responses/envelope-text';

const chunk = (delta: string, finish = 'null') =>
  `{"id":"chatcmpl-q","object":"chat.completion.chunk","created":7,"model":"up/m","choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]}`;

/** Reasoning, text (with escapes), a tool call, more text, cut short by length, usage with details. */
const CHUNKS = [
  chunk('{"role":"assistant","content":""}'),
  chunk('{"reasoning_content":"think \\"hard\\""}'),
  chunk('{"content":"Hi \\u2028 \\"there\\""}'),
  chunk('{"content":" line\\nnext"}'),
  chunk(
    '{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\\"a\\":"}}]}',
  ),
  chunk('{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]}'),
  chunk('{"content":"after"}'),
  chunk('{"content":" more"}'),
  chunk('{}', '"length"'),
  '{"id":"chatcmpl-q","object":"chat.completion.chunk","created":7,"model":"up/m","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":8,"total_tokens":17,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}}}',
];

function upstream(): AsyncIterable<ChatCompletionChunk> {
  async function* body() {
    yield new TextEncoder().encode(`${CHUNKS.map(c => `data: ${c}\n\n`).join('')}data: [DONE]\n\n`);
  }
  const reader = readSseJson<ChatCompletionChunk>(body());
  const plain = (data: string) =>
    everyJsonValueIs(data, 'finish_reason', 'null') && everyJsonValueIs(data, 'usage', 'null');
  const iterator = {
    next: () => reader.next(),
    nextFrames: () => reader.nextFrames(plain),
    return: () => reader.return!(),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** Everything the response object echoes, with characters JSON escapes. */
const request = {
  model: 'asked',
  input: 'hi',
  stream: true,
  instructions: 'Be "brief"\nand\u2028kind \\ ok',
  max_output_tokens: 8,
  previous_response_id: 'resp_prev',
  store: false,
  temperature: 0.5,
  top_p: 0.9,
  user: 'u"1',
  metadata: { k: 'v\n"' },
  reasoning: { effort: 'low' },
  text: { format: { type: 'json_schema', name: 's', schema: { type: 'object' } } },
  tools: [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} } }],
  tool_choice: 'auto',
  parallel_tool_calls: false,
} as unknown as ResponsesRequest;

type Framed = AsyncIterableIterator<ResponsesStreamEvent> & {
  nextFrames(): Promise<IteratorResult<ResponsesStreamEvent | SseFrames>>;
};

/** The events of one stream, read as the proxy reads them (first by next(), then by nextFrames()) or by next() alone. */
async function read(framed: boolean) {
  const events = chatChunksToResponseEvents(upstream(), request) as Framed;
  const objects: ResponsesStreamEvent[] = [];
  let wire = '';
  for (let first = true; ; first = false) {
    const result = framed && !first ? await events.nextFrames() : await events.next();
    if (result.done) break;
    if (result.value instanceof SseFrames) {
      wire += result.value.text;
      continue;
    }
    objects.push(result.value);
    wire +=
      eventText(result.value) ?? namedEventText(result.value.type, JSON.stringify(result.value));
  }
  return { objects, wire: wire.replace(/(msg|fc|rs)_[0-9a-f]{32}/g, '$1_ID') };
}

describe('Responses events carrying the whole response', () => {
  for (const framed of [false, true]) {
    it(`carry a text equal to the event serialised (${framed ? 'nextFrames' : 'next'})`, async () => {
      const { objects } = await read(framed);
      const marked = objects.filter(event => eventText(event) !== undefined);
      for (const event of marked)
        expect(eventText(event)).toBe(namedEventText(event.type, JSON.stringify(event)));
      // A copy (as the proxy's echo makes one) carries no text: it is serialised as it is.
      for (const event of marked) expect(eventText({ ...event })).toBeUndefined();
      const types = marked.map(event => event.type);
      // The final response is made from its items' texts only when they were written as text.
      expect(types).toEqual(
        framed
          ? ['response.created', 'response.in_progress', 'response.incomplete']
          : ['response.created', 'response.in_progress'],
      );
      const final = objects.at(-1)!.response as Record<string, unknown>;
      expect(final).toMatchObject({
        status: 'incomplete',
        model: 'up/m',
        previous_response_id: 'resp_prev',
        usage: { input_tokens_details: { cached_tokens: 4 } },
      });
      expect((final.output as { type: string }[]).map(item => item.type)).toEqual([
        'reasoning',
        'message',
        'function_call',
        'message',
      ]);
    });
  }

  it('go out as the same bytes either way', async () => {
    const [slow, fast] = [await read(false), await read(true)];
    expect(fast.wire).toBe(slow.wire);
    expect(fast.wire).toContain('"text":"Hi \u2028 \\"there\\" line\\nnext"');
  });
});

describe('envelopeText', () => {
  it('cuts the in-progress JSON so that filled in it is the final response serialised', () => {
    for (const asked of [request, { model: 'm', input: 'x' } as ResponsesRequest]) {
      const response = responseEnvelope(asked, { id: 'resp_"x"', createdAt: 7, model: 'up/m' });
      const { json, parts } = envelopeText(response);
      expect(json).toBe(JSON.stringify(response));
      expect(parts).toBeDefined();
      Object.assign(response, finalStatus('length'), {
        output: [
          { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [] },
        ],
        usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 },
      });
      expect(completedJson(parts!, response, JSON.stringify(response.output))).toBe(
        JSON.stringify(response),
      );
    }
  });

  it('writes every final status and usage as serialising the response does', () => {
    const usages = [
      null,
      { input_tokens: 7, output_tokens: 18, total_tokens: 25 },
      { input_tokens: 7, output_tokens: null, total_tokens: 7 },
      { input_tokens: 7, output_tokens: 3, total_tokens: 10, estimated: true },
      {
        input_tokens: 7,
        output_tokens: 3,
        total_tokens: 10,
        input_tokens_details: { cached_tokens: 4 },
      },
      { total_tokens: 10, input_tokens: 7, output_tokens: 3 },
    ];
    for (const finish of ['length', 'stop', 'content_filter', null])
      for (const usage of usages) {
        const response = responseEnvelope(request, { id: 'resp_1', createdAt: 7, model: 'm' });
        const { parts } = envelopeText(response);
        Object.assign(response, finalStatus(finish), { usage });
        expect(completedJson(parts!, response, '[]')).toBe(JSON.stringify(response));
      }
  });

  it('is made from the values of a fresh envelope as the whole serialised and cut', () => {
    const odd = [
      request,
      { model: 'm', input: 'x' },
      { model: 'm', input: 'x', metadata: {}, tools: [], text: { format: { type: 'text' } } },
      { model: 'm', input: 'x', text: { format: { type: 'text', strict: true } } },
      { model: 'm', input: 'x', metadata: [], reasoning: { effort: null, summary: 'auto' } },
      { model: 'm', input: 'x', temperature: 0, top_p: -0, max_output_tokens: 1e21 },
      { model: 'm', input: 'x', tool_choice: { type: 'function', name: 'f' }, user: '\u2028"' },
      { model: 'm', input: 'x', metadata: new Date(0), parallel_tool_calls: false, store: true },
    ];
    for (const asked of odd) {
      const response = responseEnvelope(asked as ResponsesRequest, {
        id: 'resp_"x"',
        createdAt: 7,
        model: 'up/"m"',
      });
      expect(freshEnvelopeText(response)).toEqual(envelopeText(response));
    }
    // A chunk without `created` or `model`: the key is left out, as JSON.stringify does.
    const bare = responseEnvelope(request, { id: 'resp_1', model: undefined } as never);
    expect(freshEnvelopeText(bare).json).toBe(JSON.stringify(bare));
  });

  it('makes no parts of an object not fresh from responseEnvelope', () => {
    const response = responseEnvelope(request, { id: 'resp_1', createdAt: 7, model: 'up/m' });
    expect(envelopeText({ ...response, status: 'completed' }).parts).toBeUndefined();
    expect(
      envelopeText({ ...response, usage: { input_tokens: 1 } } as never).parts,
    ).toBeUndefined();
  });
});
