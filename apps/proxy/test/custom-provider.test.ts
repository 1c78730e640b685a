import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createLogger, parseConfig, startProxy } from '../src/index';
import { post } from './helpers';
import { runProxyCli } from './proxy-process';

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

  it('registers a provider exported under any name, and nothing that only has an id', async () => {
    const proxy = await startWith(['./named-provider/index.js'], 'myserver');
    try {
      expect(proxy.customProviders).toEqual([
        { source: './named-provider/index.js', ids: ['myserver'] },
      ]);
      const r = await post(proxy.url, '/v1/chat/completions', {
        model: 'custom',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(r.status).toBe(200);
      expect(r.body.system_fingerprint).toBe('named-export');
    } finally {
      await proxy.close();
    }
  });

  it("loads a folder through its package.json's exports", async () => {
    const proxy = await startWith(['./folder-provider'], 'folderco');
    try {
      expect(proxy.customProviders).toEqual([{ source: './folder-provider', ids: ['folderco'] }]);
      const r = await post(proxy.url, '/v1/chat/completions', {
        model: 'custom',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(r.status).toBe(200);
      expect(r.body.system_fingerprint).toBe('folder-exports');
    } finally {
      await proxy.close();
    }
  });

  it("loads a folder through its package.json's main", async () => {
    const proxy = await startWith(['./acme-provider/'], 'acme');
    try {
      expect(proxy.customProviders).toEqual([{ source: './acme-provider/', ids: ['acme'] }]);
    } finally {
      await proxy.close();
    }
  });

  it('loads a folder without package.json through its index.js', async () => {
    const proxy = await startWith(['./index-only-provider'], 'indexonly');
    try {
      expect(proxy.customProviders).toEqual([
        { source: './index-only-provider', ids: ['indexonly'] },
      ]);
    } finally {
      await proxy.close();
    }
  });

  it('names the package.json of a folder it cannot read', async () => {
    const error = await startWith(['./bad-manifest-provider'], 'x').catch(e => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      /^providers\[0\]: cannot read .*bad-manifest-provider\/package\.json: /,
    );
  });

  it('answers a provider that breaks the contract with what the contract expects, and keeps serving', async () => {
    const proxy = await startWith(['./wrong-shape-provider/index.js'], 'wrongshape');
    try {
      const request = { model: 'custom', messages: [{ role: 'user', content: 'hi' }] };
      const r = await post(proxy.url, '/v1/chat/completions', request);
      expect(r.status).toBe(500);
      expect(r.body.error.message).toContain(
        'Provider "wrongshape" broke the provider contract: chat() must resolve to ' +
          '{ data: an OpenAI chat.completion object, headers: Record<string, string> }, ' +
          'but its `headers` is missing',
      );
      expect(r.body.error.message).not.toContain('defineProperty');
      // The upstream was called once per request: a contract breach is not retried.
      const before = vllm.requests.entries.length;
      const again = await post(proxy.url, '/v1/chat/completions', request);
      expect(again.status).toBe(500);
      expect(vllm.requests.entries.length - before).toBe(1);
      const health = await fetch(`${proxy.url}/health/liveliness`);
      expect(health.status).toBe(200);
    } finally {
      await proxy.close();
    }
  });

  it('says an example package of the repository is built and listed by folder, not installed', async () => {
    // The real CLI in its own process: there, as in a user's install, the
    // private example package cannot be resolved from the proxy.
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-example-provider-'));
    const configPath = join(dir, 'config.yaml');
    await writeFile(configPath, 'providers:\n  - "@switchyard/example-provider-llamacpp"\n');
    try {
      const { code, stderr } = await runProxyCli(['--config', configPath, '--port', '0']);
      expect(code).toBe(1);
      expect(stderr).toContain(
        'providers[0]: cannot find provider package "@switchyard/example-provider-llamacpp". ' +
          'It is an example kept in the Switchyard repository and is not published to npm',
      );
      expect(stderr).toContain('./examples/provider-llamacpp');
      expect(stderr).not.toContain('npm install');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  /** A proxy with `providers` loaded from the fixtures and one deployment `custom` of `prefix/acme-7b`. */
  async function startWith(providers: string[], prefix: string) {
    const { config } = parseConfig({
      providers,
      model_list: [
        {
          model_name: 'custom',
          litellm_params: { model: `${prefix}/acme-7b`, api_base: vllm.url },
        },
      ],
    });
    return startProxy({ config, baseDir: fixtures, host: '127.0.0.1', port: 0, logger: silent });
  }
});
