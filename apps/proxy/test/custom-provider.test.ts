import { fileURLToPath } from 'node:url';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createLogger, parseConfig, startProxy } from '../src/index';
import { post } from './helpers';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const silent = createLogger({ level: 'silent' });

describe('providers: in config.yaml', () => {
  let vllm: VllmEmulator;
  beforeAll(async () => {
    vllm = await startVllmEmulator({ model: 'acme-7b' });
  });
  afterAll(() => vllm?.close());

  it('imports a provider package at start-up and routes its prefix to it', async () => {
    const { config } = parseConfig({
      providers: ['./acme-provider/index.js'],
      model_list: [
        { model_name: 'acme', litellm_params: { model: 'acme/acme-7b', api_base: vllm.url } },
      ],
    });
    const proxy = await startProxy({
      config,
      baseDir: fixtures,
      host: '127.0.0.1',
      port: 0,
      logger: silent,
    });
    try {
      expect(proxy.customProviders).toEqual([
        { source: './acme-provider/index.js', ids: ['acme'] },
      ]);
      const r = await post(proxy.url, '/v1/chat/completions', {
        model: 'acme',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(r.status).toBe(200);
      expect(r.body.system_fingerprint).toBe('acme-provider');
      const upstream = vllm.requests.entries.at(-1)!;
      expect((upstream.body as { model: string }).model).toBe('acme-7b');
    } finally {
      await proxy.close();
    }
  });

  it('stops start-up naming a package that is not installed', async () => {
    const { config } = parseConfig({ providers: ['@acme/not-installed-provider'] });
    const error = await startProxy({ config, host: '127.0.0.1', port: 0, logger: silent }).catch(
      e => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(
      'providers[0]: cannot find provider package "@acme/not-installed-provider"',
    );
  });

  it('stops start-up when the package exports no provider', async () => {
    const { config } = parseConfig({ providers: ['./no-provider/index.js'] });
    const error = await startProxy({
      config,
      baseDir: fixtures,
      host: '127.0.0.1',
      port: 0,
      logger: silent,
    }).catch(e => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('"./no-provider/index.js" exports no provider');
  });
});
