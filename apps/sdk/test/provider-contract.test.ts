import { APIError, type Provider } from '@switchyard/core';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchyardClient } from '../src/index';
import {
  answersTheCompletion,
  answersTheWrongObject,
  streamsAnArray,
} from './fixtures/contract-breaking-providers';

let vllm: VllmEmulator;
let client: SwitchyardClient;
beforeAll(async () => {
  vllm = await startVllmEmulator({ model: 'facebook/opt-125m' });
  client = new SwitchyardClient();
  for (const provider of [answersTheCompletion, answersTheWrongObject, streamsAnArray]) {
    client.registerProvider(provider as unknown as Provider);
  }
});
afterAll(() => vllm.close());

const call = (prefix: string, extra: Record<string, unknown> = {}) =>
  client.completion({
    model: `${prefix}/facebook/opt-125m`,
    messages: [{ role: 'user', content: 'hi' }],
    api_base: vllm.url,
    num_retries: 2,
    ...extra,
  });

describe('a provider that breaks the contract', () => {
  it('answering the completion itself: says that { data, headers } was expected, and is not retried', async () => {
    const before = vllm.requests.entries.length;
    const error = await call('bare').catch(e => e);
    expect(APIError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'Provider "bare" broke the provider contract: chat() must resolve to ' +
        '{ data: an OpenAI chat.completion object, headers: Record<string, string> }, ' +
        'but its `headers` is missing.',
    );
    expect(error.isRetryable).toBe(false);
    expect(vllm.requests.entries.length - before).toBe(1);
  });

  it('wrapping the wrong object: names the field that is missing', async () => {
    const error = await call('wrongdata').catch(e => e);
    expect(error.message).toContain('but its `data.choices` is missing, not an array.');
  });

  it('streaming an array: says an AsyncIterable was expected', async () => {
    const error = await call('arraystream', { stream: true }).catch(e => e);
    expect(error.message).toBe(
      'Provider "arraystream" broke the provider contract: chatStream() must resolve to ' +
        '{ stream: AsyncIterable of chunks, headers: Record<string, string> }, ' +
        'but its `stream` is an array, not an AsyncIterable.',
    );
  });
});
