/**
 * A plain `triton/<model>` reads the model's configuration once to choose its
 * request layout, and the finish reason comes from what the backend tells.
 * LiteLLM has no detection: it always sends the generic layout (which makes a
 * vLLM-backend model echo the prompt) and always answers `finish_reason: "stop"`.
 */
import { startTritonEmulator, type TritonEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BackendDetector,
  backendFromConfig,
  configUrlOf,
  createTritonProvider,
} from '../src/index';
import { collect, context, http } from './helpers';

let emu: TritonEmulator;
beforeAll(async () => {
  emu = await startTritonEmulator({
    models: [
      { name: 'vllm_model', profile: 'vllm' },
      { name: 'vllm_twice', profile: 'vllm' },
      { name: 'vllm_slow', profile: 'vllm' },
      { name: 'ensemble', profile: 'trtllm' },
      { name: 'mock_llm', profile: 'mock_llm' },
    ],
  });
});
afterAll(async () => {
  await emu.close();
  await http.close();
});

const messages = [{ role: 'user' as const, content: 'What is Triton?' }];
const configReads = (model: string) =>
  emu.requests.entries.filter(e => e.method === 'GET' && e.path === `/v2/models/${model}/config`)
    .length;
const lastPost = () => emu.requests.entries.filter(e => e.method === 'POST').at(-1)!;

describe('backend detection from /v2/models/{m}/config', () => {
  it('a plain triton/<model> on the vLLM backend gets its layout: no echoed prompt, its finish reason and counts', async () => {
    const provider = createTritonProvider();
    const { data } = await provider.chat(
      { model: 'triton/vllm_model', messages, max_tokens: 4 },
      context(emu.url, 'vllm_model'),
    );
    const body = lastPost().body as Record<string, unknown>;
    expect(body).toMatchObject({
      exclude_input_in_output: true,
      return_finish_reason: true,
      sampling_parameters: JSON.stringify({ max_tokens: 4 }),
    });
    const content = data.choices[0]!.message.content!;
    expect(content).not.toContain('What is Triton?');
    // return_finish_reason: the backend says it stopped at the limit.
    expect(data.choices[0]).toMatchObject({ finish_reason: 'length' });
    expect(data.choices[0]).not.toHaveProperty('finish_reason_assumed');
    expect(data.usage?.completion_tokens).toBe(4);
    expect(data.usage).not.toHaveProperty('estimated');

    await provider.chat(
      { model: 'triton/vllm_model', messages, max_tokens: 4 },
      context(emu.url, 'vllm_model'),
    );
    expect(configReads('vllm_model')).toBe(1);
  });

  it('concurrent first calls share one read', async () => {
    const provider = createTritonProvider();
    await Promise.all(
      [1, 2, 3].map(() =>
        provider.chat(
          { model: 'triton/vllm_twice', messages, max_tokens: 2 },
          context(emu.url, 'vllm_twice'),
        ),
      ),
    );
    expect(configReads('vllm_twice')).toBe(1);
  });

  it('the vLLM backend streams its finish reason on the last event', async () => {
    const { stream } = await createTritonProvider().chatStream(
      { model: 'triton/vllm_model', messages, max_tokens: 3 },
      context(emu.url, 'vllm_model'),
    );
    const chunks = await collect(stream);
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ finish_reason: 'length' });
    expect(chunks.at(-1)?.choices[0]).not.toHaveProperty('finish_reason_assumed');
  });

  it('a TRT-LLM ensemble is detected: settings as input tensors, finish reason from output_log_probs', async () => {
    const { data } = await createTritonProvider().chat(
      { model: 'triton/ensemble', messages, max_tokens: 5 },
      context(emu.url, 'ensemble'),
    );
    expect(lastPost().body).toMatchObject({
      max_tokens: 5,
      exclude_input_in_output: true,
      stream: false,
    });
    expect(data.choices[0]?.finish_reason).toBe('length');
    expect(data.usage?.completion_tokens).toBe(5);
  });

  it('an explicit triton_backend wins and reads nothing', async () => {
    const before = configReads('ensemble');
    await createTritonProvider().chat(
      { model: 'triton/ensemble', messages, max_tokens: 5 },
      context(emu.url, 'ensemble', { options: { triton_backend: 'generic' } }),
    );
    expect(configReads('ensemble')).toBe(before);
    expect(lastPost().body).toMatchObject({ parameters: { max_tokens: 5 } });
  });

  it('a config read that does not answer in time falls back to LiteLLM’s layout, and the call still answers', async () => {
    emu.inject({ path: '/v2/models/vllm_slow/config', delayMs: 5_000 });
    const { data } = await createTritonProvider().chat(
      { model: 'triton/vllm_slow', messages, max_tokens: 4 },
      context(emu.url, 'vllm_slow', { timeoutMs: 1_000 }),
    );
    expect(lastPost().body).toMatchObject({ parameters: { max_tokens: 4 } });
    // The generic layout asks for nothing: the vLLM backend echoes the prompt,
    // sends no finish reason, and the one given is LiteLLM's, marked.
    expect(data.choices[0]).toMatchObject({ finish_reason: 'stop', finish_reason_assumed: true });
  });
});

describe('BackendDetector', () => {
  it('remembers a failed read for the retry window, then reads again', async () => {
    let now = 0;
    const detector = new BackendDetector({ now: () => now });
    const ctx = context(emu.url, 'missing');
    const configUrl = `${emu.url}/v2/models/missing/config`;
    expect(await detector.backendFor({ configUrl, headers: {}, ctx })).toBe('generic');
    expect(await detector.backendFor({ configUrl, headers: {}, ctx })).toBe('generic');
    expect(configReads('missing')).toBe(1);
    now += 60_001;
    await detector.backendFor({ configUrl, headers: {}, ctx });
    expect(configReads('missing')).toBe(2);
  });

  it('reads the backend from real config shapes', async () => {
    const config = async (model: string) =>
      (await http.json({ url: `${emu.url}/v2/models/${model}/config` })).data;
    expect(backendFromConfig(await config('vllm_model'))).toBe('vllm');
    expect(backendFromConfig(await config('ensemble'))).toBe('trtllm');
    expect(backendFromConfig(await config('mock_llm'))).toBe('generic');
    expect(backendFromConfig({ name: 'tensorrt_llm_bls', backend: 'python' })).toBe('trtllm');
    expect(backendFromConfig('nonsense')).toBe('generic');
  });

  it('derives the config URL only from a URL that names a model', () => {
    expect(configUrlOf('http://h:8000/v2/models/m/versions/2/generate_stream')).toBe(
      'http://h:8000/v2/models/m/versions/2/config',
    );
    expect(configUrlOf('http://h:8000/v2/models/m/infer')).toBe('http://h:8000/v2/models/m/config');
    expect(configUrlOf('http://localhost:8000/generate')).toBeUndefined();
  });
});
