import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderRegistry, Router, SwitchyardClient } from '../src/index';
import { type EchoUpstream, echoProvider, startEchoUpstream } from './echo-provider';

// What a deployment's litellm_params turn into on the wire, call after call:
// the router path binds them once per deployment, so these tests check that
// the bound calls send exactly what the general path sends, and that
// requests with options of their own still get them.

let upstream: EchoUpstream;
beforeAll(async () => {
  upstream = await startEchoUpstream();
});
afterAll(() => upstream.close());

function routerWith(litellmParams: Record<string, unknown>, validateRequests = false): Router {
  const providers = new ProviderRegistry();
  providers.register(echoProvider);
  return new Router({
    model_list: [
      {
        model_name: 'group',
        litellm_params: { model: 'echo/served-model', api_base: upstream.url, ...litellmParams },
      },
    ],
    client: new SwitchyardClient({ providers, validateRequests }),
  });
}

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('router calls through the SDK', () => {
  it('sends the deployment defaults, its headers and provider settings on every call', async () => {
    const router = routerWith({
      temperature: 0.3,
      top_k: 7,
      extra_headers: { 'x-team': 'deployment' },
      echo_mode: 'loud',
      rpm: 1000,
    });
    for (const content of ['first', 'second', 'third']) {
      await router.completion({ model: 'group', messages: [{ role: 'user', content }] });
      const sent = upstream.calls.at(-1)!;
      expect(sent.body).toMatchObject({
        model: 'served-model',
        temperature: 0.3,
        top_k: 7,
        echo_mode: 'loud',
        messages: [{ role: 'user', content }],
      });
      // Router-only settings and call options never go upstream as fields.
      expect(sent.body).not.toHaveProperty('rpm');
      expect(sent.body).not.toHaveProperty('api_base');
      expect(sent.body).not.toHaveProperty('extra_headers');
      expect(sent.headers['x-team']).toBe('deployment');
    }
  });

  it('lets the request override the deployment defaults without changing them', async () => {
    const router = routerWith({ temperature: 0.3 });
    await router.completion({ model: 'group', messages, temperature: 0.9 });
    expect(upstream.calls.at(-1)!.body.temperature).toBe(0.9);
    await router.completion({ model: 'group', messages });
    expect(upstream.calls.at(-1)!.body.temperature).toBe(0.3);
  });

  it('honours call options and provider settings a request brings itself', async () => {
    const router = routerWith({ echo_mode: 'loud' });
    await router.completion({
      model: 'group',
      messages,
      extra_headers: { 'x-team': 'request' },
      echo_mode: 'quiet',
    } as never);
    const sent = upstream.calls.at(-1)!;
    expect(sent.headers['x-team']).toBe('request');
    expect(sent.body.echo_mode).toBe('quiet');
    expect(sent.body).not.toHaveProperty('extra_headers');
  });

  it('sends a request extra_headers as a direct call with the same params does', async () => {
    // The proxy's tracing adds `traceparent` this way to every upstream call.
    const deployment = {
      extra_headers: { 'x-team': 'deployment', 'x-region': 'eu' },
      headers: { 'x-auth': 'deployment-auth' },
    };
    const router = routerWith(deployment);
    const own = { 'x-team': 'request', traceparent: '00-a-b-01', 'x-auth': 'request-auth' };
    for (const content of ['first', 'second']) {
      await router.completion({
        model: 'group',
        messages: [{ role: 'user', content }],
        extra_headers: own,
      } as never);
      const viaRouter = upstream.calls.at(-1)!;
      const providers = new ProviderRegistry();
      providers.register(echoProvider);
      await new SwitchyardClient({ providers }).completion({
        model: 'echo/served-model',
        api_base: upstream.url,
        ...deployment,
        messages: [{ role: 'user', content }],
        extra_headers: own,
      } as never);
      const direct = upstream.calls.at(-1)!;
      // The request's extra_headers replace the deployment's; the deployment's `headers` win.
      expect(viaRouter.headers).toMatchObject({
        'x-team': 'request',
        traceparent: '00-a-b-01',
        'x-auth': 'deployment-auth',
      });
      expect(viaRouter.headers['x-region']).toBeUndefined();
      for (const name of ['x-team', 'x-region', 'x-auth', 'traceparent'])
        expect(viaRouter.headers[name]).toBe(direct.headers[name]);
      expect(viaRouter.body).toEqual(direct.body);
      expect(viaRouter.body).not.toHaveProperty('extra_headers');
    }
    // The request's headers did not stick to the deployment.
    await router.completion({ model: 'group', messages });
    expect(upstream.calls.at(-1)!.headers).toMatchObject({
      'x-team': 'deployment',
      'x-region': 'eu',
    });
    expect(upstream.calls.at(-1)!.headers.traceparent).toBeUndefined();
  });

  it('merges a deployment extra_body over the request, as a direct call does', async () => {
    const router = routerWith({ extra_body: { min_p: 0.2 } });
    await router.completion({ model: 'group', messages, min_p: 0.5 } as never);
    expect(upstream.calls.at(-1)!.body.min_p).toBe(0.2);
  });

  it('still validates requests when the client asks for it', async () => {
    const router = routerWith({}, true);
    await expect(
      router.completion({ model: 'group', messages: 'not a list' } as never),
    ).rejects.toThrow(/messages/);
  });
});
