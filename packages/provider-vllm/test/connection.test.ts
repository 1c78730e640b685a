import { BadRequestError } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVllmProvider,
  hostedVllmProvider,
  VLLM_PREFIX_DEPRECATION,
  vllmProvider,
} from '../src/index';
import { contextFor, rejection } from './support/context';
import { json, type ScriptedServer, startScriptedServer } from './support/scripted-server';

const embeddingBody = {
  id: 'embd-1',
  object: 'list',
  created: 1,
  model: 'facebook/opt-125m',
  data: [{ index: 0, object: 'embedding', embedding: [0.1, 0.2] }],
  usage: { prompt_tokens: 2, total_tokens: 2, completion_tokens: 0, prompt_tokens_details: null },
};

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer(() => json(embeddingBody));
});
afterAll(() => server.close());
const last = () => server.requests[server.requests.length - 1]!;
const request = { model: 'hosted_vllm/facebook/opt-125m', input: ['Hello world'] };

describe('api_base and api_key', () => {
  it('sends Bearer auth when a key is set, and none for no key, an empty key or fake-api-key', async () => {
    await hostedVllmProvider.embedding!(request, contextFor(server.url, { apiKey: 'sk-real' }));
    expect(last().headers.authorization).toBe('Bearer sk-real');
    for (const apiKey of [undefined, '', 'fake-api-key']) {
      await hostedVllmProvider.embedding!(
        request,
        contextFor(server.url, apiKey === undefined ? {} : { apiKey }),
      );
      expect(last().headers.authorization).toBeUndefined();
    }
  });

  it('lets caller headers through and lets them override auth', async () => {
    await hostedVllmProvider.embedding!(
      request,
      contextFor(server.url, {
        apiKey: 'sk-real',
        headers: { Authorization: 'Token abc', 'x-model-name': 'm1' },
      }),
    );
    expect(last().headers.authorization).toBe('Token abc');
    expect(last().headers['x-model-name']).toBe('m1');
  });

  it('reads HOSTED_VLLM_API_BASE and HOSTED_VLLM_API_KEY when the call has none; the call wins', async () => {
    const provider = createVllmProvider({
      env: { HOSTED_VLLM_API_BASE: `${server.url}/v1/`, HOSTED_VLLM_API_KEY: 'sk-env' },
    });
    const { data } = await provider.embedding!(request, contextFor(undefined));
    expect(data.data[0]!.embedding).toEqual([0.1, 0.2]);
    expect(last().path).toBe('/v1/embeddings');
    expect(last().headers.authorization).toBe('Bearer sk-env');
    expect(last().json).toEqual({ model: 'facebook/opt-125m', input: ['Hello world'] });
    await provider.embedding!(request, contextFor(server.url, { apiKey: 'sk-call' }));
    expect(last().headers.authorization).toBe('Bearer sk-call');
  });

  it('refuses to guess a host when there is no api_base anywhere', async () => {
    const seen = server.requests.length;
    const error = await rejection(
      createVllmProvider({ env: {} }).embedding!(request, contextFor(undefined)),
    );
    expect(BadRequestError.isInstance(error)).toBe(true);
    expect(error.param).toBe('api_base');
    expect(error.message).toContain('HOSTED_VLLM_API_BASE');
    expect(server.requests.length).toBe(seen);
  });

  it('works with a base with and without /v1', async () => {
    for (const base of [server.url, `${server.url}/`, `${server.url}/v1`, `${server.url}/v1/`]) {
      await hostedVllmProvider.embedding!(request, contextFor(base));
      expect(last().path).toBe('/v1/embeddings');
    }
  });
});

describe('the deprecated vllm/ prefix', () => {
  it('behaves as hosted_vllm and warns once that the prefix is deprecated', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      await vllmProvider.embedding!(
        { ...request, model: 'vllm/facebook/opt-125m' },
        contextFor(server.url),
      );
      await vllmProvider.embedding!(
        { ...request, model: 'vllm/facebook/opt-125m' },
        contextFor(server.url),
      );
      // 'warning' is emitted on the next tick; wait for that tick rather than a timer.
      await new Promise(resolve => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(vllmProvider.id).toBe('vllm');
    expect(last().json).toEqual({ model: 'facebook/opt-125m', input: ['Hello world'] });
    const ours = warnings.filter(w => w.message === VLLM_PREFIX_DEPRECATION);
    expect(ours).toHaveLength(1);
    expect(ours[0]!.name).toBe('DeprecationWarning');
  });

  it('needs an api_base like hosted_vllm', async () => {
    const error = await rejection(
      createVllmProvider({ id: 'vllm', env: {} }).chat!(
        { model: 'vllm/m', messages: [{ role: 'user', content: 'hi' }] },
        contextFor(undefined),
      ),
    );
    expect(BadRequestError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^vllm\/ needs the URL of a vLLM server/);
  });
});
