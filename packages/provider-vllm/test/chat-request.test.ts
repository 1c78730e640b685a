import { BadRequestError, type ChatCompletionRequest } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVllmProvider, hostedVllmProvider } from '../src/index';
import { contextFor, deepFreeze, rejection } from './support/context';
import { json, type ScriptedServer, startScriptedServer } from './support/scripted-server';

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1745383065,
  model: 'facebook/opt-125m',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello!', tool_calls: [], reasoning: null },
      finish_reason: 'length',
      stop_reason: null,
    },
  ],
  usage: { prompt_tokens: 24, total_tokens: 27, completion_tokens: 3, prompt_tokens_details: null },
};

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer(() => json(completion));
});
afterAll(() => server.close());

const last = () => server.requests[server.requests.length - 1]!;

describe('chat request body', () => {
  it('forwards OpenAI params and vLLM extras, replaces model, and never mutates frozen input', async () => {
    const request = deepFreeze({
      model: 'hosted_vllm/facebook/opt-125m',
      messages: [{ role: 'user', content: 'Say hello.' }],
      max_completion_tokens: 16,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['\n\n'],
      seed: 7,
      reasoning_effort: 'high',
      top_k: 40,
      min_p: 0.05,
      repetition_penalty: 1.1,
      structured_outputs: { choice: ['yes', 'no'] },
      guided_json: { type: 'object' },
      chat_template_kwargs: { enable_thinking: false },
      user: null,
      extra_body: { skip_special_tokens: false, top_k: 41 },
      stream_options: { include_usage: true },
    }) as unknown as ChatCompletionRequest;
    const ctx = contextFor(server.url, {
      options: deepFreeze({ extra_body: { priority: 3, top_k: 1 } }),
    });
    const { data } = await hostedVllmProvider.chat!(request, ctx);
    expect(data.choices[0]!.message.content).toBe('Hello!');
    expect(data.choices[0]!.finish_reason).toBe('length');
    expect(data.usage).toEqual(completion.usage);
    expect(last().path).toBe('/v1/chat/completions');
    expect(last().json).toEqual({
      model: 'facebook/opt-125m',
      messages: [{ role: 'user', content: 'Say hello.' }],
      max_completion_tokens: 16,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['\n\n'],
      seed: 7,
      reasoning_effort: 'high',
      top_k: 41,
      min_p: 0.05,
      repetition_penalty: 1.1,
      structured_outputs: { choice: ['yes', 'no'] },
      guided_json: { type: 'object' },
      chat_template_kwargs: { enable_thinking: false },
      skip_special_tokens: false,
      priority: 3,
      stream: false,
    });
  });

  it('maps Anthropic thinking to reasoning_effort unless reasoning_effort is given', async () => {
    const base = { model: 'hosted_vllm/m', messages: [{ role: 'user' as const, content: 'hi' }] };
    await hostedVllmProvider.chat!(
      { ...base, thinking: { type: 'enabled', budget_tokens: 15000 } } as never,
      contextFor(server.url),
    );
    expect(last().json).toMatchObject({ reasoning_effort: 'high' });
    expect(last().json).not.toHaveProperty('thinking');
    await hostedVllmProvider.chat!(
      {
        ...base,
        reasoning_effort: 'low',
        thinking: { type: 'enabled', budget_tokens: 15000 },
      } as never,
      contextFor(server.url),
    );
    expect(last().json).toMatchObject({ reasoning_effort: 'low' });
    await hostedVllmProvider.chat!(
      { ...base, thinking: { type: 'enabled', budget_tokens: 1023 } } as never,
      contextFor(server.url),
    );
    expect(last().json).toMatchObject({ reasoning_effort: 'minimal' });
  });

  it('cleans tools for vLLM and drops empty tools together with tool_choice', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'set_mode',
          strict: true,
          parameters: {
            type: 'object',
            additionalProperties: false,
            properties: { strict: { type: 'boolean' } },
            required: ['strict'],
          },
        },
      },
    ];
    const request = deepFreeze({
      model: 'hosted_vllm/m',
      messages: [{ role: 'user' as const, content: 'hi' }],
      tools,
      tool_choice: 'auto' as const,
    });
    await hostedVllmProvider.chat!(request, contextFor(server.url));
    expect(last().json).toMatchObject({
      tool_choice: 'auto',
      tools: [
        {
          type: 'function',
          function: {
            name: 'set_mode',
            parameters: {
              type: 'object',
              properties: { strict: { type: 'boolean' } },
              required: ['strict'],
            },
          },
        },
      ],
    });
    expect(JSON.stringify(last().json)).not.toContain('additionalProperties');

    await hostedVllmProvider.chat!({ ...request, tools: [] }, contextFor(server.url));
    expect(last().json).not.toHaveProperty('tools');
    expect(last().json).not.toHaveProperty('tool_choice');
  });

  it('sends video files as video_url and drops assistant reasoning unless forwarding is on', async () => {
    const request = deepFreeze({
      model: 'hosted_vllm/qwen',
      messages: [
        {
          role: 'user' as const,
          content: [
            { type: 'text' as const, text: 'Summarize the following video' },
            {
              type: 'file' as const,
              file: { file_id: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' },
            },
          ],
        },
        {
          role: 'assistant' as const,
          content: 'It is a song.',
          reasoning_content: 'I watched it.',
          thinking_blocks: [],
        },
        { role: 'user' as const, content: 'Which one?' },
      ],
    }) as unknown as ChatCompletionRequest;
    await hostedVllmProvider.chat!(request, contextFor(server.url));
    const sent = last().json as { messages: Record<string, unknown>[] };
    expect(sent.messages[0]!.content).toEqual([
      { type: 'text', text: 'Summarize the following video' },
      { type: 'video_url', video_url: { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' } },
    ]);
    expect(sent.messages[1]).toEqual({ role: 'assistant', content: 'It is a song.' });

    await hostedVllmProvider.chat!(
      request,
      contextFor(server.url, {
        options: { forward_reasoning_content: true, reasoning_content_field: 'reasoning' },
      }),
    );
    expect((last().json as typeof sent).messages[1]).toEqual({
      role: 'assistant',
      content: 'It is a song.',
      reasoning: 'I watched it.',
    });
  });

  it('refuses a non-object extra_body, naming it', async () => {
    const error = await rejection(
      createVllmProvider().chat!(
        { model: 'm', messages: [{ role: 'user', content: 'x' }], extra_body: [1] } as never,
        contextFor(server.url),
      ),
    );
    expect(BadRequestError.isInstance(error)).toBe(true);
    expect(error.param).toBe('extra_body');
  });
});
