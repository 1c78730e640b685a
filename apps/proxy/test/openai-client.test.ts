import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASTER_KEY, type Stack, startStack } from './helpers';

let stack: Stack;
let client: OpenAI;

beforeAll(async () => {
  stack = await startStack({ masterKey: MASTER_KEY });
  client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${stack.proxy.url}/v1`, maxRetries: 0 });
});
afterAll(() => stack?.close());

describe('the official openai client against the proxy', () => {
  it('chat completion', async () => {
    const res = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'hello' }],
      max_tokens: 5,
    });
    expect(res.object).toBe('chat.completion');
    expect(typeof res.choices[0]?.message.content).toBe('string');
    expect(res.usage?.completion_tokens).toBeGreaterThan(0);
    // The upstream received the deployment's model name and credential, not the group name.
    const upstream = stack.vllm.requests.entries.at(-1)!;
    expect((upstream.body as { model: string }).model).toBe('facebook/opt-125m');
    expect(upstream.headers.authorization).toBe('Bearer sk-upstream-secret');
  });

  it('custom tools reach vLLM as function tools, and the model calls one', async () => {
    const res = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'patch it' }],
      tools: [{ type: 'custom', custom: { name: 'apply_patch', description: 'Apply a patch' } }],
      tool_choice: { type: 'custom', custom: { name: 'apply_patch' } },
    });
    const call = res.choices[0]!.message.tool_calls![0]!;
    expect(call.type).toBe('function');
    expect(call.type === 'function' && call.function.name).toBe('apply_patch');
    const upstream = stack.vllm.requests.entries.at(-1)!.body as Record<string, unknown>;
    expect(upstream.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'apply_patch',
          description: 'Apply a patch',
          parameters: {
            type: 'object',
            properties: { input: { type: 'string', description: 'Raw tool input payload.' } },
            required: ['input'],
          },
        },
      },
    ]);
    expect(upstream.tool_choice).toEqual({ type: 'function', function: { name: 'apply_patch' } });
  });

  it('streaming chat completion, through Triton too', async () => {
    for (const model of ['chat', 'triton-chat']) {
      const stream = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'stream please' }],
        stream: true,
        max_tokens: 6,
      });
      let text = '';
      let chunks = 0;
      for await (const chunk of stream) {
        chunks++;
        text += chunk.choices[0]?.delta.content ?? '';
      }
      expect(chunks).toBeGreaterThan(1);
      expect(text.length).toBeGreaterThan(0);
    }
  });

  it('text completion', async () => {
    const res = await client.completions.create({
      model: 'text',
      prompt: 'Once upon',
      max_tokens: 4,
    });
    expect(res.object).toBe('text_completion');
    expect(typeof res.choices[0]?.text).toBe('string');
  });

  it('embeddings', async () => {
    const res = await client.embeddings.create({ model: 'embed', input: ['good morning'] });
    expect(res.data).toHaveLength(1);
    expect(Array.isArray(res.data[0]?.embedding)).toBe(true);
  });

  it('models list', async () => {
    const page = await client.models.list();
    const ids = page.data.map(m => m.id);
    expect(ids).toEqual(['chat', 'text', 'embed', 'rerank', 'whisper', 'triton-chat']);
  });

  it('raises AuthenticationError for a wrong key', async () => {
    const bad = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${stack.proxy.url}/v1`, maxRetries: 0 });
    const error = await bad.models.list().catch(e => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.type).toBe('auth_error');
  });

  it('raises BadRequestError naming the bad field', async () => {
    const error = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], temperature: 9 })
      .catch(e => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe('temperature');
    expect(error.message).toContain('temperature');
  });

  it('raises NotFoundError (model_not_found) for an unknown model, listing what is served', async () => {
    const error = await client.chat.completions
      .create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })
      .catch(e => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.status).toBe(404);
    expect(error.code).toBe('model_not_found');
    expect(error.param).toBe('model');
    expect(error.message).toContain('Invalid model name passed in model=nope');
    expect(error.message).toContain('chat, text, embed');
    const embed = await client.embeddings.create({ model: 'nope', input: 'x' }).catch(e => e);
    expect(embed).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('models.retrieve: a served model in the list shape; an unknown one is NotFoundError', async () => {
    const model = await client.models.retrieve('chat');
    expect(model).toMatchObject({ id: 'chat', object: 'model', owned_by: 'openai' });
    expect(typeof model.created).toBe('number');
    const listed = (await client.models.list()).data.find(m => m.id === 'chat');
    expect(model).toEqual(listed);
    const error = await client.models.retrieve('gpt-9').catch(e => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe('model_not_found');
    expect(error.message).toContain('Invalid model name passed in model=gpt-9');
    expect(error.message).toContain('triton-chat');
  });

  it('raises RateLimitError when the upstream answers 429', async () => {
    stack.vllm.inject({ status: 429, retryAfter: 2, path: '/v1/chat/completions' });
    const error = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] })
      .catch(e => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers.get('retry-after')).toBe('2');
    expect(error.headers.get('x-litellm-model-group')).toBe('chat');
  });

  it('raises InternalServerError when the upstream answers 500', async () => {
    stack.vllm.inject({ status: 500, path: '/v1/embeddings' });
    const error = await client.embeddings.create({ model: 'embed', input: 'x' }).catch(e => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(500);
  });

  it('raises APIError for an error sent mid-stream', async () => {
    stack.vllm.inject({ streamErrorAfter: 2, path: '/v1/chat/completions' });
    const stream = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
      max_tokens: 20,
    });
    const error = await (async () => {
      for await (const _ of stream) {
        /* read until it fails */
      }
    })().catch(e => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
  });
});
