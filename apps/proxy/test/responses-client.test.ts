import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASTER_KEY } from './helpers';
import { type ShapesStack, startShapesStack } from './shapes-helpers';

let stack: ShapesStack;
let client: OpenAI;

beforeAll(async () => {
  stack = await startShapesStack({ masterKey: MASTER_KEY });
  client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${stack.proxy.url}/v1`, maxRetries: 0 });
  // The embedded store opens (and migrates) on first use, which is slow on a loaded machine.
  await client.responses.retrieve('resp_warm_up').catch(() => undefined);
}, 180_000);
afterAll(() => stack?.close());

const tools: OpenAI.Responses.Tool[] = [
  {
    type: 'function',
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    strict: true,
  },
];

describe('the official openai client against /v1/responses', () => {
  for (const model of ['vllm', 'vllm-native', 'triton']) {
    it(`responses.create and responses.stream on ${model}`, async () => {
      const response = await client.responses.create({
        model,
        instructions: 'Be brief.',
        input: 'hello there',
        max_output_tokens: 200,
      });
      expect(response.object).toBe('response');
      expect(response.id).toMatch(/^resp_/);
      expect(response.output_text.length).toBeGreaterThan(0);
      expect(response.usage?.input_tokens).toBeGreaterThan(0);
      // The model that served it, as chat reports it (not the deployment's `hosted_vllm/…`).
      const chat = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 5,
      });
      expect(chat.model).not.toMatch(/^(hosted_vllm|triton)\//);
      expect(response.model).toBe(chat.model);

      const stream = client.responses.stream({
        model,
        input: 'stream please',
        max_output_tokens: 200,
      });
      const types: string[] = [];
      const sequence: number[] = [];
      const models: string[] = [];
      for await (const event of stream) {
        types.push(event.type);
        sequence.push(event.sequence_number);
        if ('response' in event) models.push(event.response.model);
      }
      const final = await stream.finalResponse();
      expect(models.length).toBeGreaterThanOrEqual(3);
      expect(new Set([...models, final.model])).toEqual(new Set([chat.model]));
      expect(types[0]).toBe('response.created');
      expect(types).toContain('response.output_text.delta');
      expect(['response.completed', 'response.incomplete']).toContain(types.at(-1));
      expect(sequence).toEqual(sequence.map((_, i) => i));
      const message = final.output.find(item => item.type === 'message');
      const part = message?.type === 'message' ? message.content[0] : undefined;
      expect(part?.type === 'output_text' && part.text.length).toBeGreaterThan(0);
      // The native deployment reached vLLM's own endpoint, with nothing for it to store.
      if (model === 'vllm-native') {
        const native = stack.vllm.requests.entries.filter(e => e.path === '/v1/responses').at(-1);
        expect(native?.body).toMatchObject({ model: 'qwen/qwen3-8b', store: false, stream: true });
      }
    });
  }

  it('a function-calling round trip continued by previous_response_id; retrieve, input_items, delete', async () => {
    const first = await client.responses.create({
      model: 'vllm',
      input: 'Weather in Paris?',
      tools,
      tool_choice: 'required',
      max_output_tokens: 200,
    });
    const call = first.output.find(item => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('no function call');
    expect(call.name).toBe('get_weather');
    expect(typeof JSON.parse(call.arguments).city).toBe('string');

    const second = await client.responses.create({
      model: 'vllm',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'Sunny, 21C' }],
      tools,
      max_output_tokens: 200,
    });
    expect(second.previous_response_id).toBe(first.id);
    expect(second.output_text.length).toBeGreaterThan(0);
    // The upstream got the whole conversation: the first question, the call, its result.
    const upstream = stack.vllm.requests.entries.at(-1)!.body as {
      messages: Array<Record<string, unknown>>;
    };
    expect(upstream.messages[0]).toMatchObject({ role: 'user', content: 'Weather in Paris?' });
    expect(upstream.messages.at(-2)).toMatchObject({
      role: 'assistant',
      tool_calls: [{ id: call.call_id }],
    });
    expect(upstream.messages.at(-1)).toMatchObject({
      role: 'tool',
      tool_call_id: call.call_id,
      content: 'Sunny, 21C',
    });

    const retrieved = await client.responses.retrieve(second.id);
    expect(retrieved.id).toBe(second.id);
    expect(retrieved.output_text).toBe(second.output_text);
    const items = await client.responses.inputItems.list(second.id);
    expect(items.data.map(item => item.type)).toEqual(['function_call_output']);

    await client.responses.delete(second.id);
    const gone = await client.responses.retrieve(second.id).catch(e => e);
    expect(gone).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('the metadata the client sent is echoed, streamed and stored; chat upstreams never see it', async () => {
    const metadata = { a: 'b', team: 'search' };
    for (const model of ['vllm', 'vllm-native']) {
      const answer = await client.responses.create({ model, input: 'hi', metadata });
      expect(answer.metadata).toEqual(metadata);
      expect((await client.responses.retrieve(answer.id)).metadata).toEqual(metadata);
      const stream = client.responses.stream({ model, input: 'hi', metadata });
      const echoed: unknown[] = [];
      for await (const event of stream)
        if ('response' in event) echoed.push(event.response.metadata);
      expect(echoed.length).toBeGreaterThanOrEqual(3);
      for (const seen of echoed) expect(seen).toEqual(metadata);
      const final = await stream.finalResponse();
      expect((await client.responses.retrieve(final.id)).metadata).toEqual(metadata);
    }
    // The translated deployment's chat endpoint got no metadata; vLLM's own /v1/responses did.
    const chat = stack.vllm.requests.entries.filter(e => e.path === '/v1/chat/completions');
    expect('metadata' in (chat.at(-1)!.body as Record<string, unknown>)).toBe(false);
    const native = stack.vllm.requests.entries.filter(e => e.path === '/v1/responses').at(-1);
    expect(native?.body).toMatchObject({ metadata });
  });

  it('a streamed continuation reports what the client asked for; the native endpoint keeps nothing', async () => {
    const first = await client.responses.create({ model: 'vllm', input: 'Say hi.' });
    for (const model of ['vllm', 'vllm-native']) {
      const stream = client.responses.stream({
        model,
        previous_response_id: first.id,
        input: 'And again.',
        max_output_tokens: 50,
      });
      const echoed: unknown[] = [];
      for await (const event of stream)
        if ('response' in event) {
          const response = event.response as { store?: boolean; previous_response_id?: string };
          echoed.push([response.store, response.previous_response_id]);
        }
      expect(echoed.length).toBeGreaterThanOrEqual(3);
      for (const pair of echoed) expect(pair).toEqual([true, first.id]);
      // The stored answer is the one the client saw.
      const final = await stream.finalResponse();
      expect((await client.responses.retrieve(final.id)).previous_response_id).toBe(first.id);
    }
    // The native deployment got the whole conversation, told to store nothing and continue nothing.
    const native = stack.vllm.requests.entries.filter(e => e.path === '/v1/responses').at(-1);
    const body = native?.body as Record<string, unknown>;
    expect(body.store).toBe(false);
    expect('previous_response_id' in body).toBe(false);
    expect(JSON.stringify(body.input)).toContain('Say hi.');
  });

  it('streams a function call and stores the streamed response', async () => {
    const stream = client.responses.stream({
      model: 'vllm',
      input: 'Weather in Rome?',
      tools,
      tool_choice: 'required',
      max_output_tokens: 200,
    });
    let args = '';
    for await (const event of stream)
      if (event.type === 'response.function_call_arguments.delta') args += event.delta;
    const final = await stream.finalResponse();
    const call = final.output.find(item => item.type === 'function_call');
    expect(call?.type === 'function_call' && call.arguments).toBe(args);
    const stored = await client.responses.retrieve(final.id);
    expect(stored.output.map(item => item.id)).toEqual(final.output.map(item => item.id));
    const storedCall = stored.output.find(item => item.type === 'function_call');
    expect(storedCall?.type === 'function_call' && storedCall.arguments).toBe(args);
  });

  it('stores a conversation holding a NUL and a lone surrogate (the database would refuse them as sent)', async () => {
    const first = await client.responses.create({
      model: 'vllm',
      input: 'Say hi a\u0000b \ud800x',
      max_output_tokens: 20,
    });
    expect(first.id).toMatch(/^resp_/);
    const stored = await client.responses.retrieve(first.id);
    expect(stored.id).toBe(first.id);
    const items = await client.responses.inputItems.list(first.id);
    expect(JSON.stringify(items.data)).toContain('a\ufffdb \ufffdx');
  });

  it('bad input in OpenAI error shape: unknown previous_response_id, unknown item type', async () => {
    const unknown = await client.responses
      .create({ model: 'vllm', previous_response_id: 'resp_nope', input: 'x' })
      .catch(e => e);
    expect(unknown).toBeInstanceOf(OpenAI.BadRequestError);
    expect(unknown.error).toMatchObject({
      message: "Previous response with id 'resp_nope' not found.",
      type: 'invalid_request_error',
      param: 'previous_response_id',
    });
    const badItem = await client.responses
      .create({ model: 'vllm', input: [{ type: 'teleport', to: 'x' }] } as never)
      .catch(e => e);
    expect(badItem).toBeInstanceOf(OpenAI.BadRequestError);
    expect(badItem.error.message).toMatch(/input\[0\]\.type: unknown input item type "teleport"/);
    expect(badItem.error.param).toBe('input[0].type');
  });
});
