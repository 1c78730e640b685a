import {
  APIError,
  BadGatewayError,
  InternalServerError,
  NotFoundError,
  ServiceUnavailableError,
  Timeout,
} from '@switchyard/core';
import { startTritonEmulator, type TritonEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tritonProvider } from '../src/index';
import { collect, context, http, rejection } from './helpers';

let emu: TritonEmulator;

beforeAll(async () => {
  emu = await startTritonEmulator({
    models: [
      { name: 'ensemble', profile: 'trtllm' },
      {
        name: 'streamer',
        profile: 'trtllm',
        decoupled: true,
        scriptedText: 'I am an AI assistant',
      },
      { name: 'vllm_model', profile: 'vllm' },
      { name: 'embedder', profile: 'embedding', dimensions: 3 },
      {
        name: 'echo',
        profile: 'generic',
        generic: {
          // A max_batch_size 0 text model: what LiteLLM's [1]-shaped /infer tensors fit.
          inputs: [
            { name: 'text_input', datatype: 'BYTES', dims: [1] },
            { name: 'max_tokens', datatype: 'INT32', dims: [1] },
          ],
          outputs: [{ name: 'text_output', datatype: 'BYTES', dims: [-1] }],
          compute: inputs => [
            {
              name: 'text_output',
              datatype: 'BYTES',
              shape: [2],
              data: [`echo:${inputs.text_input?.data[0]}`, `|max=${inputs.max_tokens?.data[0]}`],
            },
          ],
        },
      },
    ],
  });
});

afterAll(async () => {
  await emu.close();
  await http.close();
});

const ask = (content: string) => [{ role: 'user' as const, content }];
/** LiteLLM's layout, asked for by name (a plain model URL would be detected). */
const generic = { options: { triton_backend: 'generic' } };

function lastBody(): Record<string, unknown> {
  return emu.requests.entries.at(-1)?.body as Record<string, unknown>;
}

describe('generic layout (LiteLLM) against the emulator', () => {
  it('/generate with max_tokens 10: the emulator gets parameters.max_tokens 10 and answers text', async () => {
    const { data } = await tritonProvider.chat(
      { model: 'triton/ensemble', messages: ask('who are u?'), max_tokens: 10 },
      context(`${emu.url}/v2/models/ensemble/generate`, 'ensemble', generic),
    );
    expect(lastBody()).toMatchObject({ parameters: { max_tokens: 10 }, stream: false });
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
    // Ten per-token output_log_probs against max_tokens 10: the limit was reached.
    expect(data.choices[0]?.finish_reason).toBe('length');
    expect(data.choices[0]).not.toHaveProperty('finish_reason_assumed');
    expect(data.usage?.completion_tokens).toBe(10);
    expect(data.usage?.estimated).toBe(true);
  });

  it('/infer: the whole conversation templated into text_input, max_tokens INT32 [20], batch data joined', async () => {
    const messages = [
      { role: 'system' as const, content: 'S' },
      { role: 'user' as const, content: 'U1' },
      { role: 'assistant' as const, content: 'A1' },
      { role: 'user' as const, content: 'U2' },
    ];
    const { data } = await tritonProvider.chat(
      { model: 'triton/echo', messages },
      context(`${emu.url}/v2/models/echo/infer`, 'echo'),
    );
    const inputs = lastBody().inputs as unknown[];
    expect(inputs[0]).toEqual({
      name: 'text_input',
      shape: [1],
      datatype: 'BYTES',
      data: ['S U1 A1 U2'],
    });
    expect(inputs[1]).toEqual({ name: 'max_tokens', shape: [1], datatype: 'INT32', data: [20] });
    expect(data.choices[0]?.message.content).toBe('echo:S U1 A1 U2|max=20');
  });

  it('/generate_stream: scripted words arrive as content chunks, then a closing chunk told by the token count', async () => {
    const { stream } = await tritonProvider.chatStream(
      { model: 'triton/streamer', messages: ask('who are u?'), max_tokens: 50 },
      context(`${emu.url}/v2/models/streamer/generate`, 'streamer', generic),
    );
    const chunks = await collect(stream);
    expect(emu.requests.entries.at(-1)?.path).toBe('/v2/models/streamer/generate_stream');
    expect(chunks.map(c => c.choices[0]?.delta.content)).toEqual([
      'I',
      ' am',
      ' an',
      ' AI',
      ' assistant',
      undefined,
    ]);
    // Five tokens counted from output_log_probs, fewer than max_tokens 50: it stopped itself.
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices[0]).not.toHaveProperty('finish_reason_assumed');
  });
});

describe('trtllm layout against the emulator', () => {
  it('/infer with [1, n] tensors on a batching ensemble; stop reaches stop_words', async () => {
    const { data } = await tritonProvider.chat(
      {
        model: 'triton/ensemble',
        messages: ask('hello'),
        max_tokens: 8,
        stop: ['zzz'],
        temperature: 1,
      },
      context(emu.url, 'ensemble', {
        options: { triton_backend: 'trtllm', triton_route: 'infer' },
      }),
    );
    const inputs = lastBody().inputs as Array<{ name: string; shape: number[]; datatype: string }>;
    expect(emu.requests.entries.at(-1)?.path).toBe('/v2/models/ensemble/infer');
    expect(inputs.find(i => i.name === 'max_tokens')).toMatchObject({
      shape: [1, 1],
      datatype: 'INT32',
    });
    expect(inputs.find(i => i.name === 'temperature')).toMatchObject({ datatype: 'FP32' });
    expect(inputs.find(i => i.name === 'stop_words')).toMatchObject({
      datatype: 'BYTES',
      data: ['zzz'],
    });
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
  });
});

describe('vLLM backend layout against the emulator', () => {
  it('real usage and finish reason, no echoed prompt', async () => {
    const { data } = await tritonProvider.chat(
      { model: 'triton/vllm_model', messages: ask('who are u?'), max_tokens: 5 },
      context(emu.url, 'vllm_model', { options: { triton_backend: 'vllm' } }),
    );
    expect(data.choices[0]?.finish_reason).toBe('length');
    expect(data.usage?.completion_tokens).toBe(5);
    expect(data.usage?.estimated).toBeUndefined();
    expect(data.choices[0]?.message.content).not.toContain('who are u?');
  });

  it('streams with the last reason and a real usage chunk', async () => {
    const { stream } = await tritonProvider.chatStream(
      {
        model: 'triton/vllm_model',
        messages: ask('hi'),
        max_tokens: 4,
        stream_options: { include_usage: true },
      },
      context(emu.url, 'vllm_model', { options: { triton_backend: 'vllm' } }),
    );
    const chunks = await collect(stream);
    const withChoices = chunks.filter(c => c.choices.length > 0);
    expect(withChoices.at(-1)?.choices[0]?.finish_reason).toBe('length');
    expect(chunks.at(-1)?.usage).toMatchObject({ completion_tokens: 4 });
    expect(chunks.at(-1)?.usage?.estimated).toBeUndefined();
  });

  it('a decoupled model on /infer is Triton’s 501, mapped as APIError', async () => {
    const error = await rejection(
      tritonProvider.chat(
        { model: 'triton/vllm_model', messages: ask('hi') },
        context(`${emu.url}/v2/models/vllm_model/infer`, 'vllm_model'),
      ),
    );
    expect(APIError.isInstance(error)).toBe(true);
    expect((error as APIError).status).toBe(501);
    expect(error.message).toContain(
      "TritonException - HTTP end point doesn't support models with decoupled",
    );
  });
});

describe('embeddings against the emulator', () => {
  it('splits [n, dim] into rows; a bare string is one input', async () => {
    const many = await tritonProvider.embedding(
      { model: 'triton/embedder', input: ['a', 'b c'] },
      context(emu.url, 'embedder'),
    );
    expect(many.data.data.map(d => d.embedding.length)).toEqual([3, 3]);
    expect(many.data.data.map(d => d.index)).toEqual([0, 1]);
    const one = await tritonProvider.embedding(
      { model: 'triton/embedder', input: 'hello' },
      context(emu.url, 'embedder'),
    );
    expect((lastBody().inputs as Array<{ shape: number[] }>)[0]?.shape).toEqual([1]);
    expect(one.data.data).toHaveLength(1);
    expect(one.data.usage).toMatchObject({ prompt_tokens: 2, estimated: true });
  });

  it('base64 encoding_format gives little-endian float32', async () => {
    const floats = await tritonProvider.embedding(
      { model: 'triton/embedder', input: ['x'] },
      context(emu.url, 'embedder'),
    );
    const b64 = await tritonProvider.embedding(
      { model: 'triton/embedder', input: ['x'], encoding_format: 'base64' },
      context(emu.url, 'embedder'),
    );
    const raw = Buffer.from(b64.data.data[0]?.embedding as string, 'base64');
    const decoded = Array.from(
      new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)),
    );
    expect(decoded).toEqual((floats.data.data[0]!.embedding as number[]).map(n => Math.fround(n)));
  });
});

describe('errors and faults against the emulator', () => {
  it('unknown model: NotFoundError with the TritonException prefix', async () => {
    const error = await rejection(
      tritonProvider.chat({ model: 'triton/foo', messages: ask('hi') }, context(emu.url, 'foo')),
    );
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(error.message).toBe("TritonException - Request for unknown model: 'foo' is not found");
  });

  it('an injected 503 is ServiceUnavailableError; malformed JSON is BadGatewayError', async () => {
    emu.inject({ status: 503, path: '/v2/models/ensemble/generate' });
    const unavailable = await rejection(
      tritonProvider.chat(
        { model: 'triton/ensemble', messages: ask('hi') },
        context(emu.url, 'ensemble'),
      ),
    );
    expect(ServiceUnavailableError.isInstance(unavailable)).toBe(true);
    expect(unavailable.message.startsWith('TritonException - ')).toBe(true);
    emu.inject({ malformedJson: true, path: '/v2/models/ensemble/generate' });
    const garbled = await rejection(
      tritonProvider.chat(
        { model: 'triton/ensemble', messages: ask('hi') },
        context(emu.url, 'ensemble'),
      ),
    );
    expect(BadGatewayError.isInstance(garbled)).toBe(true);
  });

  it('an in-band error event mid-stream is thrown by the iterator', async () => {
    const { stream } = await tritonProvider.chatStream(
      { model: 'triton/streamer', messages: ask('hi'), max_tokens: 50 },
      context(emu.url, 'streamer', { headers: { 'x-switchyard-fault': 'stream-error-after=2' } }),
    );
    const seen: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    );
    expect(seen).toHaveLength(2);
    expect(InternalServerError.isInstance(error) || APIError.isInstance(error)).toBe(true);
    expect(error.message.startsWith('TritonException - ')).toBe(true);
  });

  it('sends the bearer key and headers it is given, and none by default', async () => {
    await tritonProvider.chat(
      { model: 'triton/ensemble', messages: ask('hi') },
      context(emu.url, 'ensemble'),
    );
    expect(emu.requests.entries.at(-1)?.headers.authorization).toBeUndefined();
    await tritonProvider.chat(
      { model: 'triton/ensemble', messages: ask('hi') },
      context(emu.url, 'ensemble', { apiKey: 'gw-key', headers: { 'x-tenant': 't1' } }),
    );
    expect(emu.requests.entries.at(-1)?.headers).toMatchObject({
      authorization: 'Bearer gw-key',
      'x-tenant': 't1',
    });
  });
});

describe('binary tensor answers from the emulator (triton_binary_output)', () => {
  it('decodes binary text for chat and binary FP32 for embeddings', async () => {
    const chat = await tritonProvider.chat(
      { model: 'triton/echo', messages: ask('bin') },
      context(`${emu.url}/v2/models/echo/infer`, 'echo', {
        options: { triton_binary_output: true },
      }),
    );
    expect(lastBody().parameters).toEqual({ binary_data_output: true });
    expect(chat.data.choices[0]?.message.content).toBe('echo:bin|max=20');
    const json = await tritonProvider.embedding(
      { model: 'triton/embedder', input: ['q'] },
      context(emu.url, 'embedder'),
    );
    const binary = await tritonProvider.embedding(
      { model: 'triton/embedder', input: ['q'] },
      context(emu.url, 'embedder', { options: { triton_binary_output: true } }),
    );
    expect(binary.data.data[0]?.embedding).toEqual(
      (json.data.data[0]!.embedding as number[]).map(n => Math.fround(n)),
    );
  });
});

describe('deadlines and cancellation against the emulator', () => {
  it('timeoutMs covers /generate and the whole /infer body read', async () => {
    const slow = { 'x-switchyard-fault': 'delay-ms=2000' };
    const generate = await rejection(
      tritonProvider.chat(
        { model: 'triton/ensemble', messages: ask('hi') },
        context(emu.url, 'ensemble', { timeoutMs: 100, headers: slow }),
      ),
    );
    expect(Timeout.isInstance(generate)).toBe(true);
    const infer = await rejection(
      tritonProvider.chat(
        { model: 'triton/echo', messages: ask('hi') },
        context(`${emu.url}/v2/models/echo/infer`, 'echo', { timeoutMs: 100, headers: slow }),
      ),
    );
    expect(Timeout.isInstance(infer)).toBe(true);
    expect(infer.message).toContain('timed out after 100 ms');
  });

  it('breaking out of a stream closes the upstream request', async () => {
    // Paced, so the stream is still going when the consumer leaves.
    const paced = await startTritonEmulator({
      models: [{ name: 'slow', profile: 'trtllm', decoupled: true }],
      tokensPerSecond: 20,
    });
    try {
      const { stream } = await tritonProvider.chatStream(
        { model: 'triton/slow', messages: ask('cancel me'), max_tokens: 200 },
        context(paced.url, 'slow'),
      );
      for await (const chunk of stream) {
        expect(chunk.choices[0]?.delta.role).toBe('assistant');
        break;
      }
      const entry = await paced.requests.waitFor(
        e => e.path === '/v2/models/slow/generate_stream' && e.aborted,
      );
      expect(entry.aborted).toBe(true);
    } finally {
      await paced.close();
    }
  });
});
