import {
  APIConnectionError,
  type FramesIterator,
  type ProviderStream,
  SseFrames,
  Timeout,
} from '@switchyard/core';
import { startVllmEmulator } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { type Invoke, Router, routingInfoOf } from '../src/index';
import { chatCalls, deploymentFor, hello, useEmulators, vllmInvoke } from './helpers';

const emus = useEmulators(2);

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

function pair(extra: Record<string, unknown> = {}, first = emus[0]!) {
  return new Router({
    model_list: [
      deploymentFor(first, 'g', 'first', { order: 0 }),
      deploymentFor(emus[1]!, 'g', 'second', { order: 1 }),
    ],
    invoke: vllmInvoke,
    ...extra,
  });
}

describe('timeouts', () => {
  it('a call over `timeout` fails with Timeout and moves to the next deployment', async () => {
    const router = pair({ timeout: 0.3 });
    emus[0]!.inject({ stallHeadersMs: 3_000 });
    const res = await router.completion(hello('g'));
    expect(res.routing.deploymentId).toBe('second');
    expect(res.routing.attempts[0]?.error?.name).toBe('Timeout');
    expect(res.routing.attempts[0]?.durationMs).toBeLessThan(1_500);
  });

  it('a per-request timeout wins over the router and deployment ones', async () => {
    const router = pair({ timeout: 60 });
    emus[0]!.inject({ stallHeadersMs: 3_000 });
    const err = await router
      .completion(hello('g'), { timeout: 0.2, num_retries: 0, disable_fallbacks: true })
      .catch(e => e);
    expect(Timeout.isInstance(err)).toBe(true);
    expect(routingInfoOf(err)?.deploymentId).toBe('first');
  });
});

describe('streams', () => {
  it('reads the first chunk with nextFrames() when the caller reads frames (CallOptions.frames)', async () => {
    const calls: string[] = [];
    // The provider's own stream over the emulator, noting which read came first.
    const invoke: Invoke = async args => {
      const res = (await vllmInvoke(args)) as ProviderStream<unknown>;
      const inner = res.stream[Symbol.asyncIterator]() as FramesIterator<unknown>;
      const noted: FramesIterator<unknown> & AsyncIterable<unknown> = {
        next: () => {
          calls.push('next');
          return inner.next();
        },
        nextFrames: () => {
          calls.push('nextFrames');
          return inner.nextFrames();
        },
        return: () => inner.return!(),
        [Symbol.asyncIterator]: () => noted,
      };
      return { ...res, stream: noted };
    };
    const router = new Router({ model_list: [deploymentFor(emus[0]!, 'g', 'a')], invoke });
    for (const frames of [false, true]) {
      calls.length = 0;
      const res = await router.completionStream(
        { ...hello('g'), stream: true },
        frames ? { frames } : {},
      );
      const events = res.stream[Symbol.asyncIterator]() as FramesIterator<unknown>;
      let read = 0;
      for (;;) {
        const result = frames ? await events.nextFrames() : await events.next();
        if (result.done) break;
        read += result.value instanceof SseFrames ? result.value.count : 1;
      }
      expect(read).toBeGreaterThan(1);
      expect(calls[0]).toBe(frames ? 'nextFrames' : 'next');
      expect(new Set(calls).size).toBe(1);
    }
  });

  it('streams through the chosen deployment; the promise resolves at the first chunk', async () => {
    const router = pair();
    const res = await router.completionStream({ ...hello('g'), stream: true });
    expect(res.routing.deploymentId).toBe('first');
    const chunks = await collect(res.stream);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).not.toBeUndefined();
  });

  it('stream_timeout bounds the wait for the first chunk; the stream is retried elsewhere', async () => {
    // vLLM sends a role-only chunk at once, so the stall must come before the response starts.
    const router = pair({ stream_timeout: 0.3, timeout: 60 });
    emus[0]!.inject({ delayMs: 3_000 });
    const started = performance.now();
    const res = await router.completionStream({ ...hello('g'), stream: true });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(res.routing.deploymentId).toBe('second');
    expect(res.routing.attempts[0]?.error?.name).toBe('Timeout');
    expect((await collect(res.stream)).length).toBeGreaterThan(0);
    // The slow upstream's request was abandoned, not left running.
    await emus[0]!.requests.waitFor(e => e.aborted);
  });

  it('a stream that breaks before its first chunk is retried', async () => {
    const router = pair();
    emus[0]!.inject({ dropAfter: 0 });
    const res = await router.completionStream({ ...hello('g'), stream: true });
    expect(res.routing.deploymentId).toBe('second');
    expect(res.routing.attemptedRetries).toBe(1);
    expect((await collect(res.stream)).length).toBeGreaterThan(0);
  });

  it('a stream that breaks after its first chunk surfaces the error to the consumer, with routing', async () => {
    const router = pair({ num_retries: 3 });
    emus[0]!.inject({ dropAfter: 2 });
    const res = await router.completionStream({ ...hello('g'), max_tokens: 16, stream: true });
    const got: unknown[] = [];
    const err = await (async () => {
      for await (const chunk of res.stream) got.push(chunk);
    })().catch(e => e);
    expect(got.length).toBeGreaterThanOrEqual(1);
    expect(APIConnectionError.isInstance(err) || Timeout.isInstance(err)).toBe(true);
    expect(routingInfoOf(err)?.deploymentId).toBe('first');
    // Not retried: the consumer already has part of the answer.
    expect(chatCalls(emus[1]!)).toBe(0);
  });

  it('breaking out of a stream aborts the upstream request', async () => {
    const pacedEmu = await startVllmEmulator({ tokensPerSecond: 20 });
    try {
      const router = new Router({
        model_list: [deploymentFor(pacedEmu, 'p', 'p0')],
        invoke: vllmInvoke,
      });
      const res = await router.completionStream({ ...hello('p'), max_tokens: 200, stream: true });
      for await (const _ of res.stream) break;
      await pacedEmu.requests.waitFor(e => e.aborted);
    } finally {
      await pacedEmu.close();
    }
  });

  it('text completion streams too', async () => {
    const router = pair();
    const res = await router.textCompletionStream({
      model: 'g',
      prompt: 'hello',
      max_tokens: 4,
      stream: true,
    });
    expect((await collect(res.stream)).length).toBeGreaterThan(0);
  });
});

describe('other operations', () => {
  it('routes text completions and embeddings', async () => {
    const router = pair();
    const text = await router.textCompletion({ model: 'g', prompt: 'hi', max_tokens: 3 });
    expect(text.data.choices[0]?.text).toEqual(expect.any(String));
    const emb = await router.embedding({ model: 'g', input: 'hi' });
    expect(emb.data.data[0]?.embedding).toHaveLength(8);
    expect(emb.routing.deploymentId).toBe('first');
  });
});
