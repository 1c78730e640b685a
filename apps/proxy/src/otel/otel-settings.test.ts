import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error';
import { resolveOtelSettings } from './otel-settings';
import { formatTraceParent, newSpanId, newTraceId, parseTraceParent } from './trace-ids';

describe('resolveOtelSettings', () => {
  it('defaults to the local collector over protobuf, as the specification does', () => {
    const s = resolveOtelSettings({});
    expect(s.endpoint).toBe('http://localhost:4318/v1/traces');
    expect(s.protocol).toBe('http/protobuf');
    expect(s.resource['service.name']).toBe('switchyard');
    expect(s.captureContent).toBe(false);
    expect([s.maxQueueSize, s.maxExportBatchSize, s.scheduleDelayMs]).toEqual([2048, 512, 5000]);
  });

  it('appends /v1/traces to the general endpoint and uses the traces endpoint as given', () => {
    expect(resolveOtelSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }).endpoint).toBe(
      'http://c:4318/v1/traces',
    );
    expect(
      resolveOtelSettings({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://t.example/custom',
      }).endpoint,
    ).toBe('https://t.example/custom');
    // LiteLLM's own variable, when the standard one is absent.
    expect(resolveOtelSettings({ OTEL_ENDPOINT: 'http://l:4318' }).endpoint).toBe(
      'http://l:4318/v1/traces',
    );
  });

  it('decodes headers and resource attributes; OTEL_SERVICE_NAME wins over service.name', () => {
    const s = resolveOtelSettings({
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Basic%20abc, x-team = infra',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs,deployment.environment=prod',
      OTEL_SERVICE_NAME: 'gateway',
    });
    expect(s.headers).toEqual({ authorization: 'Basic abc', 'x-team': 'infra' });
    expect(s.resource).toEqual({ 'service.name': 'gateway', 'deployment.environment': 'prod' });
    expect(
      resolveOtelSettings({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'TRUE' })
        .captureContent,
    ).toBe(true);
  });

  it('refuses what it cannot honour, naming the variable', () => {
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /OTEL_EXPORTER_OTLP_PROTOCOL=grpc.*http\/protobuf/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, /OTEL_EXPORTER_OTLP_ENDPOINT/],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://c' }, /http:\/\/ or https:\/\//],
      [{ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, /OTEL_EXPORTER_OTLP_HEADERS/],
      [{ OTEL_BSP_MAX_QUEUE_SIZE: '-1' }, /OTEL_BSP_MAX_QUEUE_SIZE=-1/],
    ];
    for (const [env, message] of bad) {
      expect(() => resolveOtelSettings(env)).toThrow(ConfigError);
      expect(() => resolveOtelSettings(env)).toThrow(message);
    }
  });
});

describe('W3C traceparent', () => {
  it('parses valid headers and ignores invalid ones', () => {
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(parseTraceParent(`00-${id}-00f067aa0ba902b7-01`)).toEqual({
      traceId: id,
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    expect(parseTraceParent(`00-${id}-00f067aa0ba902b7-00`)?.sampled).toBe(false);
    // A later version may append fields; version 00 may not.
    expect(parseTraceParent(`01-${id}-00f067aa0ba902b7-01-extra`)?.traceId).toBe(id);
    for (const bad of [
      `00-${id}-00f067aa0ba902b7-01-extra`,
      `ff-${id}-00f067aa0ba902b7-01`,
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      `00-${id}-${'0'.repeat(16)}-01`,
      `00-${id.toUpperCase()}-00f067aa0ba902b7-01`,
      'garbage',
    ]) {
      expect(parseTraceParent(bad)).toBeUndefined();
    }
    expect(parseTraceParent(undefined)).toBeUndefined();
  });

  it('makes distinct, well-formed ids across pool refills', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i++) ids.add(newTraceId());
    expect(ids.size).toBe(1000);
    expect([...ids].every(id => /^[0-9a-f]{32}$/.test(id))).toBe(true);
    const span = newSpanId();
    expect(formatTraceParent([...ids][0]!, span, true)).toMatch(
      /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/,
    );
  });
});
