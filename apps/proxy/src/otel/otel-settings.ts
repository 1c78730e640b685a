import { ConfigError } from '../config/config-error';

/** How traces are exported; read from the standard `OTEL_*` variables. */
export interface OtelSettings {
  /** The full URL spans are POSTed to (`…/v1/traces`). */
  endpoint: string;
  /** Sent with every export (`OTEL_EXPORTER_OTLP_TRACES_HEADERS` / `_HEADERS`). */
  headers: Record<string, string>;
  /** OTLP/HTTP body encoding. */
  protocol: 'http/protobuf' | 'http/json';
  /** `service.name` and the other resource attributes. */
  resource: Record<string, string>;
  /** Longest wait for one export before it counts as failed. */
  exportTimeoutMs: number;
  /** Spans held while waiting for export; beyond it new spans are dropped (and counted). */
  maxQueueSize: number;
  /** Most spans in one export request. */
  maxExportBatchSize: number;
  /** Longest a span waits before its batch is sent. */
  scheduleDelayMs: number;
  /** Record prompt and completion text on spans (off unless asked for). */
  captureContent: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_ENDPOINT = 'http://localhost:4318';

/**
 * The exporter settings of the OpenTelemetry specification's environment
 * variables: the signal-specific `OTEL_EXPORTER_OTLP_TRACES_*` over the
 * general `OTEL_EXPORTER_OTLP_*` (whose endpoint gets `/v1/traces`
 * appended; the traces one is used as given), the batch processor's
 * `OTEL_BSP_*`, `OTEL_SERVICE_NAME` over `service.name` in
 * `OTEL_RESOURCE_ATTRIBUTES`. LiteLLM's own `OTEL_ENDPOINT` /
 * `OTEL_HEADERS` are read when the standard ones are absent. Prompt and
 * completion text is recorded only with
 * `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`.
 */
export function resolveOtelSettings(env: Env): OtelSettings {
  const protocol = (
    env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ??
    env.OTEL_EXPORTER_OTLP_PROTOCOL ??
    'http/protobuf'
  ).trim();
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    throw new ConfigError(
      `OTEL_EXPORTER_OTLP_PROTOCOL=${protocol}: Switchyard exports OTLP over HTTP; use http/protobuf or http/json`,
    );
  }
  const resource = parseKeyValues(env.OTEL_RESOURCE_ATTRIBUTES, 'OTEL_RESOURCE_ATTRIBUTES');
  resource['service.name'] = env.OTEL_SERVICE_NAME || resource['service.name'] || 'switchyard';
  return {
    endpoint: tracesEndpoint(env),
    headers: parseKeyValues(
      env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS ?? env.OTEL_HEADERS,
      'OTEL_EXPORTER_OTLP_HEADERS',
    ),
    protocol,
    resource,
    exportTimeoutMs: positiveInt(
      env,
      ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'],
      10_000,
    ),
    maxQueueSize: positiveInt(env, ['OTEL_BSP_MAX_QUEUE_SIZE'], 2048),
    maxExportBatchSize: positiveInt(env, ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE'], 512),
    scheduleDelayMs: positiveInt(env, ['OTEL_BSP_SCHEDULE_DELAY'], 5000),
    captureContent:
      env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT?.toLowerCase() === 'true',
  };
}

function tracesEndpoint(env: Env): string {
  const own = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const url = own
    ? own
    : `${(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_ENDPOINT || DEFAULT_ENDPOINT).replace(/\/+$/, '')}/v1/traces`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`OTEL_EXPORTER_OTLP_ENDPOINT: ${url} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new ConfigError(`OTEL_EXPORTER_OTLP_ENDPOINT: ${url} must be an http:// or https:// URL`);
  return url;
}

/** `k1=v1,k2=v2` with percent-encoded values (the W3C Baggage-like form the spec uses). */
function parseKeyValues(raw: string | undefined, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ConfigError(`${name}: expected key=value pairs separated by commas`);
    try {
      out[decodeURIComponent(part.slice(0, eq).trim())] = decodeURIComponent(
        part.slice(eq + 1).trim(),
      );
    } catch {
      throw new ConfigError(
        `${name}: ${part.slice(0, eq).trim()} has an invalid percent-encoded value`,
      );
    }
  }
  return out;
}

function positiveInt(env: Env, names: readonly string[], fallback: number): number {
  for (const name of names) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0)
      throw new ConfigError(`${name}=${raw}: expected a positive whole number`);
    return value;
  }
  return fallback;
}
