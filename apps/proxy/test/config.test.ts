import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from '../src/index';

const entry = (params: Record<string, unknown>) => ({
  model_name: 'm',
  litellm_params: { model: 'hosted_vllm/m', ...params },
});

describe('config', () => {
  it('accepts a LiteLLM config unchanged, resolving os.environ/ anywhere', () => {
    const env: Record<string, string | undefined> = {
      VLLM_BASE: 'http://gpu:8000',
      KEY: 'sk-master',
      RPM: '600',
    };
    const { config, unsupportedKeys } = parseConfig(
      {
        model_list: [entry({ api_base: 'os.environ/VLLM_BASE', rpm: 'os.environ/RPM' })],
        litellm_settings: { drop_params: true, num_retries: 3, request_timeout: 600 },
        router_settings: { routing_strategy: 'simple-shuffle', cooldown_time: 30 },
        general_settings: { master_key: 'os.environ/KEY' },
      },
      { env },
    );
    expect(config.model_list[0]!.litellm_params.api_base).toBe('http://gpu:8000');
    expect(config.model_list[0]!.litellm_params.rpm).toBe(600);
    expect(config.general_settings.master_key).toBe('sk-master');
    expect(unsupportedKeys).toEqual([]);
  });

  it('stops on a bad value with the key path and what was expected', () => {
    const raw = { model_list: [entry({}), entry({}), entry({ rpm: 'ten' })] };
    expect(() => parseConfig(raw, { env: {} })).toThrow(ConfigError);
    expect(() => parseConfig(raw, { env: {} })).toThrow(
      'model_list[2].litellm_params.rpm: expected a number, got "ten"',
    );
    expect(() =>
      parseConfig({ model_list: [{ model_name: 'x', litellm_params: {} }] }, { env: {} }),
    ).toThrow('model_list[0].litellm_params.model: is required');
    expect(() =>
      parseConfig({ router_settings: { routing_strategy: 'random' } }, { env: {} }),
    ).toThrow(/router_settings\.routing_strategy: expected one of "simple-shuffle".*got "random"/);
  });

  it('names an unset environment variable and the key that references it', () => {
    expect(() =>
      parseConfig({ general_settings: { master_key: 'os.environ/NOPE' } }, { env: {} }),
    ).toThrow('general_settings.master_key: expected environment variable NOPE to be set');
  });

  it('sets environment_variables before resolving references', () => {
    const env: Record<string, string | undefined> = {};
    const { config } = parseConfig(
      {
        environment_variables: { BASE: 'http://x:1' },
        model_list: [entry({ api_base: 'os.environ/BASE' })],
      },
      { env },
    );
    expect(env.BASE).toBe('http://x:1');
    expect(config.model_list[0]!.litellm_params.api_base).toBe('http://x:1');
  });

  it('reports keys it does not act on, by path, instead of ignoring them silently', () => {
    const { unsupportedKeys } = parseConfig(
      {
        model_list: [],
        litellm_settings: { cache: true, success_callback: ['langfuse'] },
        general_settings: { alerting: ['slack'] },
        credential_list: [],
      },
      { env: {} },
    );
    expect(unsupportedKeys).toEqual([
      'credential_list',
      'litellm_settings.cache',
      'general_settings.alerting',
      'litellm_settings.success_callback: langfuse',
    ]);
  });

  it('reads YAML files and reports YAML syntax errors with the file name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-config-'));
    const good = join(dir, 'good.yaml');
    await writeFile(
      good,
      'model_list:\n  - model_name: a\n    litellm_params:\n      model: hosted_vllm/a\n',
    );
    const loaded = await loadConfigFile(good, { env: {} });
    expect(loaded.config.model_list[0]!.model_name).toBe('a');
    expect(loaded.path).toBe(good);
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'model_list: [\n');
    await expect(loadConfigFile(bad, { env: {} })).rejects.toThrow(/bad\.yaml is not valid YAML/);
    await expect(loadConfigFile(join(dir, 'missing.yaml'))).rejects.toThrow(
      /cannot read config file/,
    );
  });
});
