import { appendRoutingHeaders, type RoutingInfo } from '@switchyard/router';

/**
 * Response headers in node's flat form, `[name, value, name, value, …]`,
 * which `res.writeHead` writes as they are. Built once per response and
 * appended to (content type, length, cost) rather than copied into objects.
 */
export type HeaderList = string[];

const API_BASE_HEADER = 'x-litellm-model-api-base';

/** What {@link proxyHeaders} builds the headers of one response from. */
export interface ProxyHeaderSource {
  callId: string;
  routing: RoutingInfo | undefined;
  /** The upstream's response headers (its `x-ratelimit-*` are passed on). */
  upstream: Record<string, string> | undefined;
  /** ms from receiving the request to now. */
  totalMs: number;
  /**
   * Leave out `x-litellm-model-api-base`: true for a virtual key's answer
   * (no upstream addresses; see `isAdmin`). Required, so no route forgets it.
   */
  hideApiBase: boolean;
}

/**
 * LiteLLM's response headers for a served request: the router's
 * `x-litellm-*` ({@link appendRoutingHeaders}), the call id, total and own
 * durations, plus the upstream's `x-ratelimit-*` headers so clients can pace
 * themselves on the real limits. Headers without a value are left out.
 */
export function proxyHeaders({
  callId,
  routing,
  upstream,
  totalMs,
  hideApiBase,
}: ProxyHeaderSource): HeaderList {
  const headers: HeaderList = routing === undefined ? [] : appendRoutingHeaders([], routing);
  if (hideApiBase) {
    const at = headers.indexOf(API_BASE_HEADER);
    if (at !== -1) headers.splice(at, 2);
  }
  headers.push('x-litellm-call-id', callId, 'x-litellm-response-duration-ms', totalMs.toFixed(3));
  const attempts = routing?.attempts;
  if (attempts !== undefined && attempts.length > 0) {
    // Every upstream call counts as upstream time, failed attempts included: overhead is ours alone.
    let upstreamMs = 0;
    for (let i = 0; i < attempts.length; i++) upstreamMs += attempts[i]!.durationMs;
    headers.push('x-litellm-overhead-duration-ms', Math.max(0, totalMs - upstreamMs).toFixed(3));
  }
  if (upstream !== undefined) {
    for (const name in upstream) {
      if (name.startsWith('x-ratelimit-')) headers.push(name, upstream[name]!);
    }
  }
  return headers;
}
