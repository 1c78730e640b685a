import { type RoutingInfo, routingHeaders } from '@switchyard/router';
import type { OutgoingHeaders } from './send';

/**
 * LiteLLM's response headers for a served request: the router's
 * `x-litellm-*` (model id, group, api base, attempted retries and
 * fallbacks), the call id, total and own durations, plus the upstream's
 * `x-ratelimit-*` headers so clients can pace themselves on the real limits.
 */
export function proxyHeaders(args: {
  callId: string;
  routing: RoutingInfo | undefined;
  upstream: Record<string, string> | undefined;
  /** ms from receiving the request to now. */
  totalMs: number;
}): OutgoingHeaders {
  const headers: OutgoingHeaders = args.routing ? routingHeaders(args.routing) : {};
  headers['x-litellm-call-id'] = args.callId;
  headers['x-litellm-response-duration-ms'] = args.totalMs.toFixed(3);
  const attempts = args.routing?.attempts;
  if (attempts !== undefined && attempts.length > 0) {
    // Every upstream call counts as upstream time, failed attempts included: overhead is ours alone.
    let upstreamMs = 0;
    for (const attempt of attempts) upstreamMs += attempt.durationMs;
    headers['x-litellm-overhead-duration-ms'] = Math.max(0, args.totalMs - upstreamMs).toFixed(3);
  }
  const upstream = args.upstream;
  if (upstream) {
    for (const name in upstream) {
      if (name.startsWith('x-ratelimit-')) headers[name] = upstream[name]!;
    }
  }
  return headers;
}
