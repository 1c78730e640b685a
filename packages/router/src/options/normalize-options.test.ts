import { BadRequestError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { deploymentId } from '../deployments/deployment-id';
import type { Invoke } from '../invoke';
import { Router } from '../router';

// Configuration is validated at construction; no call is made in these tests.
const invoke: Invoke = () => Promise.reject(new Error('not called'));
const entry = (extra: Record<string, unknown> = {}) => ({
  model_name: 'g',
  litellm_params: { model: 'hosted_vllm/m', api_base: 'http://127.0.0.1:1/v1', ...extra },
});

function configError(options: Record<string, unknown>): BadRequestError {
  try {
    new Router({ invoke, model_list: [entry()], ...options } as never);
  } catch (error) {
    expect(BadRequestError.isInstance(error)).toBe(true);
    return error as BadRequestError;
  }
  throw new Error('expected a configuration error');
}

describe('deployment ids', () => {
  it('are deterministic hashes of the group name and params, independent of key order', () => {
    const a = new Router({ invoke, model_list: [entry({ rpm: 10 })] }).deployments()[0]!;
    const b = new Router({
      invoke,
      model_list: [
        {
          model_name: 'g',
          litellm_params: { rpm: 10, api_base: 'http://127.0.0.1:1/v1', model: 'hosted_vllm/m' },
        },
      ],
    }).deployments()[0]!;
    expect(a.id).toBe(b.id);
    expect(a.id).toBe(
      deploymentId('g', { model: 'hosted_vllm/m', api_base: 'http://127.0.0.1:1/v1', rpm: 10 }),
    );
    expect(deploymentId('other', a.litellmParams)).not.toBe(a.id);
  });

  it('an explicit model_info.id wins', () => {
    const router = new Router({ invoke, model_list: [{ ...entry(), model_info: { id: 'mine' } }] });
    expect(router.deployments()[0]!.id).toBe('mine');
  });

  it('identical entries without ids are rejected rather than silently merged', () => {
    expect(configError({ model_list: [entry(), entry()] }).message).toContain('model_list[1]');
  });
});

describe('config', () => {
  it('resolves os.environ/ references and names a missing variable', () => {
    const router = new Router({
      invoke,
      env: { KEY: 'secret', RPM: '12' },
      model_list: [entry({ api_key: 'os.environ/KEY', rpm: 'os.environ/RPM' })],
    });
    expect(router.deployments()[0]!.apiKey).toBe('secret');
    expect(router.deployments()[0]!.rpm).toBe(12);
    const err = configError({ env: {}, model_list: [entry({ api_key: 'os.environ/NOPE' })] });
    expect(err.message).toContain('model_list[0].litellm_params.api_key');
    expect(err.message).toContain('NOPE');
  });

  it('accepts camelCase names', () => {
    const router = new Router({
      invoke,
      modelList: [
        {
          modelName: 'g',
          litellmParams: { model: 'hosted_vllm/m', apiBase: 'http://h/v1', rpm: 3 },
          modelInfo: { maxInputTokens: 100 },
        },
      ],
      numRetries: 4,
      modelGroupAlias: { fast: 'g' },
    });
    const d = router.deployments()[0]!;
    expect(d.apiBase).toBe('http://h/v1');
    expect(d.maxInputTokens).toBe(100);
    expect(router.modelGroups()).toEqual(['g', 'fast']);
  });

  it('copies top-level rpm / tpm into litellm_params, as LiteLLM does', () => {
    const router = new Router({ invoke, model_list: [{ ...entry(), rpm: 7, tpm: 700 }] });
    expect(router.deployments()[0]!.rpm).toBe(7);
    expect(router.deployments()[0]!.tpm).toBe(700);
  });

  it('names the bad field', () => {
    expect(configError({ num_retries: -1 }).message).toContain('num_retries');
    expect(configError({ routing_strategy: 'fastest' }).message).toContain('routing_strategy');
    expect(configError({ fallbacks: [{ a: ['b'], c: ['d'] }] }).message).toContain('fallbacks[0]');
    expect(
      configError({ model_list: [{ model_name: 'g', litellm_params: {} }] }).message,
    ).toContain('model_list[0].litellm_params.model');
    expect(configError({ model_list: [entry({ timeout: 'soon' })] }).message).toContain(
      'litellm_params.timeout',
    );
    expect(configError({ cooldownTime: 5, cooldown_time: 6 }).message).toContain('cooldown_time');
    expect(configError({ routing_strategy_typo: 1 }).message).toBe(
      'Unknown router setting routing_strategy_typo',
    );
    expect(configError({ invoke: 'no' }).param).toBe('invoke');
  });

  it('accepts LiteLLM settings it does not act on, so a LiteLLM config loads unchanged', () => {
    expect(
      () =>
        new Router({
          invoke,
          model_list: [entry()],
          cache_responses: true,
          retry_policy: {},
        } as never),
    ).not.toThrow();
  });
});
