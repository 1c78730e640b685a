import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestError,
  batchCompletion,
  collectStream,
  completion,
  getResponseMeta,
  ProviderRegistry,
  registerProvider,
  ServiceUnavailableError,
  SwitchyardClient,
} from '../src/index';
import { type EchoUpstream, echoProvider, startEchoUpstream } from './echo-provider';

let upstream: EchoUpstream;
beforeAll(async () => {
  upstream = await startEchoUpstream();
  registerProvider(echoProvider);
});
afterAll(() => upstream.close());

const user = (content: string) => [{ role: 'user' as const, content }];

/** Freezes an object graph in place and keeps its (mutable) type, to prove nothing writes to it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('completion()', () => {
  it('calls a registered provider with the prefix stripped and LiteLLM-style options', async () => {
    const response = await completion({
      model: 'echo/facebook/opt-125m',
      messages: user('hello'),
      api_base: upstream.url,
      temperature: 0.2,
      max_tokens: 80,
      top_k: 5,
      extra_body: { min_p: 0.1 },
      extra_headers: { 'x-team': 'a' },
      echo_mode: 'loud',
    });
    expect(response.choices[0]?.message.content).toBe('echo: hello');
    const sent = upstream.calls.at(-1)!;
    expect(sent.body).toMatchObject({
      model: 'facebook/opt-125m',
      temperature: 0.2,
      max_tokens: 80,
      top_k: 5,
      min_p: 0.1,
      echo_mode: 'loud',
    });
    expect(sent.body).not.toHaveProperty('api_base');
    expect(sent.body).not.toHaveProperty('extra_body');
    expect(sent.headers['x-team']).toBe('a');
    const meta = getResponseMeta(response)!;
    expect(meta).toMatchObject({
      provider: 'echo',
      model: 'facebook/opt-125m',
      apiBase: upstream.url,
      attemptedRetries: 0,
    });
    expect(meta.headers['x-upstream']).toBe('echo');
    expect(meta.latencyMs).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(response))).not.toHaveProperty('_hidden_params');
  });

  it('accepts camelCase spellings too, and never modifies the caller object', async () => {
    const params = deepFreeze({
      model: 'echo/m',
      messages: user('frozen'),
      apiBase: upstream.url,
      extraBody: { seed: 7 },
    });
    const response = await completion(params);
    expect(response.choices[0]?.message.content).toBe('echo: frozen');
    expect(upstream.calls.at(-1)!.body.seed).toBe(7);
  });

  it('streams chunks and collects them into a full completion', async () => {
    const stream = await completion({
      model: 'echo/m',
      messages: user('a b'),
      api_base: upstream.url,
      stream: true,
    });
    expect(getResponseMeta(stream)?.headers['x-upstream']).toBe('echo');
    const full = await collectStream(stream);
    expect(full.choices[0]?.message.content).toBe('echo: a b ');
    expect(full.usage).toBeUndefined();
  });

  it('retries retryable failures honouring retry-after, and reports how many', async () => {
    upstream.failures = 2;
    const response = await completion({
      model: 'echo/m',
      messages: user('again'),
      api_base: upstream.url,
      num_retries: 2,
    });
    expect(getResponseMeta(response)?.attemptedRetries).toBe(2);
    upstream.failures = 2;
    await expect(
      completion({
        model: 'echo/m',
        messages: user('again'),
        api_base: upstream.url,
        num_retries: 1,
      }),
    ).rejects.toSatisfy(error => ServiceUnavailableError.isInstance(error));
    upstream.failures = 0;
  });

  it('answers mock_response without any network call', async () => {
    const before = upstream.calls.length;
    const response = await completion({
      model: 'echo/m',
      messages: user('hi'),
      mock_response: 'It is a mock',
    });
    expect(response.choices[0]?.message.content).toBe('It is a mock');
    expect(response.usage?.estimated).toBe(true);
    const stream = await completion({
      model: 'echo/m',
      messages: user('hi'),
      mock_response: 'one two',
      stream: true,
    });
    expect((await collectStream(stream)).choices[0]?.message.content).toBe('one two');
    await expect(
      completion({ model: 'echo/m', messages: user('hi'), mock_response: new Error('boom') }),
    ).rejects.toThrow('boom');
    expect(upstream.calls.length).toBe(before);
  });

  it('rejects bad requests naming the field', async () => {
    await expect(
      completion({
        model: 'echo/m',
        messages: [{ role: 'wizard', content: 'x' }] as never,
        api_base: upstream.url,
      }),
    ).rejects.toThrow(/messages\[0\]\.role/);
    await expect(completion({ model: '', messages: user('x') })).rejects.toSatisfy(e =>
      BadRequestError.isInstance(e),
    );
    await expect(completion({ model: 'gpt-4', messages: user('x') })).rejects.toThrow(
      /LLM Provider NOT provided/,
    );
  });

  it('says which operation a provider lacks', async () => {
    const client = new SwitchyardClient({ providers: new ProviderRegistry({ builtins: {} }) });
    client.registerProvider(echoProvider);
    await expect(
      client.embedding({ model: 'echo/m', input: 'x', api_base: upstream.url }),
    ).rejects.toThrow('Provider "echo" does not support embeddings.');
  });

  it('names the package to install for a built-in provider that is missing', async () => {
    const client = new SwitchyardClient({
      providers: new ProviderRegistry({
        builtins: { triton: '@switchyard/provider-triton-not-installed' },
      }),
    });
    await expect(client.completion({ model: 'triton/llama', messages: user('x') })).rejects.toThrow(
      /npm install @switchyard\/provider-triton-not-installed/,
    );
  });
});

describe('batchCompletion()', () => {
  it('returns one result per conversation, an error in place of a failed one', async () => {
    upstream.failures = 1;
    const results = await batchCompletion({
      model: 'echo/m',
      api_base: upstream.url,
      messages: [user('one'), user('two'), user('three')],
      concurrency: 1,
    });
    expect(results).toHaveLength(3);
    expect(ServiceUnavailableError.isInstance(results[0])).toBe(true);
    expect(
      (results[1] as { choices: { message: { content: string } }[] }).choices[0]?.message.content,
    ).toBe('echo: two');
    expect(
      (results[2] as { choices: { message: { content: string } }[] }).choices[0]?.message.content,
    ).toBe('echo: three');
  });
});

describe('validateRequests: false', () => {
  it('passes a request through unchecked (for callers that validated already)', async () => {
    const client = new SwitchyardClient({ validateRequests: false });
    client.registerProvider(echoProvider);
    const response = await client.completion({
      model: 'echo/m',
      messages: user('unchecked'),
      api_base: upstream.url,
      temperature: 7,
    });
    expect(response.choices[0]?.message.content).toBe('echo: unchecked');
    expect(upstream.calls.at(-1)!.body.temperature).toBe(7);
  });
});
