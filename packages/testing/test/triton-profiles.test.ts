/**
 * Each model profile's behaviour over HTTP: the vLLM backend, the TRT-LLM
 * ensemble, mock_llm, the embedding model and the generic tensor model.
 */
import { describe, expect, it } from 'vitest';
import { countTokens, parseSseText, TRITON_SIMPLE_MODEL } from '../src/index';
import { postJson, startTriton } from './triton-helpers';

type Flat = Record<string, unknown>;

async function stream(url: string, body: unknown) {
  const got = await postJson(url, body, { accept: 'text/event-stream' });
  return {
    ...got,
    events:
      got.status === 200 || got.text.startsWith('data: ')
        ? parseSseText(got.text).map(e => e.data as Flat)
        : [],
  };
}

describe('vllm profile', () => {
  const models = [{ name: 'vllm_model', profile: 'vllm' as const }];
  const gen = (url: string) => `${url}/v2/models/vllm_model/generate`;

  it('answers deterministically within the 16-token default, echoing the prompt', async () => {
    const emu = await startTriton({ models });
    const body = {
      text_input: 'Tell me about rivers',
      return_num_input_tokens: true,
      return_num_output_tokens: true,
      return_finish_reason: true,
    };
    const a = (await postJson(gen(emu.url), body)).body as Flat;
    const b = (await postJson(gen(emu.url), body)).body as Flat;
    expect(a).toEqual(b);
    const text = a.text_output as string;
    expect(text.startsWith('Tell me about rivers')).toBe(true);
    const generated = text.slice('Tell me about rivers'.length);
    expect(a.num_output_tokens).toBe(countTokens(generated));
    expect(a.num_output_tokens as number).toBeLessThanOrEqual(16);
    expect(a.num_input_tokens).toBe(4);
    expect(a.finish_reason).toBe((a.num_output_tokens as number) === 16 ? 'length' : 'stop');
    const other = (await postJson(gen(emu.url), { text_input: 'Something else entirely' }))
      .body as Flat;
    expect(other.text_output).not.toBe(text);
  });

  it('honours sampling_parameters: max_tokens, stop and n', async () => {
    const emu = await startTriton({
      models: [{ name: 'vllm_model', profile: 'vllm', scriptedText: 'one two three four five' }],
    });
    const cut = (
      await postJson(gen(emu.url), {
        text_input: 'count',
        exclude_input_in_output: true,
        return_finish_reason: true,
        sampling_parameters: JSON.stringify({ max_tokens: 3 }),
      })
    ).body as Flat;
    expect(cut).toMatchObject({ text_output: 'one two three', finish_reason: 'length' });
    const stopped = (
      await postJson(gen(emu.url), {
        text_input: 'count',
        exclude_input_in_output: true,
        return_finish_reason: true,
        sampling_parameters: JSON.stringify({ max_tokens: 50, stop: [' four'], n: 2 }),
      })
    ).body as Flat;
    expect(stopped.text_output).toEqual(['one two three', 'one two three']);
    expect(stopped.finish_reason).toEqual(['stop', 'stop']);
  });

  it('streams deltas that add up to the whole answer, then refuses /generate for several responses', async () => {
    const emu = await startTriton({ models });
    const whole = (
      await postJson(gen(emu.url), {
        text_input: 'Stream me',
        exclude_input_in_output: true,
      })
    ).body as Flat;
    const s = await stream(`${emu.url}/v2/models/vllm_model/generate_stream`, {
      text_input: 'Stream me',
      stream: true,
      return_finish_reason: true,
      return_num_output_tokens: true,
    });
    expect(s.status).toBe(200);
    expect(s.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(s.events.map(e => e.text_output).join('')).toBe(whole.text_output);
    expect(s.events.slice(0, -1).every(e => e.finish_reason === 'None')).toBe(true);
    expect(['stop', 'length']).toContain(s.events.at(-1)!.finish_reason);
    expect(s.events.every(e => e.num_output_tokens === 1)).toBe(true);
    const multi = await postJson(gen(emu.url), { text_input: 'Stream me', stream: true });
    expect(multi.status).toBe(200);
    expect(multi.body).toEqual({
      error:
        'generate expects model to produce exactly 1 response, use generate stream for model that generates various number of responses',
    });
  });

  it('reports backend failures in the first response with their status, framed as SSE', async () => {
    const emu = await startTriton({ models });
    const s = await stream(`${emu.url}/v2/models/vllm_model/generate_stream`, {
      text_input: 'x',
      stream: true,
      exclude_input_in_output: false,
    });
    expect(s.status).toBe(500);
    expect(s.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(s.events).toEqual([
      {
        error:
          'Error generating stream: When streaming, `exclude_input_in_output` = False is not allowed.',
      },
    ]);
    const bad = await postJson(gen(emu.url), { text_input: 'x', sampling_parameters: '{not json' });
    expect(bad.status).toBe(500);
    expect((bad.body as { error: string }).error).toMatch(/^Error generating stream: /);
  });

  it('serves versioned paths and the bare /generate route for the first model', async () => {
    const emu = await startTriton({
      models: [...models, { name: 'mock_llm', profile: 'mock_llm' }],
    });
    const versioned = await postJson(`${emu.url}/v2/models/vllm_model/versions/1/generate`, {
      text_input: 'hi',
    });
    const bare = await postJson(`${emu.url}/generate`, { text_input: 'hi' });
    expect(versioned.status).toBe(200);
    expect(bare.body).toEqual(versioned.body);
    const config = await fetch(`${emu.url}/v2/models/vllm_model/config`).then(r => r.json());
    expect(config).toMatchObject({
      backend: 'vllm',
      max_batch_size: 0,
      model_transaction_policy: { decoupled: true },
    });
  });
});

describe('trtllm profile', () => {
  it('needs max_tokens, reports it like core, and caps the answer by it', async () => {
    const emu = await startTriton({
      models: [{ name: 'ensemble', profile: 'trtllm', scriptedText: 'a b c d e f' }],
    });
    const url = `${emu.url}/v2/models/ensemble/generate`;
    const missing = await postJson(url, { text_input: 'hi' });
    expect(missing.status).toBe(400);
    expect((missing.body as { error: string }).error).toBe(
      "[request id: <id_unknown>] expected number of inputs between 2 and 24 but got 1 inputs for model 'ensemble'. Got input(s) ['text_input'], but missing required input(s) ['max_tokens']. Please provide all required input(s).",
    );
    const capped = (
      await postJson(url, {
        id: 'req-7',
        text_input: 'hi',
        max_tokens: 4,
        return_num_output_tokens: true,
      })
    ).body as Flat;
    expect(capped).toMatchObject({ id: 'req-7', text_output: 'a b c d', num_output_tokens: 4 });
    expect(capped.output_log_probs).toEqual([0, 0, 0, 0]);
    const stopped = (await postJson(url, { text_input: 'hi', max_tokens: 10, stop_words: [' d'] }))
      .body as Flat;
    expect(stopped.text_output).toBe('a b c');
    const echoed = (
      await postJson(url, { text_input: 'hi', max_tokens: 2, exclude_input_in_output: false })
    ).body as Flat;
    expect(echoed.text_output).toBe('hia b');
  });

  it('streams only when deployed decoupled, and answers /infer otherwise', async () => {
    const emu = await startTriton({
      models: [
        { name: 'ensemble', profile: 'trtllm', scriptedText: 'x y z' },
        { name: 'streaming', profile: 'trtllm', decoupled: true, scriptedText: 'x y z' },
      ],
    });
    const refused = await stream(`${emu.url}/v2/models/ensemble/generate_stream`, {
      text_input: 'q',
      max_tokens: 8,
      stream: true,
    });
    expect(refused.status).toBe(400);
    expect(refused.events[0]!.error).toBe(
      'Streaming is only supported if model is deployed using decoupled mode.',
    );
    const ok = await stream(`${emu.url}/v2/models/streaming/generate_stream`, {
      text_input: 'q',
      max_tokens: 8,
      stream: true,
    });
    expect(ok.events.map(e => e.text_output)).toEqual(['x', ' y', ' z']);
    const infer = await postJson(`${emu.url}/v2/models/ensemble/infer`, {
      inputs: [
        { name: 'text_input', datatype: 'BYTES', shape: [1, 1], data: ['q'] },
        { name: 'max_tokens', datatype: 'INT32', shape: [1, 1], data: [2] },
      ],
      outputs: [{ name: 'text_output' }],
    });
    expect(infer.body).toEqual({
      model_name: 'ensemble',
      model_version: '1',
      outputs: [{ name: 'text_output', datatype: 'BYTES', shape: [1, 1], data: ['x y'] }],
    });
    const decoupledInfer = await postJson(`${emu.url}/v2/models/streaming/infer`, { inputs: [] });
    expect(decoupledInfer.status).toBe(501);
  });
});

describe('mock_llm profile', () => {
  const models = [{ name: 'mock_llm', profile: 'mock_llm' as const }];

  it('fails the last response: first-response error sets the status, a later one comes in-band', async () => {
    const emu = await startTriton({ models });
    const url = `${emu.url}/v2/models/mock_llm/generate_stream`;
    const first = await stream(url, {
      PROMPT: ['hello world'],
      STREAM: true,
      REPETITION: 0,
      FAIL_LAST: true,
    });
    expect(first.status).toBe(500);
    expect(first.events).toEqual([{ error: 'An Error Occurred' }]);
    const later = await stream(url, {
      PROMPT: ['hello world'],
      STREAM: true,
      REPETITION: 1,
      FAIL_LAST: true,
    });
    expect(later.status).toBe(200);
    expect(later.events).toEqual([
      { TEXT: 'hello world', model_name: 'mock_llm', model_version: '1' },
      { error: 'An Error Occurred' },
    ]);
  });

  it('checks input types and counts responses for /generate', async () => {
    const emu = await startTriton({ models });
    const url = `${emu.url}/v2/models/mock_llm/generate`;
    const badBool = await postJson(url, { PROMPT: 'hello', STREAM: 'false' });
    expect(badBool).toMatchObject({
      status: 400,
      body: { error: 'attempt to access JSON non-boolean as boolean' },
    });
    const dupe = await postJson(
      url,
      '{"PROMPT": "hello", "STREAM": false, "STREAM": true, "PROMPT": "duplicate"}',
    );
    expect(dupe).toMatchObject({
      status: 400,
      body: { error: "input 'STREAM' already exists in request" },
    });
    const badString = await postJson(url, { PROMPT: 123, STREAM: false });
    expect(badString.body).toEqual({ error: 'attempt to access JSON non-string as string' });
    expect((await postJson(url, { PROMPT: 'hello world', STREAM: true })).body).toMatchObject({
      TEXT: 'hello world',
    });
    const many = await postJson(url, { PROMPT: 'hello world', STREAM: true, REPETITION: 2 });
    expect((many.body as { error: string }).error).toMatch(
      /^generate expects model to produce exactly 1 response/,
    );
    const none = await postJson(url, { PROMPT: 'hello world', STREAM: true, REPETITION: 0 });
    expect((none.body as { error: string }).error).toMatch(
      /^generate expects model to produce exactly 1 response/,
    );
  });
});

describe('embedding profile', () => {
  it('returns a [batch, dim] FP32 tensor from /infer and OpenAI embeddings from /v1/embeddings', async () => {
    const emu = await startTriton({
      models: [{ name: 'embedder', profile: 'embedding', dimensions: 8 }],
    });
    const infer = await postJson(`${emu.url}/v2/models/embedder/infer`, {
      inputs: [{ name: 'input_text', datatype: 'BYTES', shape: [2], data: ['alpha', 'beta'] }],
    });
    const out = (
      infer.body as {
        outputs: { name: string; datatype: string; shape: number[]; data: number[] }[];
      }
    ).outputs[0]!;
    expect(out).toMatchObject({ name: 'embeddings', datatype: 'FP32', shape: [2, 8] });
    expect(out.data).toHaveLength(16);
    const openai = await postJson(`${emu.url}/v1/embeddings`, {
      model: 'embedder',
      input: ['alpha', 'beta'],
    });
    const body = openai.body as {
      object: string;
      data: { embedding: number[]; index: number }[];
      usage: unknown;
    };
    expect(body.object).toBe('list');
    expect(body.data.map(d => d.index)).toEqual([0, 1]);
    expect(body.data[0]!.embedding).toEqual(out.data.slice(0, 8));
    expect(body.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    const chat = await postJson(`${emu.url}/v1/chat/completions`, {
      model: 'embedder',
      messages: [],
    });
    expect(chat.status).toBe(400);
  });
});

describe('generic profile', () => {
  it("serves Triton's simple add/sub model, with core's input checks", async () => {
    const emu = await startTriton({
      models: [{ name: 'simple', profile: 'generic', generic: TRITON_SIMPLE_MODEL }],
    });
    const url = `${emu.url}/v2/models/simple/infer`;
    const a = Array.from({ length: 16 }, (_, i) => i);
    const b = Array.from({ length: 16 }, () => 1);
    const ok = await postJson(url, {
      id: '1',
      inputs: [
        { name: 'INPUT0', datatype: 'INT32', shape: [1, 16], data: a },
        { name: 'INPUT1', datatype: 'INT32', shape: [1, 16], data: b },
      ],
      outputs: [{ name: 'OUTPUT1' }],
    });
    expect(ok.body).toEqual({
      id: '1',
      model_name: 'simple',
      model_version: '1',
      outputs: [{ name: 'OUTPUT1', datatype: 'INT32', shape: [1, 16], data: a.map(x => x - 1) }],
    });
    const wrongShape = await postJson(url, {
      inputs: [
        { name: 'INPUT0', datatype: 'INT32', shape: [1, 15], data: a.slice(1) },
        { name: 'INPUT1', datatype: 'INT32', shape: [1, 16], data: b },
      ],
    });
    expect(wrongShape.body).toEqual({
      error:
        "[request id: <id_unknown>] unexpected shape for input 'INPUT0' for model 'simple'. Expected [-1,16], got [1,15]",
    });
    const wrongType = await postJson(url, {
      inputs: [
        { name: 'INPUT0', datatype: 'FP32', shape: [1, 16], data: a },
        { name: 'INPUT1', datatype: 'INT32', shape: [1, 16], data: b },
      ],
    });
    expect(wrongType.status).toBe(400);
    expect((wrongType.body as { error: string }).error).toContain(
      "data-type is 'FP32', but model 'simple' expects 'INT32'",
    );
    const tooFew = await postJson(url, {
      inputs: [{ name: 'INPUT0', datatype: 'INT32', shape: [1, 16], data: a }],
    });
    expect(tooFew.status).toBe(400);
    expect((tooFew.body as { error: string }).error).toContain(
      'expected 2 inputs but got 1 inputs',
    );
  });
});
