import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../src/cli-args';
import { singleModelConfig } from '../src/config/single-model-config';
import { proxyVersion } from '../src/version';

describe('command line', () => {
  it('reads flags in both spellings, with environment defaults', () => {
    const a = parseCliArgs(['--config', 'c.yaml', '--num_workers', '4', '--detailed_debug'], {
      PORT: '5000',
    });
    expect(a).toMatchObject({
      config: 'c.yaml',
      numWorkers: 4,
      detailedDebug: true,
      port: 5000,
      host: undefined,
    });
    expect(parseCliArgs(['-c', 'x.yaml', '--num-workers', '2', '--port', '4100']).port).toBe(4100);
  });

  it('refuses a bad number or a missing config with a usage error', () => {
    expect(() => parseCliArgs(['--config', 'c', '--port', 'eighty'], {})).toThrow(
      '--port: expected an integer >= 0, got "eighty"',
    );
    expect(() => parseCliArgs([], {})).toThrow(UsageError);
    expect(() => parseCliArgs(['--bogus'], {})).toThrow(UsageError);
  });

  it('--version needs no config and prints the version in the package.json', () => {
    expect(parseCliArgs(['--version'], {})).toMatchObject({ version: true });
    expect(parseCliArgs(['-v'], {})).toMatchObject({ version: true });
    const { version } = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    );
    expect(proxyVersion()).toBe(version);
    expect(proxyVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--model starts a one-deployment config', () => {
    const args = parseCliArgs(
      ['--model', 'hosted_vllm/facebook/opt-125m', '--api-base', 'http://h:8000'],
      {},
    );
    const { config } = singleModelConfig({ model: args.model!, apiBase: args.apiBase });
    expect(config.model_list).toEqual([
      {
        model_name: 'hosted_vllm/facebook/opt-125m',
        litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: 'http://h:8000' },
      },
    ]);
  });
});
