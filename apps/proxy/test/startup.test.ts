/**
 * Start-up as a user meets it: a port that is taken, two proxies in one
 * data folder, the embedded demo's address and its first Triton answer.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  createLogger,
  loadConfigFile,
  parseConfig,
  type RunningProxy,
  startProxy,
} from '../src/index';
import { post } from './helpers';
import { runProxyCli } from './proxy-process';

const silent = createLogger({ level: 'silent' });
const demoConfig = fileURLToPath(new URL('../../../examples/demo.config.yaml', import.meta.url));
let proxies: RunningProxy[] = [];

afterEach(async () => {
  await Promise.all(proxies.map(p => p.close()));
  proxies = [];
});

/** A config file with a master key (so the data folder is used) in a fresh folder. */
async function keyedConfig(dataDir: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-startup-'));
  const file = join(dir, 'config.yaml');
  await writeFile(
    file,
    [
      'model_list:',
      '  - model_name: m',
      '    litellm_params: { model: hosted_vllm/m, api_base: "http://127.0.0.1:9" }',
      'general_settings:',
      '  master_key: sk-startup-test',
      `  switchyard_data_dir: ${JSON.stringify(dataDir)}`,
    ].join('\n'),
  );
  return file;
}

async function startKeyed(dataDir: string): Promise<RunningProxy> {
  const loaded = await loadConfigFile(await keyedConfig(dataDir), { env: {} });
  const proxy = await startProxy({
    config: loaded.config,
    host: '127.0.0.1',
    port: 0,
    logger: silent,
  });
  proxies.push(proxy);
  return proxy;
}

describe('start-up failures say what is wrong in one line', () => {
  it('a port in use: exit 1, one line naming the port, no stack trace', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    try {
      const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-port-'));
      const { code, stderr } = await runProxyCli([
        ...['--config', await keyedConfig(dataDir)],
        ...['--host', '127.0.0.1', '--port', String(port)],
      ]);
      expect(code).toBe(1);
      expect(stderr).toBe(
        `switchyard: cannot start: port ${port} on 127.0.0.1 is already in use (another switchyard, or another server); choose another with --port or PORT\n`,
      );
      // The failed start let go of its data folder.
      expect(existsSync(join(dataDir, 'proxy.lock'))).toBe(false);
    } finally {
      taken.close();
    }
  });
});

describe('one proxy per data folder', () => {
  it('a second proxy in the same folder is refused, in another process or this one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-lock-'));
    const first = await startKeyed(dataDir);
    expect(readFileSync(join(dataDir, 'proxy.lock'), 'utf8').trim()).toBe(String(process.pid));

    const { code, stderr } = await runProxyCli([
      ...['--config', await keyedConfig(dataDir), '--host', '127.0.0.1', '--port', '0'],
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `another Switchyard proxy (pid ${process.pid}) is using the data folder`,
    );
    expect(stderr).toContain('general_settings.switchyard_data_dir');
    await expect(startKeyed(dataDir)).rejects.toThrow(ConfigError);

    // Once the first stops, the folder is free again.
    await first.close();
    proxies = [];
    expect(existsSync(join(dataDir, 'proxy.lock'))).toBe(false);
    await startKeyed(dataDir);
  });

  it('a lock left by a process that is gone is taken over', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-stale-'));
    const gone = spawn(process.execPath, ['-e', '']);
    await once(gone, 'exit');
    await writeFile(join(dataDir, 'proxy.lock'), `${gone.pid}\n`);
    await startKeyed(dataDir);
    expect(readFileSync(join(dataDir, 'proxy.lock'), 'utf8').trim()).toBe(String(process.pid));
  });

  it('a proxy without a master key does not use (or lock) the folder', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-nokey-'));
    const { config } = parseConfig(
      { general_settings: { switchyard_data_dir: dataDir } },
      { env: {} },
    );
    proxies.push(await startProxy({ config, host: '127.0.0.1', port: 0, logger: silent }));
    expect(existsSync(join(dataDir, 'proxy.lock'))).toBe(false);
  });
});

describe('the embedded demo', () => {
  it('listens on 127.0.0.1 unless told otherwise', async () => {
    const loaded = await loadConfigFile(demoConfig);
    const proxy = await startProxy({ config: loaded.config, port: 0, logger: silent });
    proxies.push(proxy);
    expect(proxy.host).toBe('127.0.0.1');
    expect(proxy.url.startsWith('http://127.0.0.1:')).toBe(true);
  });

  it('its Triton model answers without the prompt in front, with a real finish_reason', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const loaded = await loadConfigFile(demoConfig);
      const proxy = await startProxy({ config: loaded.config, port: 0, logger: silent });
      proxies.push(proxy);
      const prompt = 'Tell me about Triton.';
      const res = await post(proxy.url, '/v1/chat/completions', {
        model: 'triton-llama',
        messages: [{ role: 'user', content: prompt }],
        max_tokens: 8,
      });
      expect(res.status).toBe(200);
      const choice = res.body.choices[0];
      expect(choice.message.content.length).toBeGreaterThan(0);
      expect(choice.message.content).not.toContain(prompt);
      expect(choice.finish_reason).toBe('length');
      expect(warnings.filter(w => w.includes('prompt template'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
