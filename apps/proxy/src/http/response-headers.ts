import type { RoutingInfo } from '@switchyard/router';

/**
 * Response headers in node's flat form, `[name, value, name, value, …]`,
 * which `res.writeHead` writes as they are. Built once per response and
 * appended to (content type, length, cost) rather than copied into objects.
 */
export type HeaderList = string[];

/**
 * LiteLLM's response headers for a served request: the router's
 * `x-litellm-*` (model group, attempted retries and fallbacks, model id,
 * api base; the names and order of `routingHeaders` in
 * `@switchyard/router`), the call id, total and own durations, plus the
 * upstream's `x-ratelimit-*` headers so clients can pace themselves on the
 * real limits. Headers without a value are left out.
 *
 * @param totalMs ms from receiving the request to now.
 */
export function proxyHeaders(
  callId: string,
  routing: RoutingInfo | undefined,
  upstream: Record<string, string> | undefined,
  totalMs: number,
): HeaderList {
  let headers: HeaderList;
  if (routing === undefined) {
    headers = ['x-litellm-call-id', callId, 'x-litellm-response-duration-ms', totalMs.toFixed(3)];
  } else {
    headers = [
      'x-litellm-model-group',
      routing.modelGroup,
      'x-litellm-attempted-retries',
      String(routing.attemptedRetries),
      'x-litellm-max-retries',
      String(routing.maxRetries),
      'x-litellm-attempted-fallbacks',
      String(routing.attemptedFallbacks),
    ];
    if (routing.deploymentId !== undefined)
      headers.push('x-litellm-model-id', routing.deploymentId);
    if (routing.apiBase !== undefined) headers.push('x-litellm-model-api-base', routing.apiBase);
    headers.push('x-litellm-call-id', callId, 'x-litellm-response-duration-ms', totalMs.toFixed(3));
    const attempts = routing.attempts;
    if (attempts !== undefined && attempts.length > 0) {
      // Every upstream call counts as upstream time, failed attempts included: overhead is ours alone.
      let upstreamMs = 0;
      for (let i = 0; i < attempts.length; i++) upstreamMs += attempts[i]!.durationMs;
      headers.push('x-litellm-overhead-duration-ms', Math.max(0, totalMs - upstreamMs).toFixed(3));
    }
  }
  if (upstream !== undefined) {
    for (const name in upstream) {
      if (name.startsWith('x-ratelimit-')) headers.push(name, upstream[name]!);
    }
  }
  return headers;
}
