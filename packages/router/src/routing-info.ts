/** One call made to one deployment while serving a request. */
export interface AttemptRecord {
  modelGroup: string;
  deploymentId: string;
  apiBase: string | undefined;
  /** ms since epoch when the call started. */
  startedAt: number;
  /** Time until the answer (streams: until the first chunk) or the failure. */
  durationMs: number;
  /** Present when the attempt failed. */
  error?: { name: string; status: number | undefined; message: string };
  /**
   * True when the caller aborted while this attempt ran (a client that went
   * away): its error says nothing about the deployment, which is neither
   * cooled down nor charged a failure for it.
   */
  cancelled?: true;
  /**
   * Present when this failure put the deployment in cooldown (or extended
   * one): until when, in ms since epoch. Absent when it was only counted
   * towards `allowed_fails`, or cooldowns do not apply.
   */
  cooldownUntil?: number;
}

/**
 * What the router did for a request; attached to every result and every
 * error (see {@link routingInfoOf}). The proxy turns it into `x-litellm-*`
 * headers with {@link routingHeaders}.
 */
export interface RoutingInfo {
  /** What the caller sent as `model`. */
  requestedModel: string;
  /** The group that answered (or was tried last). */
  modelGroup: string;
  /** The deployment that answered (or was tried last); undefined when none was reached. */
  deploymentId: string | undefined;
  apiBase: string | undefined;
  /** Retries in the group that answered (LiteLLM's `x-litellm-attempted-retries`). */
  attemptedRetries: number;
  /** The retry budget of that group. */
  maxRetries: number;
  /** Fallback groups tried after the requested one. */
  attemptedFallbacks: number;
  /** Every call made, in order, across groups. */
  attempts: AttemptRecord[];
  timings: {
    /** ms since epoch when the router received the request. */
    startedAt: number;
    /** Whole request, as far as the router is concerned (streams: until the first chunk). */
    totalMs: number;
    /** The successful upstream call (streams: until the first chunk). */
    upstreamMs: number | undefined;
  };
}

const ROUTING = Symbol.for('switchyard.routing');

/** Attaches routing information to an error (non-enumerable; errors stay as thrown). */
export function attachRouting<E>(error: E, info: RoutingInfo): E {
  if (typeof error === 'object' && error !== null && Object.isExtensible(error)) {
    Object.defineProperty(error, ROUTING, { value: info, configurable: true, writable: true });
  }
  return error;
}

/** The routing information the router attached to an error it threw, if any. */
export function routingInfoOf(error: unknown): RoutingInfo | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as { [ROUTING]?: RoutingInfo })[ROUTING];
}

/** LiteLLM's response headers for a routed request (also sent on errors). */
export function routingHeaders(info: RoutingInfo): Record<string, string> {
  const flat = appendRoutingHeaders([], info);
  const headers: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) headers[flat[i]!] = flat[i + 1]!;
  return headers;
}

/**
 * The same headers in node's flat `[name, value, …]` form, appended to
 * `list` and returned: a server writing them with `res.writeHead` builds no
 * object per response.
 */
export function appendRoutingHeaders(list: string[], info: RoutingInfo): string[] {
  list.push(
    'x-litellm-model-group',
    info.modelGroup,
    'x-litellm-attempted-retries',
    String(info.attemptedRetries),
    'x-litellm-max-retries',
    String(info.maxRetries),
    'x-litellm-attempted-fallbacks',
    String(info.attemptedFallbacks),
  );
  if (info.deploymentId !== undefined) list.push('x-litellm-model-id', info.deploymentId);
  if (info.apiBase !== undefined) list.push('x-litellm-model-api-base', info.apiBase);
  return list;
}
