import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  type Provider,
  ProviderRegistry,
  parseModel,
  providersFromModule,
} from '../src/index';

describe('parseModel', () => {
  it('splits at the first slash only', () => {
    expect(parseModel('hosted_vllm/facebook/opt-125m')).toEqual({
      provider: 'hosted_vllm',
      model: 'facebook/opt-125m',
    });
    expect(parseModel('triton/llama-3-8b-instruct')).toEqual({
      provider: 'triton',
      model: 'llama-3-8b-instruct',
    });
  });

  it("honours LiteLLM's custom_llm_provider", () => {
    expect(parseModel('qwen3-asr', 'hosted_vllm')).toEqual({
      provider: 'hosted_vllm',
      model: 'qwen3-asr',
    });
    expect(parseModel('hosted_vllm/x', 'hosted_vllm')).toEqual({
      provider: 'hosted_vllm',
      model: 'x',
    });
  });

  it('refuses a model with no provider, as LiteLLM does', () => {
    expect(() => parseModel('gpt-4')).toThrow(
      /^LLM Provider NOT provided\. .* You passed model=gpt-4/,
    );
    expect(() => parseModel('/x')).toThrow(BadRequestError);
    expect(() => parseModel('triton/')).toThrow(/LLM Provider NOT provided/);
  });
});

describe('ProviderRegistry', () => {
  const echo: Provider = { id: 'echo' };

  it('finds registered providers and lists what it knows', async () => {
    const registry = new ProviderRegistry();
    registry.register(echo);
    expect(await registry.resolve('echo')).toBe(echo);
    expect(registry.known()).toEqual(
      expect.arrayContaining(['echo', 'hosted_vllm', 'triton', 'vllm']),
    );
  });

  it('imports a built-in package once, on first use, and registers all it exports', async () => {
    const imported: string[] = [];
    const registry = new ProviderRegistry({
      builtins: { alpha: 'pkg-alpha', beta: 'pkg-alpha' },
      importer: async name => {
        imported.push(name);
        return { providers: [{ id: 'alpha' }, { id: 'beta' }] };
      },
    });
    const [a, b] = await Promise.all([registry.resolve('alpha'), registry.resolve('beta')]);
    expect(a.id).toBe('alpha');
    expect(b.id).toBe('beta');
    expect(imported).toEqual(['pkg-alpha']);
  });

  it('names the install command when a built-in package is missing', async () => {
    const registry = new ProviderRegistry({ builtins: { triton: '@switchyard/no-such-provider' } });
    await expect(registry.resolve('triton')).rejects.toThrow(
      'The provider package @switchyard/no-such-provider is not installed. Install it with `npm install @switchyard/no-such-provider` or `pnpm add @switchyard/no-such-provider`.',
    );
  });

  it('explains an unknown prefix and falls back to a parent registry', async () => {
    const parent = new ProviderRegistry({ builtins: {} });
    parent.register(echo);
    const child = new ProviderRegistry({ builtins: {}, parent });
    expect(await child.resolve('echo')).toBe(echo);
    await expect(child.resolve('openai')).rejects.toThrow(
      /Unknown provider "openai"\. Known providers: echo/,
    );
  });

  it('refuses something that is not a provider', () => {
    const registry = new ProviderRegistry();
    expect(() => registry.register({ id: '' } as Provider)).toThrow(/non-empty string `id`/);
  });
});

describe('providersFromModule', () => {
  const chat = async () => ({ data: { choices: [] }, headers: {} });

  it('finds a provider exported under any name when it implements an operation', () => {
    const myProvider = { id: 'myserver', chat };
    const found = providersFromModule({
      VERSION: '1.0.0',
      defaults: { id: 'a-settings-object', timeoutMs: 5 },
      myProvider,
    });
    expect(found).toEqual([myProvider]);
  });

  it('takes the default export, `provider` and `providers` as they are, each once', () => {
    const first = { id: 'first', chat };
    const second = { id: 'second' };
    const found = providersFromModule({
      default: first,
      provider: first,
      providers: [first, second],
    });
    expect(found.map(p => p.id)).toEqual(['first', 'second']);
  });

  it('finds nothing in a module of other things', () => {
    expect(providersFromModule({ helper: () => 1, config: { id: 'x' } })).toEqual([]);
    expect(providersFromModule(undefined)).toEqual([]);
  });
});
