import { BadRequestError } from '@switchyard/core';
import { type FallbackTarget, parseTargets } from '../fallbacks/fallback-config';
import { isPlainObject, optionalBoolean, optionalNumber } from '../options/checks';

/** Per-call options of the router's methods; they win over the same fields in the request body. */
export interface CallOptions {
  /** Aborts the request, its retries and fallbacks. */
  signal?: AbortSignal;
  /** Fallback groups for this request only (replace the configured chain). */
  fallbacks?: Array<string | ({ model: string } & Record<string, unknown>)>;
  /** Do not fall back for this request. */
  disable_fallbacks?: boolean;
  /** Retries within a group for this request. */
  num_retries?: number;
  /** Seconds per call for this request. */
  timeout?: number;
  /** Seconds until the first chunk for this request. */
  stream_timeout?: number;
  /** Free-form metadata (for strategies and logs; never sent upstream, never echoed). */
  metadata?: Record<string, unknown>;
  /**
   * Client request headers, for strategies keyed on them (session affinity
   * with `session_key: "header:x-session-id"`). Never sent upstream.
   */
  headers?: Record<string, string | string[] | undefined>;
  /**
   * The caller reads the stream with `nextFrames()` (a relay writing runs
   * of events as text): the first chunk, which the router waits for before
   * it hands the stream out, is read that way too, so a translator can
   * write its opening events into the first run instead of handing them
   * out as objects. A caller that sets it must not read with `next()`.
   */
  frames?: boolean;
}

/** The router-only fields of a request, validated. */
export interface RequestControls {
  fallbacks: FallbackTarget[] | undefined;
  disableFallbacks: boolean;
  numRetries: number | undefined;
  timeoutMs: number | undefined;
  streamTimeoutMs: number | undefined;
  metadata: Record<string, unknown> | undefined;
  /** Header names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string> | undefined;
}

/** Body fields the router consumes; they are not sent to the deployment. */
const ROUTER_FIELDS = [
  'fallbacks',
  'context_window_fallbacks',
  'content_policy_fallbacks',
  'disable_fallbacks',
  'num_retries',
  'timeout',
  'request_timeout',
  'stream_timeout',
  'metadata',
] as const;

/**
 * Operations whose API has a `metadata` field of its own: the Responses API
 * echoes it in the response object (and its events), Anthropic's Messages
 * API reads `metadata.user_id`. Their `metadata` stays in the body (the
 * translation to chat leaves it out), as LiteLLM keeps it for those routes;
 * strategies still read it. For chat and the rest it is the router's.
 */
const METADATA_IN_API: ReadonlySet<string> = new Set([
  'messages',
  'messagesStream',
  'responses',
  'responsesStream',
]);

/**
 * Splits a request into what goes upstream and the router's controls (from
 * the body, overridden by `opts`). Bad values are a BadRequestError naming
 * the field. `operation` decides whether `metadata` is the API's own field.
 */
export function splitRequest(
  request: unknown,
  opts: CallOptions | undefined,
  operation?: string,
): { body: Record<string, unknown>; controls: RequestControls } {
  if (!isPlainObject(request)) {
    throw new BadRequestError({
      message: 'Invalid request: expected an object with a model field',
      param: null,
    });
  }
  if (typeof request.model !== 'string' || request.model === '') {
    throw new BadRequestError({
      message: 'Invalid request: model: expected a model group name (non-empty string)',
      param: 'model',
    });
  }
  if (!hasRouterFields(request) && !hasControlOptions(opts)) {
    // The everyday request: nothing for the router to take out, so the body
    // is used as it is (the router never writes to it) and the controls are
    // the defaults, plus the client headers a header-keyed strategy reads.
    const headers = opts?.headers;
    return {
      body: request,
      controls:
        headers === undefined
          ? NO_CONTROLS
          : { ...NO_CONTROLS, headers: normalizeHeaders(headers) },
    };
  }
  const body: Record<string, unknown> = { ...request };
  const raw: Record<string, unknown> = {};
  const keepMetadata = operation !== undefined && METADATA_IN_API.has(operation);
  for (const field of ROUTER_FIELDS) {
    if (field in body) {
      raw[field] = body[field];
      if (field !== 'metadata' || !keepMetadata) delete body[field];
    }
  }
  if (opts !== undefined) {
    for (const key in opts) {
      const value = opts[key as keyof CallOptions];
      if (key !== 'signal' && value !== undefined) raw[key] = value;
    }
  }
  const seconds = (field: string) => {
    const s = optionalNumber(field, raw[field], { min: 0 });
    return s === undefined ? undefined : s * 1000;
  };
  if (raw.metadata !== undefined && raw.metadata !== null && !isPlainObject(raw.metadata)) {
    throw new BadRequestError({
      message: 'Invalid request: metadata: expected an object',
      param: 'metadata',
    });
  }
  return {
    body,
    controls: {
      fallbacks:
        raw.fallbacks === undefined || raw.fallbacks === null
          ? undefined
          : parseTargets('fallbacks', raw.fallbacks, true),
      disableFallbacks:
        asRequestField(() => optionalBoolean('disable_fallbacks', raw.disable_fallbacks)) ?? false,
      numRetries: asRequestField(() =>
        optionalNumber('num_retries', raw.num_retries, { min: 0, integer: true }),
      ),
      timeoutMs: asRequestField(() => seconds('timeout') ?? seconds('request_timeout')),
      streamTimeoutMs: asRequestField(() => seconds('stream_timeout')),
      metadata: (raw.metadata ?? undefined) as Record<string, unknown> | undefined,
      headers: normalizeHeaders(raw.headers),
    },
  };
}

/** The controls of a request that sets none. */
const NO_CONTROLS: Readonly<RequestControls> = Object.freeze({
  fallbacks: undefined,
  disableFallbacks: false,
  numRetries: undefined,
  timeoutMs: undefined,
  streamTimeoutMs: undefined,
  metadata: undefined,
  headers: undefined,
});

function hasRouterFields(request: Record<string, unknown>): boolean {
  for (let i = 0; i < ROUTER_FIELDS.length; i++) if (ROUTER_FIELDS[i]! in request) return true;
  return false;
}

/** Whether `opts` sets anything besides the signal and the client headers. */
function hasControlOptions(opts: CallOptions | undefined): boolean {
  if (opts === undefined) return false;
  for (const key in opts) {
    if (key !== 'signal' && key !== 'headers' && opts[key as keyof CallOptions] !== undefined) {
      return true;
    }
  }
  return false;
}

/** The shared checks say "router setting"; for a request the wording should say "request". */
function asRequestField<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (BadRequestError.isInstance(error)) {
      const e = error as BadRequestError;
      throw new BadRequestError({
        message: e.message.replace('Invalid router setting', 'Invalid request:'),
        param: e.param,
      });
    }
    throw error;
  }
}

function normalizeHeaders(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) {
    throw new BadRequestError({
      message: 'Invalid request: headers: expected an object of header names to values',
      param: 'headers',
    });
  }
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string') out[name.toLowerCase()] = v;
    else if (Array.isArray(v)) out[name.toLowerCase()] = v.join(', ');
  }
  return out;
}
