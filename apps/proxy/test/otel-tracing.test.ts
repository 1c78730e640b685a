import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auth, get, MASTER_KEY, post, type Stack } from './helpers';
import { ERROR, startTracedStack, type TracedStack, traceOf, traceparentOf } from './otel-stack';
import type { OtlpReceiver } from './otlp-receiver';

const CHAT = '/v1/chat/completions';

describe('OpenTelemetry traces (callbacks: ["otel"])', () => {
  let traced: TracedStack;
  let receiver: OtlpReceiver;
  let stack: Stack;
  let client: OpenAI;

  beforeAll(async () => {
    traced = await startTracedStack({
      env: {
        OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-token=t%20123',
        OTEL_SERVICE_NAME: 'gateway-under-test',
      },
    });
    ({ receiver, stack } = traced);
    client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `${stack.proxy.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => traced.close());
  afterEach(() => stack.vllm.requests.clear());

  it('continues the client trace, records GenAI attributes and sends the attempt span upstream', async () => {
    const clientTrace = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const clientSpan = '0102030405060708';
    const completion = await client.chat.completions.create(
      {
        model: 'chat',
        messages: [{ role: 'user', content: 'secret prompt text' }],
        temperature: 1,
        top_p: 0.9,
        max_tokens: 5,
        stop: ['\n\n'],
      },
      { headers: { traceparent: `00-${clientTrace}-${clientSpan}-01`, tracestate: 'vendor=x' } },
    );
    const { server, attempts } = await traceOf(receiver, clientTrace);

    expect(server.parentSpanId).toBe(clientSpan);
    expect(server.name).toBe('chat chat');
    expect(server.resource['service.name']).toBe('gateway-under-test');
    expect(server.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'hosted_vllm',
      'gen_ai.request.model': 'chat',
      'gen_ai.request.temperature': 1,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.max_tokens': 5,
      'gen_ai.request.stop_sequences': ['\n\n'],
      'gen_ai.response.model': completion.model,
      'gen_ai.response.id': completion.id,
      'gen_ai.response.finish_reasons': [completion.choices[0]!.finish_reason],
      'gen_ai.usage.input_tokens': completion.usage!.prompt_tokens,
      'gen_ai.usage.output_tokens': completion.usage!.completion_tokens,
      'http.route': CHAT,
      'http.response.status_code': 200,
    });
    // Prompt and completion text stay out unless capture is turned on.
    expect(JSON.stringify(server.attributes)).not.toContain('secret prompt text');
    expect(server.status.code).not.toBe(ERROR);

    expect(attempts).toHaveLength(1);
    const [attempt] = attempts;
    expect(attempt!.parentSpanId).toBe(server.spanId);
    expect(attempt!.attributes).toMatchObject({
      'gen_ai.request.model': 'facebook/opt-125m',
      'switchyard.attempt.kind': 'first',
      'server.address': '127.0.0.1',
    });
    expect(attempt!.startNs).toBeGreaterThanOrEqual(server.startNs - 1_000_000n);
    expect(attempt!.endNs).toBeLessThanOrEqual(server.endNs + 1_000_000n);

    // The engine got the attempt's span as its parent, in the client's trace.
    const upstream = stack.vllm.requests.entries.find(e => e.path === CHAT)!;
    expect(traceparentOf(upstream)).toEqual(['00', clientTrace, attempt!.spanId, '01']);
    expect(upstream.headers.tracestate).toBe('vendor=x');
    // Exporter settings from the environment: protobuf by default, with the configured headers.
    const exp = receiver.exports.find(e => e.spans.includes(server))!;
    expect(exp.contentType).toBe('application/x-protobuf');
    expect(exp.headers['x-collector-token']).toBe('t 123');
  });

  it('starts a new trace without a traceparent, and streams get a first-token event', async () => {
    const stream = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'stream me' }],
      max_tokens: 6,
      stream: true,
    });
    let id = '';
    for await (const chunk of stream) id = chunk.id;
    const upstream = stack.vllm.requests.entries.find(e => e.path === CHAT)!;
    const [, traceId, attemptSpan] = traceparentOf(upstream);
    const { server, attempts } = await traceOf(receiver, traceId!);

    expect(server.parentSpanId).toBeUndefined();
    expect(attempts[0]!.spanId).toBe(attemptSpan);
    expect(server.attributes['gen_ai.response.id']).toBe(id);
    expect(server.attributes['gen_ai.response.finish_reasons']).toEqual(['length']);
    // The proxy asked the engine for usage on the client's behalf: the counts are reported ones.
    expect(server.attributes['gen_ai.usage.output_tokens']).toBe(6);
    const first = server.events.find(e => e.name === 'gen_ai.first_token')!;
    expect(first.timeNs).toBeGreaterThan(server.startNs);
    expect(first.timeNs).toBeLessThanOrEqual(server.endNs);
    expect(first.attributes['gen_ai.server.time_to_first_token']).toBeGreaterThan(0);
  });

  it('propagates an unsampled trace upstream without exporting it', async () => {
    const unsampled = 'ffeeddccbbaa99887766554433221100';
    const res = await post(
      stack.proxy.url,
      CHAT,
      { model: 'chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 },
      { ...auth(), traceparent: `00-${unsampled}-1111111111111111-00` },
    );
    expect(res.status).toBe(200);
    const upstream = stack.vllm.requests.entries.find(e => e.path === CHAT)!;
    expect(traceparentOf(upstream)[1]).toBe(unsampled);
    expect(traceparentOf(upstream)[3]).toBe('00');
    // A later sampled request's spans arriving shows the exporter ran past the unsampled one.
    const marker = '0123456789abcdef0123456789abcdef';
    await post(
      stack.proxy.url,
      CHAT,
      { model: 'chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 },
      { ...auth(), traceparent: `00-${marker}-2222222222222222-01` },
    );
    await traceOf(receiver, marker);
    expect(receiver.spans.some(s => s.traceId === unsampled)).toBe(false);
  });

  it('marks a refused request on its span and ignores a malformed traceparent', async () => {
    const res = await post(
      stack.proxy.url,
      CHAT,
      { model: 'chat', messages: 'not a list' },
      { ...auth(), traceparent: '00-00000000000000000000000000000000-0102030405060708-01' },
    );
    expect(res.status).toBe(400);
    const spans = await receiver.waitFor(all =>
      all.some(s => s.attributes['http.response.status_code'] === 400),
    );
    const refused = spans.find(s => s.attributes['http.response.status_code'] === 400)!;
    expect(refused.traceId).not.toBe('0'.repeat(32));
    expect(refused.parentSpanId).toBeUndefined();
    expect(refused.attributes['error.type']).toBeDefined();
  });
});

describe('OpenTelemetry attempt spans: retries, fallbacks, cooldowns', () => {
  let traced: TracedStack;
  let receiver: OtlpReceiver;
  let stack: Stack;
  let a: VllmEmulator;
  let b: VllmEmulator;

  beforeAll(async () => {
    a = await startVllmEmulator({ model: 'facebook/opt-125m' });
    b = await startVllmEmulator({ model: 'facebook/opt-125m' });
    const at = (url: string) => ({ model: 'hosted_vllm/facebook/opt-125m', api_base: url });
    traced = await startTracedStack({
      litellmSettings: { callbacks: ['otel'] },
      stack: {
        extraModels: [
          { model_name: 'primary', litellm_params: at(a.url), model_info: { id: 'primary-a' } },
          { model_name: 'primary', litellm_params: at(b.url), model_info: { id: 'primary-b' } },
        ],
        extra: {
          router_settings: {
            num_retries: 1,
            allowed_fails: 0,
            fallbacks: [{ primary: ['chat'] }],
          },
        },
      },
      // The traces endpoint named on its own (the general one left unset), in OTLP/JSON.
      env: url => ({
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${url}/v1/traces`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      }),
    });
    ({ receiver, stack } = traced);
  });
  afterAll(async () => {
    await traced.close();
    await a.close();
    await b.close();
  });

  it('has one span per attempt, each the parent the engine was told about', async () => {
    a.inject({ status: 500, path: CHAT });
    b.inject({ status: 500, path: CHAT });
    const res = await post(
      stack.proxy.url,
      CHAT,
      { model: 'primary', messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 },
      auth(),
    );
    expect(res.status).toBe(200);
    expect(res.headers['x-litellm-attempted-fallbacks']).toBe('1');
    const sent = [
      ...a.requests.entries.filter(e => e.path === CHAT),
      ...b.requests.entries.filter(e => e.path === CHAT),
      ...stack.vllm.requests.entries.filter(e => e.path === CHAT),
    ]
      .sort((x, y) => x.receivedAt - y.receivedAt)
      .map(e => traceparentOf(e));
    expect(sent).toHaveLength(3);
    const traceId = sent[0]![1]!;
    expect(new Set(sent.map(p => p[1]))).toEqual(new Set([traceId]));

    const { server, attempts } = await traceOf(receiver, traceId, 3);
    expect(receiver.exports[0]!.contentType).toBe('application/json');
    attempts.sort(
      (x, y) =>
        Number(x.attributes['switchyard.attempt.number']) -
        Number(y.attributes['switchyard.attempt.number']),
    );
    expect(attempts.map(s => s.spanId)).toEqual(sent.map(p => p[2]));
    expect(attempts.map(s => s.attributes['switchyard.attempt.kind'])).toEqual([
      'first',
      'retry',
      'fallback',
    ]);
    expect(attempts.map(s => s.attributes['switchyard.model_group'])).toEqual([
      'primary',
      'primary',
      'chat',
    ]);
    expect(
      new Set(attempts.slice(0, 2).map(s => s.attributes['switchyard.deployment.id'])),
    ).toEqual(new Set(['primary-a', 'primary-b']));
    for (const failed of attempts.slice(0, 2)) {
      expect(failed.status.code).toBe(ERROR);
      expect(failed.attributes['http.response.status_code']).toBe(500);
      expect(failed.attributes['error.type']).toBeTypeOf('string');
      // allowed_fails: 0 in a group of two: each failure cooled its deployment down.
      expect(failed.attributes['switchyard.deployment.cooling_down']).toBe(true);
    }
    expect(attempts[2]!.status.code).not.toBe(ERROR);
    expect(server.attributes).toMatchObject({
      'switchyard.attempted_fallbacks': 1,
      'switchyard.model_group': 'chat',
      'gen_ai.request.model': 'primary',
    });
  });
});

describe('OpenTelemetry with a collector in trouble', () => {
  it('serves requests while the collector stalls, dropping and counting what does not fit', async () => {
    const { receiver, stack, close } = await startTracedStack({
      keyless: true,
      env: {
        OTEL_BSP_SCHEDULE_DELAY: '10',
        OTEL_BSP_MAX_QUEUE_SIZE: '4',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2',
      },
    });
    let release!: () => void;
    receiver.hold = new Promise<void>(resolve => {
      release = resolve;
    });
    try {
      // Every export hangs; each request still answers (the export is not on its path).
      for (let i = 0; i < 12; i++) {
        const res = await post(stack.proxy.url, CHAT, {
          model: 'chat',
          messages: [{ role: 'user', content: `q${i}` }],
          max_tokens: 1,
        });
        expect(res.status).toBe(200);
      }
      const metrics = await get(stack.proxy.url, '/metrics');
      const dropped = /switchyard_otel_spans_dropped_total\{reason="queue_full"\} (\d+)/.exec(
        metrics.body,
      );
      expect(Number(dropped?.[1])).toBeGreaterThan(0);
    } finally {
      release();
      await close();
    }
  });

  it('counts spans a failing collector refused, and requests keep succeeding', async () => {
    const { receiver, stack, close } = await startTracedStack({
      keyless: true,
      litellmSettings: { success_callback: 'otel', num_retries: 0 },
      env: { OTEL_BSP_SCHEDULE_DELAY: '10' },
    });
    receiver.answer = 503;
    try {
      const res = await post(stack.proxy.url, CHAT, {
        model: 'chat',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 1,
      });
      expect(res.status).toBe(200);
      await receiver.waitFor(spans => spans.length >= 2);
      let failed = 0;
      // The refusal is counted once the export's answer is in: poll the scrape, not the clock.
      for (let i = 0; i < 50 && failed === 0; i++) {
        const metrics = await get(stack.proxy.url, '/metrics');
        failed = Number(
          /switchyard_otel_spans_dropped_total\{reason="export_failed"\} (\d+)/.exec(
            metrics.body,
          )?.[1],
        );
      }
      expect(failed).toBe(2);
    } finally {
      await close();
    }
  });
});
