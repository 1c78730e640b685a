import { Timeout } from '@switchyard/core';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostedVllmProvider } from '../src/index';
import { contextFor, rejection } from './support/context';

let emulator: VllmEmulator;
beforeAll(async () => {
  // Paced so a 400-token answer takes seconds: the test ends it long before.
  emulator = await startVllmEmulator({ tokensPerSecond: 100 });
});
afterAll(() => emulator.close());

const request = {
  model: 'hosted_vllm/facebook/opt-125m',
  messages: [{ role: 'user' as const, content: 'Tell me a long story.' }],
  max_tokens: 400,
};

describe('cancellation and deadlines', () => {
  it('breaking out of a stream aborts the upstream request', async () => {
    const { stream } = await hostedVllmProvider.chatStream!(request, contextFor(emulator.url));
    let seen = 0;
    for await (const _chunk of stream) {
      if (++seen === 3) break;
    }
    const entry = await emulator.requests.waitFor(
      e => e.path === '/v1/chat/completions' && e.aborted,
    );
    expect(entry.aborted).toBe(true);
  });

  it('an aborted signal ends the stream with an error and frees the upstream', async () => {
    const controller = new AbortController();
    const { stream } = await hostedVllmProvider.chatStream!(
      request,
      contextFor(emulator.url, {
        signal: controller.signal,
        headers: { 'x-request-tag': 'abort-signal' },
      }),
    );
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    // Chunks already buffered may still come out; after them the stream must fail, not end.
    const error = await rejection(
      (async () => {
        for (;;) {
          if ((await iterator.next()).done) return;
        }
      })(),
    );
    expect(error).toBeInstanceOf(Error);
    const entry = await emulator.requests.waitFor(
      e => e.headers['x-request-tag'] === 'abort-signal' && e.aborted,
    );
    expect(entry.aborted).toBe(true);
  });

  it('timeoutMs turns a server that never answers into a Timeout', async () => {
    const error = await rejection(
      hostedVllmProvider.chat!(
        { ...request, max_tokens: 4 },
        contextFor(emulator.url, {
          timeoutMs: 100,
          headers: { 'x-switchyard-fault': 'stall-headers-ms=5000' },
        }),
      ),
    );
    expect(Timeout.isInstance(error), error.message).toBe(true);
  });
});
