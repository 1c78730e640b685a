import { describe, expect, it } from 'vitest';
import { generateBody, inferBody } from './request-body';
import { layoutRequest } from './request-layout';
import { readSamplingParams } from './sampling-params';
import { toInferTensor } from './tensor-types';

function params(
  request: Record<string, unknown>,
  backend: 'generic' | 'vllm' | 'trtllm' = 'generic',
) {
  return readSamplingParams({ request, backend, dropParams: false, inputFields: ['messages'] });
}

describe('tensor typing', () => {
  it('types by the parameter, not by the JS number', () => {
    expect(toInferTensor({ name: 'temperature', value: 1 })).toEqual({
      name: 'temperature',
      shape: [1],
      datatype: 'FP32',
      data: [1],
    });
    expect(toInferTensor({ name: 'max_tokens', value: 10 }).datatype).toBe('INT32');
    expect(toInferTensor({ name: 'exclude_input_in_output', value: true }).datatype).toBe('BOOL');
    expect(toInferTensor({ name: 'stop_words', value: ['a', 'b'] })).toEqual({
      name: 'stop_words',
      shape: [2],
      datatype: 'BYTES',
      data: ['a', 'b'],
    });
  });

  it('guesses unknown names from the value: bool BOOL, int INT32, float FP32, object BYTES JSON', () => {
    expect(toInferTensor({ name: 'flag', value: false }).datatype).toBe('BOOL');
    expect(toInferTensor({ name: 'beams', value: 3 }).datatype).toBe('INT32');
    expect(toInferTensor({ name: 'alpha', value: 0.5 }).datatype).toBe('FP32');
    expect(toInferTensor({ name: 'cfg', value: { a: 1 } })).toMatchObject({
      datatype: 'BYTES',
      data: ['{"a":1}'],
    });
  });

  it('rejects a value that does not fit the parameter’s type, naming it', () => {
    expect(() => toInferTensor({ name: 'max_tokens', value: 1.5 })).toThrow(
      /max_tokens.*INT32.*integer/,
    );
    expect(() => toInferTensor({ name: 'stream', value: 'yes' })).toThrow(/stream.*BOOL/);
  });
});

describe('generic layout (LiteLLM newest)', () => {
  it('/generate: text_input, parameters.max_tokens as given, stream false, no bad_words/stop_words', () => {
    const body = generateBody(
      layoutRequest({
        backend: 'generic',
        prompt: 'who are u?',
        params: params({ max_tokens: 10 }),
        stream: false,
        endpoint: 'generate',
      }),
    );
    expect(body).toEqual({
      text_input: 'who are u?',
      stream: false,
      parameters: { max_tokens: 10 },
    });
    expect(JSON.stringify(body)).not.toMatch(/bad_words|stop_words/);
  });

  it('/generate: default max_tokens 2000; max_completion_tokens becomes max_tokens; dicts JSON-encoded', () => {
    const body = generateBody(
      layoutRequest({
        backend: 'generic',
        prompt: 'p',
        params: params({
          max_completion_tokens: 7,
          temperature: 0.7,
          top_k: 5,
          extra: { a: true },
        }),
        stream: true,
        endpoint: 'generate',
      }),
    );
    expect(body.parameters).toEqual({
      max_tokens: 7,
      temperature: 0.7,
      top_k: 5,
      extra: '{"a":true}',
    });
    expect(body.stream).toBe(true);
    const defaults = generateBody(
      layoutRequest({
        backend: 'generic',
        prompt: 'p',
        params: params({}),
        stream: false,
        endpoint: 'generate',
      }),
    );
    expect((defaults.parameters as Record<string, unknown>).max_tokens).toBe(2000);
  });

  it('/infer: text_input BYTES then the default max_tokens INT32 [20]; no stream tensor', () => {
    const body = inferBody({
      layout: layoutRequest({
        backend: 'generic',
        prompt: '0004900005025 0004900005026 0004900005027',
        params: params({}),
        stream: false,
        endpoint: 'infer',
      }),
    });
    expect(body.inputs[0]).toEqual({
      name: 'text_input',
      shape: [1],
      datatype: 'BYTES',
      data: ['0004900005025 0004900005026 0004900005027'],
    });
    expect(body.inputs[1]).toEqual({
      name: 'max_tokens',
      shape: [1],
      datatype: 'INT32',
      data: [20],
    });
    expect(body.inputs).toHaveLength(2);
  });

  it('chat_template_kwargs goes to the template, not to Triton', () => {
    const read = params({ chat_template_kwargs: { enable_thinking: false }, max_tokens: 3 });
    expect(read.chatTemplateKwargs).toEqual({ enable_thinking: false });
    const body = generateBody(
      layoutRequest({
        backend: 'generic',
        prompt: 'p',
        params: read,
        stream: false,
        endpoint: 'generate',
      }),
    );
    expect(JSON.stringify(body)).not.toContain('enable_thinking');
  });
});

describe('backend layouts', () => {
  it('vllm: sampling_parameters JSON with stop and seed, exclude_input_in_output and return_* asked', () => {
    const body = generateBody(
      layoutRequest({
        backend: 'vllm',
        prompt: 'p',
        params: params({ max_tokens: 5, temperature: 0, stop: '\n\n', seed: 3, top_k: 2 }, 'vllm'),
        stream: false,
        endpoint: 'generate',
      }),
    );
    expect(body).toMatchObject({
      text_input: 'p',
      stream: false,
      exclude_input_in_output: true,
      return_finish_reason: true,
      return_num_input_tokens: true,
      return_num_output_tokens: true,
    });
    expect(JSON.parse(body.sampling_parameters as string)).toEqual({
      max_tokens: 5,
      temperature: 0,
      seed: 3,
      stop: ['\n\n'],
      top_k: 2,
    });
    expect(body.parameters).toBeUndefined();
  });

  it('trtllm: max_tokens INT32 input, stop as stop_words, bad_words and end_id passed through', () => {
    const layout = layoutRequest({
      backend: 'trtllm',
      prompt: 'p',
      params: params({ stop: ['END'], bad_words: ['x'], end_id: 2, temperature: 1 }, 'trtllm'),
      stream: false,
      endpoint: 'infer',
    });
    const body = inferBody({ layout });
    const byName = Object.fromEntries(body.inputs.map(input => [input.name, input]));
    expect(byName.max_tokens).toEqual({
      name: 'max_tokens',
      shape: [1],
      datatype: 'INT32',
      data: [2000],
    });
    expect(byName.stop_words).toEqual({
      name: 'stop_words',
      shape: [1],
      datatype: 'BYTES',
      data: ['END'],
    });
    expect(byName.bad_words?.datatype).toBe('BYTES');
    expect(byName.end_id?.datatype).toBe('INT32');
    expect(byName.temperature).toEqual({
      name: 'temperature',
      shape: [1],
      datatype: 'FP32',
      data: [1],
    });
    expect(byName.exclude_input_in_output?.data).toEqual([true]);
    expect(byName.stream).toBeUndefined();
  });
});

describe('OpenAI params', () => {
  it('raises UnsupportedParamsError naming the param, unless dropParams', () => {
    for (const [key, value] of [
      ['tools', [{ type: 'function', function: { name: 'f' } }]],
      ['n', 2],
      ['response_format', { type: 'json_object' }],
      ['logprobs', true],
      ['stop', 'x'],
    ] as const) {
      expect(() => params({ [key]: value })).toThrow(new RegExp(`parameter ${key}=`));
    }
    const dropped = readSamplingParams({
      request: { tools: [], n: 2, stop: 'x', max_tokens: 4 },
      backend: 'generic',
      dropParams: true,
      inputFields: ['messages'],
    });
    expect(dropped.maxTokens).toBe(4);
    expect(dropped.extras).toEqual({});
  });

  it('maps max_tokens over max_completion_tokens and keeps top_k as an extra', () => {
    const read = params({ max_tokens: 9, max_completion_tokens: 4, top_k: 40, n: 1 });
    expect(read.maxTokens).toBe(9);
    expect(read.extras).toEqual({ top_k: 40 });
  });
});
