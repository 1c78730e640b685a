import { appendRoutingHeaders, type RoutingInfo } from '@switchyard/router';

/**
 * Response headers in node's flat form, `[name, value, name, value, …]`,
 * which `res.writeHead` writes as they are. Built once per response and
 * appended to (content type, length, cost) rather than copied into objects.
 */
export type HeaderList = string[];

/** What {@link proxyHeaders} builds the headers of one response from. */
export interface ProxyHeaderSource {
  callId: string;
  routing: RoutingInfo | undefined;
  /** The upstream's response headers (its `x-ratelimit-*` are passed on). */
  upstream: Record<string, string> | undefined;
  /** ms from receiving the request to now. */
  totalMs: number;
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
}: ProxyHeaderSource): HeaderList {
  const headers: HeaderList = routing === undefined ? [] : appendRoutingHeaders([], routing);
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
