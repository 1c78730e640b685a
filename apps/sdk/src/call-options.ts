import type { SslOptions } from '@switchyard/core';

/**
 * The per-call settings the SDK understands, in both LiteLLM's snake_case
 * and camelCase, so a LiteLLM example translates word for word:
 * `completion({ model, messages, api_base, num_retries: 2 })` and
 * `completion({ model, messages, apiBase, numRetries: 2 })` are the same call.
 */
export interface CallOptions {
  /** Server base URL (`http://host:8000` or `http://host:8000/v1`). */
  api_base?: string;
  apiBase?: string;
  /** LiteLLM's older spelling of api_base. */
  base_url?: string;
  baseUrl?: string;
  /** Credential sent upstream. */
  api_key?: string;
  apiKey?: string;
  /** Whole-call deadline in **seconds**, as LiteLLM's `timeout`. */
  timeout?: number;
  /** Whole-call deadline in milliseconds (wins over `timeout`). */
  timeoutMs?: number;
  /** Retries of retryable failures, with exponential backoff honouring `retry-after`. */
  num_retries?: number;
  numRetries?: number;
  /** Extra headers sent upstream. */
  headers?: Record<string, string>;
  extra_headers?: Record<string, string>;
  extraHeaders?: Record<string, string>;
  /** Fields merged into the top level of the upstream request body. */
  extra_body?: Record<string, unknown>;
  extraBody?: Record<string, unknown>;
  /** Aborts the call, including a stream being read. */
  signal?: AbortSignal;
  /** Drop OpenAI parameters the provider cannot honour instead of failing. */
  drop_params?: boolean;
  dropParams?: boolean;
  /** Answer with this text (or throw this error) without any network call. */
  mock_response?: string | Error;
  mockResponse?: string | Error;
  /** Treat `model` as belonging to this provider (LiteLLM's `custom_llm_provider`). */
  custom_llm_provider?: string;
  customLlmProvider?: string;
  /** Provider settings passed through untouched (e.g. `{ triton_backend: 'vllm' }`). */
  provider_options?: Record<string, unknown>;
  providerOptions?: Record<string, unknown>;
  /**
   * `messages()` / `responses()`: send the request to the upstream's own
   * `/v1/messages` or `/v1/responses` (vLLM serves both) instead of
   * translating it to chat.
   */
  native_endpoint?: boolean;
  /** LiteLLM's name for `native_endpoint` on `messages()`. */
  disable_anthropic_translation?: boolean;
  /**
   * LiteLLM's `ssl_verify`: `false` skips checking the server's certificate;
   * a string is the path of a CA bundle (PEM) to trust. A connection setting:
   * it picks the connection pool and never reaches the request body.
   */
  ssl_verify?: boolean | string;
  sslVerify?: boolean | string;
  /** LiteLLM's `ssl_certificate`: a client certificate file (with its key), or `[certificate, key]`. */
  ssl_certificate?: string | readonly string[];
  sslCertificate?: string | readonly string[];
}

/** The settings of a call after both spellings were folded together. */
export interface ResolvedCallOptions {
  apiBase?: string;
  apiKey?: string;
  timeoutMs?: number;
  numRetries: number;
  headers?: Record<string, string>;
  extraBody?: Record<string, unknown>;
  signal?: AbortSignal;
  dropParams?: boolean;
  mockResponse?: string | Error;
  customProvider?: string;
  providerOptions: Record<string, unknown>;
  /** The call's own TLS settings, when it gave any (defaults and environment apply later). */
  ssl?: SslOptions;
}

/** Every key of {@link CallOptions}: these never go upstream as request fields. */
export const CALL_OPTION_KEYS: ReadonlySet<string> = new Set([
  'api_base',
  'apiBase',
  'base_url',
  'baseUrl',
  'api_key',
  'apiKey',
  'timeout',
  'timeoutMs',
  'num_retries',
  'numRetries',
  'headers',
  'extra_headers',
  'extraHeaders',
  'extra_body',
  'extraBody',
  'signal',
  'drop_params',
  'dropParams',
  'mock_response',
  'mockResponse',
  'custom_llm_provider',
  'customLlmProvider',
  'provider_options',
  'providerOptions',
  'native_endpoint',
  'disable_anthropic_translation',
  'ssl_verify',
  'sslVerify',
  'ssl_certificate',
  'sslCertificate',
]);

type Bag = Record<string, unknown>;

function pick<T>(bag: Bag, ...keys: string[]): T | undefined {
  for (const key of keys) if (bag[key] !== undefined && bag[key] !== null) return bag[key] as T;
  return undefined;
}

/**
 * Splits a call into the OpenAI request (what goes upstream) and the SDK's
 * settings. Keys a provider declares in `optionKeys` become provider options.
 * The caller's object is never modified.
 */
export function splitCall<R extends Bag>(
  params: R & CallOptions,
  providerOptionKeys: readonly string[] = [],
): { request: R; options: ResolvedCallOptions } {
  const bag = params as Bag;
  const request: Bag = {};
  const providerOptions: Bag = { ...pick<Bag>(bag, 'provider_options', 'providerOptions') };
  for (const key in bag) {
    if (CALL_OPTION_KEYS.has(key)) continue;
    if (providerOptionKeys.includes(key)) providerOptions[key] = bag[key];
    else request[key] = bag[key];
  }
  const extraBody = pick<Bag>(bag, 'extra_body', 'extraBody');
  if (extraBody) Object.assign(request, extraBody);
  const timeoutSeconds = pick<number>(bag, 'timeout');
  const timeoutMs =
    pick<number>(bag, 'timeoutMs') ??
    (timeoutSeconds !== undefined ? Math.round(timeoutSeconds * 1000) : undefined);
  const extraHeaders = pick<Record<string, string>>(bag, 'extra_headers', 'extraHeaders');
  const ownHeaders = pick<Record<string, string>>(bag, 'headers');
  // Most calls set neither; then no object is built.
  const headers = extraHeaders || ownHeaders ? { ...extraHeaders, ...ownHeaders } : undefined;
  const options: ResolvedCallOptions = {
    apiBase: pick(bag, 'api_base', 'apiBase', 'base_url', 'baseUrl'),
    apiKey: pick(bag, 'api_key', 'apiKey'),
    timeoutMs,
    numRetries: pick<number>(bag, 'num_retries', 'numRetries') ?? 0,
    headers: headers && Object.keys(headers).length > 0 ? headers : undefined,
    extraBody,
    signal: pick(bag, 'signal'),
    dropParams: pick(bag, 'drop_params', 'dropParams'),
    mockResponse: pick(bag, 'mock_response', 'mockResponse'),
    customProvider: pick(bag, 'custom_llm_provider', 'customLlmProvider'),
    providerOptions,
    ssl: sslOf(bag),
  };
  return { request: request as R, options };
}

/** The call's TLS settings, or undefined when it gives none (the common case: no object made). */
function sslOf(bag: Bag): SslOptions | undefined {
  const verify = pick<boolean | string>(bag, 'ssl_verify', 'sslVerify');
  const certificate = pick<string | readonly string[]>(bag, 'ssl_certificate', 'sslCertificate');
  if (verify === undefined && certificate === undefined) return undefined;
  return { ssl_verify: verify, ssl_certificate: certificate };
}
