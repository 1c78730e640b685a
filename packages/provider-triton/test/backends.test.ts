import { fileURLToPath } from 'node:url';
import { BadRequestError } from '@switchyard/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createTritonProvider, tritonProvider } from '../src/index';
import { collect, context, http, rejection } from './helpers';
import { startStub } from './stub-server';

afterAll(() => http.close());

const tokenizerPath = fileURLToPath(new URL('./fixtures/tokenizer.json', import.meta.url));
const messages = [{ role: 'user' as const, content: 'who are u ?' }];

describe('vLLM backend profile', () => {
  it('reads real usage and the finish reason back from return_num_* / return_finish_reason', async () => {
    const stub = await startStub(() => ({
      json: {
        model_name: 'vllm_model',
        text_output: 'I am a bot',
        finish_reason: 'length',
        num_input_tokens: 12,
        num_output_tokens: 4,
      },
    }));
    try {
      const { data } = await tritonProvider.chat(
        { model: 'triton/vllm_model', messages, max_tokens: 4, stop: ['\n'] },
        context(stub.url, 'vllm_model', { options: { triton_backend: 'vllm' } }),
      );
      const body = stub.requests[0]?.body as Record<string, unknown>;
      expect(stub.requests[0]?.path).toBe('/v2/models/vllm_model/generate');
      expect(body.exclude_input_in_output).toBe(true);
      expect(JSON.parse(body.sampling_parameters as string)).toEqual({
        max_tokens: 4,
        stop: ['\n'],
      });
      expect(data.choices[0]?.finish_reason).toBe('length');
      expect(data.usage).toEqual({ prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 });
    } finally {
      await stub.close();
    }
  });

  it('streams: "None" reasons ignored, per-event output counts added up, the last reason kept', async () => {
    const stub = await startStub(() => ({
      sse: [
        { text_output: 'I', finish_reason: 'None', num_input_tokens: 5, num_output_tokens: 1 },
        { text_output: ' am', finish_reason: 'None', num_input_tokens: 5, num_output_tokens: 1 },
        { text_output: '', finish_reason: 'stop', num_input_tokens: 5, num_output_tokens: 1 },
      ],
    }));
    try {
      const { stream } = await tritonProvider.chatStream(
        { model: 'triton/vllm_model', messages, stream_options: { include_usage: true } },
        context(stub.url, 'vllm_model', { options: { triton_backend: 'vllm' } }),
      );
      const chunks = await collect(stream);
      expect(stub.requests[0]?.path).toBe('/v2/models/vllm_model/generate_stream');
      expect(
        chunks
          .filter(c => c.choices.length)
          .map(c => [c.choices[0]?.delta.content, c.choices[0]?.finish_reason]),
      ).toEqual([
        ['I', null],
        [' am', null],
        [undefined, 'stop'],
      ]);
      expect(chunks.at(-1)?.usage).toEqual({
        prompt_tokens: 5,
        completion_tokens: 3,
        total_tokens: 8,
      });
    } finally {
      await stub.close();
    }
  });

  it('embeddings go through /generate with embedding_request, usage from num_input_tokens', async () => {
    const stub = await startStub(request => {
      const input = JSON.parse((request.body as { embedding_request: string }).embedding_request)
        .input as string;
      return { json: { text_output: JSON.stringify([input.length, 0.5]), num_input_tokens: 3 } };
    });
    try {
      const { data } = await tritonProvider.embedding(
        { model: 'triton/all-MiniLM-L6-v2', input: ['abc', 'de'] },
        context(stub.url, 'all-MiniLM-L6-v2', { options: { triton_backend: 'vllm' } }),
      );
      expect(stub.requests.map(r => r.path)).toEqual([
        '/v2/models/all-MiniLM-L6-v2/generate',
        '/v2/models/all-MiniLM-L6-v2/generate',
      ]);
      expect(data.data.map(d => d.embedding)).toEqual([
        [3, 0.5],
        [2, 0.5],
      ]);
      expect(data.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
    } finally {
      await stub.close();
    }
  });
});

describe('TRT-LLM ensemble profile', () => {
  it('sends settings as input tensors at the top level; no per-token output leaves an assumed stop', async () => {
    const stub = await startStub(() => ({
      json: {
        model_name: 'ensemble',
        text_output: '\nMachine learning is',
        cum_log_probs: 0,
        sequence_id: 0,
      },
    }));
    try {
      const { data } = await tritonProvider.chat(
        {
          model: 'triton/ensemble',
          messages,
          max_tokens: 20,
          stop: 'END',
          temperature: 1,
          bad_words: '',
          end_id: 2,
        } as never,
        context(`${stub.url}/v2/models/ensemble/generate`, 'ensemble', {
          options: { triton_backend: 'trtllm' },
        }),
      );
      expect(stub.requests[0]?.body).toMatchObject({
        max_tokens: 20,
        stop_words: ['END'],
        temperature: 1,
        bad_words: '',
        end_id: 2,
        exclude_input_in_output: true,
        stream: false,
      });
      // Nothing in the answer says why it stopped: LiteLLM's "stop", marked.
      expect(data.choices[0]).toMatchObject({ finish_reason: 'stop', finish_reason_assumed: true });
      expect(data.usage?.estimated).toBe(true);
    } finally {
      await stub.close();
    }
  });

  it('counts output_log_probs: as many as max_tokens is length, fewer is stop (recorded exchange)', async () => {
    // tensorrtllm_backend docs/llama.md: max_tokens 20, twenty per-token log probs.
    const recorded = {
      cum_log_probs: 0.0,
      model_name: 'ensemble',
      model_version: '1',
      output_log_probs: new Array(20).fill(0),
      sequence_end: false,
      sequence_id: 0,
      sequence_start: false,
      text_output:
        '\nMachine learning is a subset of artificial intelligence (AI) that uses algorithms to learn from data and',
    };
    const stub = await startStub(request =>
      (request.body as { max_tokens: number }).max_tokens === 20
        ? { json: recorded }
        : { json: { ...recorded, output_log_probs: [0, 0, 0], text_output: ' Short.' } },
    );
    try {
      const ask = (max_tokens: number) =>
        tritonProvider.chat(
          { model: 'triton/ensemble', messages, max_tokens },
          context(`${stub.url}/v2/models/ensemble/generate`, 'ensemble', {
            options: { triton_backend: 'trtllm' },
          }),
        );
      const full = (await ask(20)).data;
      expect(full.choices[0]).toEqual({
        index: 0,
        message: { role: 'assistant', content: recorded.text_output },
        finish_reason: 'length',
      });
      expect(full.usage?.completion_tokens).toBe(20);
      const short = (await ask(64)).data;
      expect(short.choices[0]?.finish_reason).toBe('stop');
      expect(short.choices[0]).not.toHaveProperty('finish_reason_assumed');
      expect(short.usage?.completion_tokens).toBe(3);
    } finally {
      await stub.close();
    }
  });
});

describe('usage tiers and settings', () => {
  it('counts with a local tokenizer.json when tokenizer_path names one (not marked estimated)', async () => {
    const stub = await startStub(() => ({ json: { text_output: 'I am a bot' } }));
    try {
      const { data } = await tritonProvider.chat(
        { model: 'triton/x', messages },
        context(stub.url, 'x', { options: { tokenizer_path: tokenizerPath } }),
      );
      expect(data.usage).toEqual({ prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 });
    } finally {
      await stub.close();
    }
  });

  it('names the setting when tokenizer_path, triton_backend or triton_route is wrong', async () => {
    const request = { model: 'triton/x', messages };
    const missing = await rejection(
      tritonProvider.chat(
        request,
        context('http://127.0.0.1:9', 'x', { options: { tokenizer_path: '/nope/tokenizer.json' } }),
      ),
    );
    expect(BadRequestError.isInstance(missing)).toBe(true);
    expect((missing as BadRequestError).param).toBe('tokenizer_path');
    const backend = await rejection(
      tritonProvider.chat(
        request,
        context('http://127.0.0.1:9', 'x', { options: { triton_backend: 'tgi' } }),
      ),
    );
    expect(backend.message).toBe(
      'Invalid triton_backend: expected one of "vllm", "trtllm", "generic", got "tgi"',
    );
    const route = await rejection(
      tritonProvider.chat(
        request,
        context('http://127.0.0.1:9', 'x', { options: { triton_route: 'stream' } }),
      ),
    );
    expect((route as BadRequestError).param).toBe('triton_route');
  });

  it('createTritonProvider defaults apply unless the call overrides them', async () => {
    const stub = await startStub(() => ({
      json: { outputs: [{ name: 'text_output', datatype: 'BYTES', shape: [1], data: ['ok'] }] },
    }));
    try {
      const provider = createTritonProvider({
        defaults: { triton_route: 'infer', triton_backend: 'generic' },
      });
      const { data } = await provider.chat({ model: 'triton/x', messages }, context(stub.url, 'x'));
      expect(stub.requests[0]?.path).toBe('/v2/models/x/infer');
      expect(data.choices[0]?.message.content).toBe('ok');
    } finally {
      await stub.close();
    }
  });

  it('a stream on the /infer route is the one answer sent as chunks', async () => {
    const stub = await startStub(() => ({
      json: {
        outputs: [{ name: 'text_output', datatype: 'BYTES', shape: [1], data: ['whole answer'] }],
      },
    }));
    try {
      const { stream } = await tritonProvider.chatStream(
        { model: 'triton/x', messages },
        context(`${stub.url}/infer`, 'x'),
      );
      const chunks = await collect(stream);
      expect(stub.requests[0]?.path).toBe('/infer');
      expect(chunks.map(c => c.choices[0]?.delta.content)).toEqual(['whole answer', undefined]);
    } finally {
      await stub.close();
    }
  });

  it('text completions send the raw prompt as text_input', async () => {
    const stub = await startStub(() => ({ json: { text_output: ' world' } }));
    try {
      const { data } = await tritonProvider.textCompletion(
        { model: 'triton/x', prompt: 'hello', max_tokens: 3 },
        context(`${stub.url}/generate`, 'x'),
      );
      expect(stub.requests[0]?.body).toEqual({
        text_input: 'hello',
        stream: false,
        parameters: { max_tokens: 3 },
      });
      expect(data.choices[0]?.text).toBe(' world');
      expect(data.object).toBe('text_completion');
    } finally {
      await stub.close();
    }
  });
});
