/**
 * A client's `traceparent` continued and passed upstream on every API the
 * proxy serves: Anthropic Messages and OpenAI Responses too, whether the
 * deployment translates them to chat or answers them on its own endpoint,
 * and next to the headers a deployment sends on its own.
 */
import Anthropic from '@anthropic-ai/sdk';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MASTER_KEY } from './helpers';
import { startTracedStack, type TracedStack, traceOf, traceparentOf } from './otel-stack';

const CHAT = '/v1/chat/completions';

describe('traceparent passed upstream', () => {
  let traced: TracedStack;
  let side: VllmEmulator;
  let anthropic: Anthropic;
  let openai: OpenAI;

  beforeAll(async () => {
    side = await startVllmEmulator({ model: 'facebook/opt-125m' });
    const model = 'hosted_vllm/facebook/opt-125m';
    traced = await startTracedStack({
      stack: {
        extraModels: [
          {
            model_name: 'native',
            litellm_params: { model, api_base: side.url },
            model_info: { supported_endpoints: ['/v1/messages', '/v1/responses'] },
          },
          {
            model_name: 'with-headers',
            litellm_params: { model, api_base: side.url, extra_headers: { 'x-team': 'ops' } },
          },
        ],
      },
    });
    const baseURL = traced.stack.proxy.url;
    anthropic = new Anthropic({ apiKey: MASTER_KEY, baseURL, maxRetries: 0 });
    openai = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${baseURL}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await traced.close();
    await side.close();
  });
  afterEach(() => {
    traced.stack.vllm.requests.clear();
    side.requests.clear();
  });

  /** The client's trace, continued: the engine's parent is the attempt span, under the proxy's server span. */
  async function expectContinued(
    clientTrace: string,
    clientSpan: string,
    path: string,
    engine: VllmEmulator = traced.stack.vllm,
  ) {
    const upstream = engine.requests.entries.find(e => e.path === path);
    expect(upstream, `an upstream call to ${path}`).toBeDefined();
    const [, traceId, parent, flags] = traceparentOf(upstream!);
    const { server, attempts } = await traceOf(traced.receiver, clientTrace);
    expect(server.parentSpanId).toBe(clientSpan);
    expect(traceId).toBe(clientTrace);
    expect(attempts.map(a => a.spanId)).toEqual([parent]);
    expect(attempts[0]!.parentSpanId).toBe(server.spanId);
    expect(flags).toBe('01');
    return server;
  }

  it('on /v1/messages translated to chat', async () => {
    const clientTrace = '11111111111111111111111111111111';
    const clientSpan = '1111111111111111';
    const message = await anthropic.messages.create(
      { model: 'chat', max_tokens: 4, messages: [{ role: 'user', content: 'hi' }] },
      { headers: { traceparent: `00-${clientTrace}-${clientSpan}-01` } },
    );
    const server = await expectContinued(clientTrace, clientSpan, CHAT);
    expect(server.attributes).toMatchObject({
      'http.route': '/v1/messages',
      'gen_ai.request.model': 'chat',
      'gen_ai.request.max_tokens': 4,
      'gen_ai.response.id': message.id,
    });
  });

  it('on a streamed /v1/responses translated to chat', async () => {
    const clientTrace = '22222222222222222222222222222222';
    const clientSpan = '2222222222222222';
    const stream = await openai.responses.create(
      { model: 'chat', input: 'hi', max_output_tokens: 4, stream: true, store: false },
      { headers: { traceparent: `00-${clientTrace}-${clientSpan}-01` } },
    );
    let last = '';
    for await (const event of stream) last = event.type;
    // Cut at max_output_tokens: the stream still ends with its closing event.
    expect(last).toBe('response.incomplete');
    const server = await expectContinued(clientTrace, clientSpan, CHAT);
    expect(server.attributes['http.route']).toBe('/v1/responses');
  });

  it("on the deployment's own /v1/messages and /v1/responses endpoints", async () => {
    const traces = ['33333333333333333333333333333333', '44444444444444444444444444444444'];
    const clientSpan = '3333333333333333';
    await anthropic.messages.create(
      { model: 'native', max_tokens: 4, messages: [{ role: 'user', content: 'hi' }] },
      { headers: { traceparent: `00-${traces[0]}-${clientSpan}-01` } },
    );
    await expectContinued(traces[0]!, clientSpan, '/v1/messages', side);
    await openai.responses.create(
      { model: 'native', input: 'hi', max_output_tokens: 4, store: false },
      { headers: { traceparent: `00-${traces[1]}-${clientSpan}-01` } },
    );
    await expectContinued(traces[1]!, clientSpan, '/v1/responses', side);
  });

  it('keeps the extra_headers of the deployment, and a request’s own replace them as without tracing', async () => {
    const messages = [{ role: 'user' as const, content: 'hi' }];
    await openai.chat.completions.create({ model: 'with-headers', messages, max_tokens: 2 });
    const plain = side.requests.entries.at(-1)!;
    expect(plain.headers['x-team']).toBe('ops');
    traceparentOf(plain);

    await openai.chat.completions.create({
      model: 'with-headers',
      messages,
      max_tokens: 2,
      extra_headers: { 'x-caller': 'me' },
    } as never);
    const own = side.requests.entries.at(-1)!;
    expect(own.headers['x-caller']).toBe('me');
    expect(own.headers['x-team']).toBeUndefined();
    traceparentOf(own);
  });
});
