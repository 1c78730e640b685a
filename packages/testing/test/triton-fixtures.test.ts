/**
 * Replays every recorded Triton exchange in this package's fixtures folder
 * against the emulator. Errors, metadata and health match exactly. Where a
 * fixture holds generated text, the model is given that text as
 * `scriptedText`, so whole bodies compare exactly; only values a real
 * tokenizer or clock produced (ids, timestamps, token counts, embedding
 * values) are compared by type and checked for internal consistency.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countTokens, replayRequest } from '../src/index';
import { replayPair, startTriton, TRITON_FIXTURES, tritonFixture } from './triton-helpers';

const REPLAYED = [
  '01_health_ready',
  '02_server_metadata',
  '03_model_metadata_vllm',
  '04_model_ready_unknown',
  '05_infer_json',
  '07_generate_vllm_backend',
  '08_generate_trtllm_ensemble',
  '09_generate_stream_mock_llm',
  '11_generate_vllm_embedding',
  '20_generate_error_missing_inputs',
  '22_generate_unknown_model',
  '23_infer_decoupled_unsupported',
  '24_generate_bad_param_type',
  '30_openai_frontend_chat',
  '31_openai_frontend_error',
];

describe('Triton fixtures', () => {
  it('replays every fixture file in the folder', () => {
    const names = readdirSync(TRITON_FIXTURES)
      .filter(f => f.endsWith('.json'))
      .map(f => f.replace(/\.json$/, ''));
    expect(names.sort()).toEqual([...REPLAYED].sort());
  });

  it('01 health: ready, live, not ready (400, empty), wrong method (405)', async () => {
    const f = tritonFixture('01_health_ready');
    const emu = await startTriton({ models: [{ name: 'vllm_model', profile: 'vllm' }] });
    const ready = await replayPair(emu.url, f);
    expect(ready.text).toBe('');
    const [live, notReady, post] = f.also!;
    expect((await replayPair(emu.url, live!)).text).toBe('');
    emu.setReady('vllm_model', false);
    expect((await replayPair(emu.url, notReady!)).text).toBe('');
    emu.setReady('vllm_model', true);
    await replayPair(emu.url, post!);
  });

  it('02 server metadata', async () => {
    const emu = await startTriton({ models: [{ name: 'vllm_model', profile: 'vllm' }] });
    await replayPair(emu.url, tritonFixture('02_server_metadata'));
  });

  it('03 model metadata of a vLLM-backend model', async () => {
    const emu = await startTriton({ models: [{ name: 'vllm_model', profile: 'vllm' }] });
    await replayPair(emu.url, tritonFixture('03_model_metadata_vllm'));
  });

  it('04 readiness of an unknown model, a ready model and an unknown version', async () => {
    const f = tritonFixture('04_model_ready_unknown');
    const emu = await startTriton({ models: [{ name: 'vllm_model', profile: 'vllm' }] });
    await replayPair(emu.url, f);
    for (const pair of f.also!) await replayPair(emu.url, pair);
  });

  it('05 /infer with JSON tensors (the protocol example model, generic by default)', async () => {
    const f = tritonFixture('05_infer_json');
    const emu = await startTriton({ models: [{ name: 'mymodel', profile: 'generic' }] });
    // The spec abbreviates input1's data to one element for a [3] shape; Triton refuses that.
    const abbreviated = await replayRequest(emu.url, f.request);
    expect(abbreviated.status).toBe(500);
    expect(abbreviated.body).toEqual({
      error: "Unable to parse 'data': Shape does not match true shape of 'data' field",
    });
    const body = structuredClone(f.request.body) as { inputs: { data: unknown[] }[] };
    body.inputs[1]!.data = [true, false, true];
    await replayPair(emu.url, { request: { ...f.request, body }, response: f.response });
  });

  it('07 /generate on the vLLM backend echoes the prompt', async () => {
    const f = tritonFixture('07_generate_vllm_backend');
    const prompt = (f.request.body as { text_input: string }).text_input;
    const output = (f.response.body as { text_output: string }).text_output;
    const emu = await startTriton({
      models: [{ name: 'vllm_model', profile: 'vllm', scriptedText: output.slice(prompt.length) }],
    });
    await replayPair(emu.url, f);
  });

  it('08 /generate on the TRT-LLM ensemble', async () => {
    const f = tritonFixture('08_generate_trtllm_ensemble');
    const text = (f.response.body as { text_output: string }).text_output;
    const emu = await startTriton({
      models: [{ name: 'ensemble', profile: 'trtllm', scriptedText: text }],
    });
    // One log prob per generated token: the recording's tokenizer made 20, ours counts words.
    const got = await replayPair(emu.url, f, { anyLength: ['output_log_probs'] });
    const body = got.body as { output_log_probs: number[]; text_output: string };
    expect(body.output_log_probs).toHaveLength(countTokens(body.text_output));
  });

  it('09 /generate_stream on mock_llm: three events, no [DONE]', async () => {
    const f = tritonFixture('09_generate_stream_mock_llm');
    const emu = await startTriton({ models: [{ name: 'mock_llm', profile: 'mock_llm' }] });
    const got = await replayPair(emu.url, f);
    expect(got.text).not.toContain('[DONE]');
    expect(
      got.text
        .split('\n\n')
        .filter(Boolean)
        .every(e => e.startsWith('data: ')),
    ).toBe(true);
  });

  it('11 /generate with an embedding_request', async () => {
    const f = tritonFixture('11_generate_vllm_embedding');
    const emu = await startTriton({ models: [{ name: 'all-MiniLM-L6-v2', profile: 'embedding' }] });
    const got = await replayPair(emu.url, f, { loose: ['num_input_tokens', 'text_output'] });
    const body = got.body as { num_input_tokens: number; text_output: string };
    expect(body.num_input_tokens).toBe(countTokens('The food was delicious'));
    // A JSON list inside the string, written with Python's separators.
    expect(body.text_output).toMatch(/^\[-?\d.*, -?\d.*\]$/);
    const vector = JSON.parse(body.text_output) as number[];
    expect(vector).toHaveLength(4);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
  });

  it('20 missing required input', async () => {
    const emu = await startTriton({ models: [{ name: 'mock_llm', profile: 'mock_llm' }] });
    await replayPair(emu.url, tritonFixture('20_generate_error_missing_inputs'));
  });

  it('22 unknown model on /generate', async () => {
    const emu = await startTriton({ models: [{ name: 'ensemble', profile: 'trtllm' }] });
    await replayPair(emu.url, tritonFixture('22_generate_unknown_model'));
  });

  it('23 /infer on a decoupled model is refused with 501', async () => {
    const emu = await startTriton({ models: [{ name: 'vllm_model', profile: 'vllm' }] });
    await replayPair(emu.url, tritonFixture('23_infer_decoupled_unsupported'));
  });

  it('24 request parameters of the wrong type', async () => {
    const f = tritonFixture('24_generate_bad_param_type');
    const emu = await startTriton({ models: [{ name: 'mock_llm', profile: 'mock_llm' }] });
    await replayPair(emu.url, f);
    for (const pair of f.also!) await replayPair(emu.url, pair);
  });

  it('30 OpenAI frontend chat completion', async () => {
    const f = tritonFixture('30_openai_frontend_chat');
    const content = 'This is only a test.';
    const emu = await startTriton({
      models: [{ name: 'llama-3.1-8b-instruct', profile: 'vllm', scriptedText: content }],
    });
    const got = await replayPair(emu.url, f, {
      loose: [
        'id',
        'created',
        'usage.prompt_tokens',
        'usage.completion_tokens',
        'usage.total_tokens',
      ],
    });
    const body = got.body as {
      id: string;
      usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    };
    expect(body.id).toMatch(/^cmpl-[0-9a-f-]{36}$/);
    expect(body.usage.completion_tokens).toBe(countTokens(content));
    expect(body.usage.prompt_tokens).toBe(countTokens('user: Say this is a test!\nassistant:'));
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it('31 OpenAI frontend errors: unknown model (400 / 404) and a restricted API (401)', async () => {
    const f = tritonFixture('31_openai_frontend_error');
    const [unknownCard, restricted] = f.also!;
    const open = await startTriton({
      models: [{ name: 'llama-3.1-8b-instruct', profile: 'vllm' }],
    });
    await replayPair(open.url, f);
    await replayPair(open.url, unknownCard!);
    const locked = await startTriton({
      models: [{ name: 'llama-3.1-8b-instruct', profile: 'vllm' }],
      openaiRestrictedApi: 'inference admin-key s3cret',
    });
    await replayPair(locked.url, restricted!);
    const allowed = await replayRequest(locked.url, restricted!.request, { 'admin-key': 's3cret' });
    expect(allowed.status).toBe(200);
  });
});
