import { BadRequestError, RateLimitError, ServiceUnavailableError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { Router, routingHeaders, routingInfoOf } from '../src/index';
import { chatCalls, deploymentFor, hello, useEmulators, vllmInvoke } from './helpers';

const emus = useEmulators(3);

function threeWay(extra: Record<string, unknown> = {}) {
  return new Router({
    model_list: emus.map((e, i) => deploymentFor(e, 'chat', `d${i}`)),
    invoke: vllmInvoke,
    ...extra,
  });
}

describe('load balancing', () => {
  it('spreads requests over every deployment of a group and reports the one used', async () => {
    const router = threeWay();
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const res = await router.completion(hello('chat'));
      expect(res.data.choices[0]?.message).toBeDefined();
      seen.add(res.routing.deploymentId!);
      expect(res.routing.modelGroup).toBe('chat');
      expect(res.routing.attemptedRetries).toBe(0);
    }
    expect(seen).toEqual(new Set(['d0', 'd1', 'd2']));
    expect(emus.map(chatCalls).reduce((a, b) => a + b)).toBe(30);
  });

  it('honours weights: a zero-weight deployment gets nothing', async () => {
    const router = new Router({
      model_list: [
        deploymentFor(emus[0]!, 'chat', 'heavy', { weight: 1 }),
        deploymentFor(emus[1]!, 'chat', 'none', { weight: 0 }),
      ],
      invoke: vllmInvoke,
    });
    for (let i = 0; i < 10; i++) await router.completion(hello('chat'));
    expect(chatCalls(emus[0]!)).toBe(10);
    expect(chatCalls(emus[1]!)).toBe(0);
  });

  it('reports routing as LiteLLM headers', async () => {
    const router = threeWay();
    const res = await router.completion(hello('chat'));
    const headers = routingHeaders(res.routing);
    expect(headers['x-litellm-model-group']).toBe('chat');
    expect(headers['x-litellm-model-id']).toBe(res.routing.deploymentId);
    expect(headers['x-litellm-attempted-retries']).toBe('0');
    expect(headers['x-litellm-attempted-fallbacks']).toBe('0');
    expect(res.routing.apiBase).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(res.routing.timings.upstreamMs).toBeGreaterThan(0);
  });
});

describe('retries', () => {
  it('never retries on a deployment already tried while another is healthy', async () => {
    const router = threeWay({ num_retries: 2, disable_cooldowns: true });
    for (const e of emus.slice(0, 2)) e.inject({ status: 503, times: 1 });
    emus[2]!.inject({ status: 503, times: 1 });
    // Every deployment fails once: three attempts must hit three different deployments.
    await expect(router.completion(hello('chat'))).rejects.toSatisfy((err: unknown) => {
      const info = routingInfoOf(err)!;
      expect(ServiceUnavailableError.isInstance(err)).toBe(true);
      expect(new Set(info.attempts.map(a => a.deploymentId)).size).toBe(3);
      expect(info.attemptedRetries).toBe(2);
      return true;
    });
    expect(emus.map(chatCalls)).toEqual([1, 1, 1]);
  });

  it('moves to a healthy deployment without waiting and reports the retry', async () => {
    const router = new Router({
      model_list: [
        deploymentFor(emus[0]!, 'chat', 'bad', { order: 1 }),
        deploymentFor(emus[1]!, 'chat', 'good', { order: 2 }),
      ],
      invoke: vllmInvoke,
      // Any backoff would be at least 2 s.
      retry_after: 2,
    });
    emus[0]!.inject({ status: 500 });
    const started = performance.now();
    const res = await router.completion(hello('chat'));
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(res.routing.deploymentId).toBe('good');
    expect(res.routing.attemptedRetries).toBe(1);
    expect(res.routing.attempts.map(a => [a.deploymentId, a.error?.status])).toEqual([
      ['bad', 500],
      ['good', undefined],
    ]);
  });

  it('backs off by retry-after before reusing the only deployment', async () => {
    const router = new Router({
      model_list: [deploymentFor(emus[0]!, 'solo', 's')],
      invoke: vllmInvoke,
    });
    emus[0]!.inject({ status: 429, retryAfter: 1, times: 1 });
    const started = performance.now();
    const res = await router.completion(hello('solo'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(res.routing.attemptedRetries).toBe(1);
    expect(chatCalls(emus[0]!)).toBe(2);
  });

  it('gives up after num_retries and throws the upstream error', async () => {
    const router = new Router({
      model_list: [deploymentFor(emus[0]!, 'solo', 's')],
      invoke: vllmInvoke,
      retry_after: 0,
    });
    emus[0]!.inject({ status: 503, retryAfter: 0, times: 5 });
    const err = await router.completion(hello('solo'), { num_retries: 1 }).catch(e => e);
    expect(ServiceUnavailableError.isInstance(err)).toBe(true);
    expect(routingInfoOf(err)?.attempts).toHaveLength(2);
    expect(chatCalls(emus[0]!)).toBe(2);
  });

  it('does not retry a 400: the request is at fault', async () => {
    const router = threeWay({ num_retries: 3 });
    for (const e of emus) e.inject({ status: 400 });
    const err = await router.completion(hello('chat')).catch(e => e);
    expect(BadRequestError.isInstance(err)).toBe(true);
    expect(routingInfoOf(err)?.attempts).toHaveLength(1);
    expect(emus.map(chatCalls).reduce((a, b) => a + b)).toBe(1);
  });

  it('moves on after a 401 to another deployment, and never back to it', async () => {
    const router = new Router({
      model_list: [
        deploymentFor(emus[0]!, 'chat', 'a', { order: 1 }),
        deploymentFor(emus[1]!, 'chat', 'b', { order: 2 }),
      ],
      invoke: vllmInvoke,
      num_retries: 2,
      disable_cooldowns: true,
    });
    emus[0]!.inject({ status: 401 });
    emus[1]!.inject({ status: 503, retryAfter: 0, times: 2 });
    const err = await router.completion(hello('chat')).catch(e => e);
    const ids = routingInfoOf(err)!.attempts.map(a => a.deploymentId);
    expect(ids[0]).toBe('a');
    expect(ids.slice(1)).toEqual(['b', 'b']);
  });
});

describe('errors', () => {
  it('names the available groups for an unknown model', async () => {
    const router = threeWay({
      model_group_alias: { fast: 'chat', secret: { model: 'chat', hidden: true } },
    });
    const err = await router.completion(hello('nope')).catch(e => e);
    expect(BadRequestError.isInstance(err)).toBe(true);
    expect(err.message).toContain('Available model groups: chat, fast');
    expect(err.message).not.toContain('secret');
    expect(err.param).toBe('model');
  });

  it('rejects bad per-request fields by name', async () => {
    const router = threeWay();
    await expect(router.completion({ ...hello('chat'), num_retries: -1 })).rejects.toThrow(
      /num_retries/,
    );
    await expect(router.completion({ ...hello('chat'), stream: true })).rejects.toThrow(
      /completionStream/,
    );
    await expect(router.completion({ ...hello('chat'), fallbacks: [3] } as never)).rejects.toThrow(
      /fallbacks\[0\]/,
    );
  });

  it('routes aliases and deployment ids', async () => {
    const router = threeWay({ model_group_alias: { fast: 'chat' } });
    expect((await router.completion(hello('fast'))).routing.modelGroup).toBe('chat');
    const direct = await router.completion(hello('d2'));
    expect(direct.routing.deploymentId).toBe('d2');
    expect(chatCalls(emus[2]!)).toBeGreaterThanOrEqual(1);
  });

  it('says "No deployments available" with retry-after when the whole group cools down', async () => {
    const router = new Router({
      model_list: [deploymentFor(emus[0]!, 'pair', 'p0'), deploymentFor(emus[1]!, 'pair', 'p1')],
      invoke: vllmInvoke,
      num_retries: 1,
      cooldown_time: 30,
      fallbacks: [],
    });
    emus[0]!.inject({ status: 429 });
    emus[1]!.inject({ status: 429 });
    const first = await router.completion(hello('pair')).catch(e => e);
    // The request that caused the cooldowns gets the upstream's error, not "no deployments".
    expect(RateLimitError.isInstance(first)).toBe(true);
    expect(first.message).not.toContain('No deployments available');
    const second = await router.completion(hello('pair')).catch(e => e);
    expect(RateLimitError.isInstance(second)).toBe(true);
    expect(second.message).toMatch(
      /^No deployments available for selected model, Try again in (29|30) seconds\. Passed model=pair/,
    );
    expect(second.retryAfterMs).toBeGreaterThan(29_000);
    expect(second.headers['retry-after']).toMatch(/^(29|30)$/);
    expect(emus.map(chatCalls)).toEqual([1, 1, 0]);
  });
});
