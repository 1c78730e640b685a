/**
 * Mistakes a config author makes, caught at start-up with a message that
 * says what was probably meant: misspelt keys in every section, a model
 * with an unknown provider prefix.
 */
import { fileURLToPath } from 'node:url';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createLogger, parseConfig, startProxy } from '../src/index';
import { post } from './helpers';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const silent = createLogger({ level: 'silent' });

function parseError(raw: Record<string, unknown>): ConfigError {
  try {
    parseConfig(raw, { env: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('misspelt config keys', () => {
  it('stops at a misspelt top-level section, saying which one was meant', () => {
    const error = parseError({ general_setings: { master_key: 'sk-1234' } });
    expect(error.message).toBe(
      'general_setings: not a Switchyard or LiteLLM setting; did you mean general_settings?',
    );
  });

  it('checks inside router_settings, general_settings and litellm_settings, all at once', () => {
    const error = parseError({
      router_settings: { routing_stratgy: 'least-busy' },
      general_settings: { mster_key: 'sk-1234', not_a_setting_at_all: true },
      litellm_settings: { num_retires: 3 },
    });
    expect(error.message.split('\n')).toEqual([
      'litellm_settings.num_retires: not a Switchyard or LiteLLM setting; did you mean num_retries?',
      'router_settings.routing_stratgy: not a Switchyard or LiteLLM setting; did you mean routing_strategy?',
      'general_settings.mster_key: not a Switchyard or LiteLLM setting; did you mean master_key?',
      'general_settings.not_a_setting_at_all: not a Switchyard or LiteLLM setting (docs/proxy.md lists what each section reads)',
    ]);
  });

  it("lists LiteLLM's keys it does not act on once, and starts", () => {
    const { unsupportedKeys } = parseConfig(
      {
        litellm_settings: {
          cache: true,
          success_callback: ['langfuse'],
          callbacks: ['otel', 'prometheus', 'datadog'],
          some_module_flag: 1,
        },
        router_settings: { enable_tag_filtering: true },
        general_settings: { alerting: ['slack'] },
        credential_list: [],
      },
      { env: {} },
    );
    // litellm_settings takes any LiteLLM module attribute, so an unlisted far-off name is listed, not refused.
    expect(unsupportedKeys).toEqual([
      'credential_list',
      'litellm_settings.cache',
      'litellm_settings.some_module_flag',
      'router_settings.enable_tag_filtering',
      'general_settings.alerting',
      // Callbacks are listed by name: otel and prometheus are served, the others are not.
      'litellm_settings.callbacks: datadog',
      'litellm_settings.success_callback: langfuse',
    ]);
  });

  it('accepts api_key: os.environ/X with X set but empty (a vLLM without --api-key)', () => {
    const { config } = parseConfig(
      {
        model_list: [
          {
            model_name: 'm',
            litellm_params: { model: 'hosted_vllm/m', api_key: 'os.environ/EMPTY_KEY' },
          },
        ],
      },
      { env: { EMPTY_KEY: '' } },
    );
    expect(config.model_list[0]!.litellm_params.api_key).toBe('');
  });
});

describe('deployments checked at start-up', () => {
  let vllm: VllmEmulator;
  beforeAll(async () => {
    vllm = await startVllmEmulator({ model: 'facebook/opt-125m' });
  });
  afterAll(() => vllm.close());

  async function startWith(raw: Record<string, unknown>, env: Record<string, string> = {}) {
    const { config } = parseConfig(raw, { env });
    return startProxy({ config, baseDir: fixtures, host: '127.0.0.1', port: 0, logger: silent });
  }

  it('an unknown provider prefix names the deployment, the known prefixes and the likely one', async () => {
    const failure = startWith({
      model_list: [
        { model_name: 'fine', litellm_params: { model: 'hosted_vllm/a', api_base: vllm.url } },
        { model_name: 'typo', litellm_params: { model: 'hostd_vllm/facebook/opt-125m' } },
      ],
    });
    await expect(failure).rejects.toThrow(ConfigError);
    await expect(failure).rejects.toThrow(
      'model_list[1] (typo).litellm_params.model: unknown provider "hostd_vllm" in "hostd_vllm/facebook/opt-125m"; known providers: hosted_vllm, triton, vllm; did you mean hosted_vllm/…?',
    );
  });

  it('a provider loaded from providers: counts as known', async () => {
    const proxy = await startWith({
      providers: ['./acme-provider/index.js'],
      model_list: [{ model_name: 'acme', litellm_params: { model: 'acme/x', api_base: vllm.url } }],
    });
    await proxy.close();
  });

  it('a near miss of a litellm_params setting stops start-up; request defaults pass', async () => {
    const failure = startWith({
      model_list: [
        {
          model_name: 'chat',
          litellm_params: {
            model: 'hosted_vllm/facebook/opt-125m',
            api_bse: vllm.url,
            top_k: 5,
            chat_template_kwargs: { enable_thinking: false },
          },
        },
        {
          model_name: 'triton',
          litellm_params: { model: 'triton/llama', api_base: vllm.url, triton_backed: 'vllm' },
        },
      ],
    });
    await expect(failure).rejects.toThrow(
      [
        'model_list[0] (chat).litellm_params.api_bse: not a Switchyard or LiteLLM setting; did you mean api_base?',
        'model_list[1] (triton).litellm_params.triton_backed: not a Switchyard or LiteLLM setting; did you mean triton_backend?',
      ].join('\n'),
    );
  });

  it('an empty api_key from the environment sends no credential', async () => {
    const proxy = await startWith(
      {
        model_list: [
          {
            model_name: 'chat',
            litellm_params: {
              model: 'hosted_vllm/facebook/opt-125m',
              api_base: vllm.url,
              api_key: 'os.environ/VLLM_KEY',
              top_k: 5,
            },
          },
        ],
      },
      { VLLM_KEY: '' },
    );
    try {
      const res = await post(proxy.url, '/v1/chat/completions', {
        model: 'chat',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(res.status).toBe(200);
      const sent = vllm.requests.entries.at(-1)!;
      expect(sent.headers.authorization).toBeUndefined();
      expect(sent.body).toMatchObject({ top_k: 5 });
    } finally {
      await proxy.close();
    }
  });
});
