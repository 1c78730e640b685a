import {
  BadGatewayError,
  InternalServerError,
  NotFoundError,
  UnsupportedParamsError,
} from '@switchyard/core';
import { afterAll, describe, expect, it } from 'vitest';
import { tritonProvider } from '../src/index';
import { collect, context, http, rejection } from './helpers';
import { startStub } from './stub-server';

afterAll(() => http.close());

describe('LiteLLM triton cases over HTTP (loopback stub)', () => {
  it('/generate: who are u? with max_tokens 10', async () => {
    const stub = await startStub(() => ({
      json: { model_name: 'llama', model_version: '1', text_output: 'I am an AI' },
    }));
    try {
      const { data } = await tritonProvider.chat(
        {
          model: 'triton/llama-3-8b-instruct',
          messages: [{ role: 'user', content: 'who are u?' }],
          max_tokens: 10,
        },
        context(`${stub.url}/generate`),
      );
      expect(stub.requests[0]?.path).toBe('/generate');
      const body = stub.requests[0]?.body as {
        text_input: string;
        parameters: { max_tokens: number };
      };
      expect(body.parameters.max_tokens).toBe(10);
      // LiteLLM sends the bare "who are u?": its rules know only meta-llama-3 names. The
      // family matching gives this name Llama 3's chat template, roles kept.
      expect(body.text_input).toBe(
        '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nwho are u?<|eot_id|>' +
          '<|start_header_id|>assistant<|end_header_id|>\n\n',
      );
      expect(data.choices[0]?.message.content).toBe('I am an AI');
      // Nothing in this /generate answer says why it stopped: LiteLLM's "stop", marked assumed.
      expect(data.choices[0]?.finish_reason).toBe('stop');
      expect(data.choices[0]?.finish_reason_assumed).toBe(true);
      expect(data.usage?.estimated).toBe(true);
      expect(data.usage?.completion_tokens).toBeGreaterThan(0);
      expect(stub.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await stub.close();
    }
  });

  it('/infer: the default tensor and outputs[0] data joined', async () => {
    const stub = await startStub(() => ({
      json: {
        model_name: 'llama',
        model_version: '1',
        outputs: [
          {
            name: 'text_output',
            datatype: 'BYTES',
            shape: [2],
            data: ['0004900005024 ', '0004900005025'],
          },
          { name: 'debug_probs', datatype: 'FP32', shape: [0], data: [] },
        ],
      },
    }));
    try {
      const content = '0004900005025 0004900005026 0004900005027';
      const { data } = await tritonProvider.chat(
        { model: 'triton/llama-3-8b-instruct', messages: [{ role: 'user', content }] },
        context(`${stub.url}/infer`, 'some-model'),
      );
      const body = stub.requests[0]?.body as { inputs: unknown[] };
      expect(stub.requests[0]?.path).toBe('/infer');
      expect(body.inputs[0]).toEqual({
        name: 'text_input',
        shape: [1],
        datatype: 'BYTES',
        data: [content],
      });
      expect(body.inputs[1]).toEqual({
        name: 'max_tokens',
        shape: [1],
        datatype: 'INT32',
        data: [20],
      });
      expect(data.choices[0]?.message.content).toBe('0004900005024 0004900005025');
      expect(data.object).toBe('chat.completion');
    } finally {
      await stub.close();
    }
  });

  it('/generate_stream: five events become five content chunks and a closing chunk', async () => {
    const words = ['I', ' am', ' an', ' AI', ' assistant'];
    const stub = await startStub(() => ({
      sse: words.map(text_output => ({ model_name: 'm', text_output })),
    }));
    try {
      const { stream } = await tritonProvider.chatStream(
        {
          model: 'triton/llama-3-8b-instruct',
          messages: [{ role: 'user', content: 'who are u?' }],
          stream: true,
          stream_options: { include_usage: true },
        },
        context(`${stub.url}/generate`),
      );
      const chunks = await collect(stream);
      expect(stub.requests[0]?.path).toBe('/generate_stream');
      expect((stub.requests[0]!.body as { stream: boolean }).stream).toBe(true);
      const choices = chunks.filter(chunk => chunk.choices.length > 0);
      expect(choices.map(chunk => chunk.choices[0]?.delta.content)).toEqual([...words, undefined]);
      expect(choices[0]?.choices[0]?.delta.role).toBe('assistant');
      expect(choices.at(-1)?.choices[0]?.finish_reason).toBe('stop');
      expect(choices.at(-1)?.choices[0]?.finish_reason_assumed).toBe(true);
      const usage = chunks.at(-1)?.usage;
      expect(usage?.estimated).toBe(true);
      expect(usage?.total_tokens).toBe(
        (usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0),
      );
    } finally {
      await stub.close();
    }
  });

  it('/generate_stream: stop_reason and is_finished are read; an in-band error event is raised', async () => {
    const stub = await startStub(request =>
      (request.body as { text_input: string }).text_input.includes('fail')
        ? { sse: [{ text_output: 'a' }, { error: 'Error generating stream: boom' }] }
        : {
            sse: [
              { text_output: 'a' },
              { text_output: 'b', stop_reason: 'length', is_finished: true },
            ],
          },
    );
    try {
      const ok = await tritonProvider.chatStream(
        { model: 'triton/m', messages: [{ role: 'user', content: 'x' }] },
        context(`${stub.url}/generate`, 'm'),
      );
      const chunks = await collect(ok.stream);
      expect(chunks.map(c => c.choices[0]?.finish_reason)).toEqual([null, 'length']);
      const bad = await tritonProvider.chatStream(
        { model: 'triton/m', messages: [{ role: 'user', content: 'fail' }] },
        context(`${stub.url}/generate`, 'm'),
      );
      const error = await rejection(collect(bad.stream));
      expect(InternalServerError.isInstance(error)).toBe(true);
      expect(error.message).toBe('TritonException - Error generating stream: boom');
    } finally {
      await stub.close();
    }
  });

  it('embeddings: a [2,3] result split into rows, a bare string is one input, usage counted', async () => {
    const stub = await startStub(request => {
      const n = (request.body as { inputs: [{ data: string[] }] }).inputs[0].data.length;
      return {
        json: {
          model_name: 'emb',
          outputs: [
            {
              name: 'embeddings',
              datatype: 'FP32',
              shape: [n, 3],
              data: [1, 2, 3, 4, 5, 6].slice(0, n * 3),
            },
          ],
        },
      };
    });
    try {
      const two = await tritonProvider.embedding(
        { model: 'triton/emb', input: ['first input', 'second input'] },
        context(`${stub.url}/triton/embeddings`, 'emb'),
      );
      expect(stub.requests[0]?.path).toBe('/triton/embeddings');
      expect(stub.requests[0]?.body).toEqual({
        inputs: [
          {
            name: 'input_text',
            shape: [2],
            datatype: 'BYTES',
            data: ['first input', 'second input'],
          },
        ],
      });
      expect(two.data.data.map(item => item.embedding)).toEqual([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      expect(two.data.data.map(item => item.index)).toEqual([0, 1]);
      expect(two.data.usage).toMatchObject({ prompt_tokens: 6, total_tokens: 6, estimated: true });
      const one = await tritonProvider.embedding(
        { model: 'triton/emb', input: 'hello from triton' },
        context(stub.url, 'emb', { options: { triton_backend: 'generic' } }),
      );
      expect(stub.requests[1]?.path).toBe('/v2/models/emb/infer');
      expect((stub.requests[1]!.body as { inputs: [{ shape: number[] }] }).inputs[0].shape).toEqual(
        [1],
      );
      expect(one.data.data).toHaveLength(1);
    } finally {
      await stub.close();
    }
  });

  it('embeddings: a shape that is not 2-D is a BadGatewayError', async () => {
    const stub = await startStub(() => ({
      json: { outputs: [{ name: 'e', datatype: 'FP32', shape: [2], data: [1, 2] }] },
    }));
    try {
      const error = await rejection(
        tritonProvider.embedding(
          { model: 'triton/emb', input: ['a'] },
          context(`${stub.url}/embeddings`, 'emb'),
        ),
      );
      expect(BadGatewayError.isInstance(error)).toBe(true);
      expect(error.message).toContain('Shape must be of length 2.');
    } finally {
      await stub.close();
    }
  });

  it('errors: {"error":…} mapped by status with the TritonException prefix; 200 with error raised; non-JSON is BadGateway', async () => {
    const stub = await startStub(request => {
      if (request.path.includes('unknown')) {
        return {
          status: 404,
          json: { error: "Request for unknown model: 'unknown' is not found" },
        };
      }
      if (request.path.includes('multi')) {
        return { json: { error: 'generate expects model to produce exactly 1 response' } };
      }
      return {
        bytes: new TextEncoder().encode('not json'),
        headers: { 'content-type': 'text/plain' },
      };
    });
    try {
      const request = { model: 'triton/x', messages: [{ role: 'user' as const, content: 'hi' }] };
      const notFound = await rejection(tritonProvider.chat(request, context(stub.url, 'unknown')));
      expect(NotFoundError.isInstance(notFound)).toBe(true);
      expect(notFound.message).toBe(
        "TritonException - Request for unknown model: 'unknown' is not found",
      );
      const inBand = await rejection(tritonProvider.chat(request, context(stub.url, 'multi')));
      expect(inBand.message).toBe(
        'TritonException - generate expects model to produce exactly 1 response',
      );
      const garbled = await rejection(tritonProvider.chat(request, context(stub.url, 'plain')));
      expect(BadGatewayError.isInstance(garbled)).toBe(true);
    } finally {
      await stub.close();
    }
  });

  it('unsupported OpenAI params raise before any request, unless dropped', async () => {
    const stub = await startStub(() => ({ json: { text_output: 'ok' } }));
    try {
      const request = {
        model: 'triton/x',
        messages: [{ role: 'user' as const, content: 'hi' }],
        response_format: { type: 'json_object' as const },
      };
      const error = await rejection(tritonProvider.chat(request, context(stub.url, 'x')));
      expect(UnsupportedParamsError.isInstance(error)).toBe(true);
      expect((error as UnsupportedParamsError).param).toBe('response_format');
      expect(stub.requests).toHaveLength(0);
      const { data } = await tritonProvider.chat(
        request,
        context(stub.url, 'x', { dropParams: true }),
      );
      expect(data.choices[0]?.message.content).toBe('ok');
    } finally {
      await stub.close();
    }
  });

  it('sends Authorization: Bearer and custom headers only when given', async () => {
    const stub = await startStub(() => ({ json: { text_output: 'ok' } }));
    try {
      await tritonProvider.chat(
        { model: 'triton/x', messages: [{ role: 'user', content: 'hi' }] },
        context(stub.url, 'x', { apiKey: 'sk-gw', headers: { 'X-Team': 'a' } }),
      );
      expect(stub.requests[0]?.headers.authorization).toBe('Bearer sk-gw');
      expect(stub.requests[0]?.headers['x-team']).toBe('a');
    } finally {
      await stub.close();
    }
  });
});
