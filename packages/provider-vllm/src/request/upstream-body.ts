import { BadRequestError, type CallContext } from '@switchyard/core';

/** Inputs of {@link upstreamBody}. */
export interface UpstreamBodyOptions {
  /** The caller's request (never modified). */
  request: Readonly<Record<string, unknown>>;
  ctx: CallContext;
  /** Request keys this provider consumes itself and must not forward. */
  consumed?: readonly string[];
}

/**
 * The JSON body sent upstream, before operation-specific rewriting: every
 * request field forwarded as is (vLLM accepts unknown fields, so its extras
 * such as `top_k` or `chat_template_kwargs` pass through), top-level `null`s
 * left out (null means "not set", and vLLM rejects some, e.g.
 * `encoding_format: null`), `extra_body` flattened into the top level, and
 * `model` replaced by the prefix-stripped name.
 *
 * Precedence, lowest first: `ctx.options.extra_body` (deployment defaults),
 * the request's own fields, the request's `extra_body` (an explicit override,
 * as the OpenAI SDK does it).
 */
export function upstreamBody({
  request,
  ctx,
  consumed = [],
}: UpstreamBodyOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  assign(body, extraBody(ctx.options.extra_body, 'extra_body (provider options)'));
  for (const key in request) {
    if (key === 'extra_body' || consumed.includes(key)) continue;
    const value = request[key];
    if (value !== null && value !== undefined) body[key] = value;
  }
  assign(body, extraBody(request.extra_body, 'extra_body'));
  body.model = ctx.model;
  return body;
}

function extraBody(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRequestError({
      message: `${field} must be an object whose keys are merged into the request body; got ${Array.isArray(value) ? 'an array' : typeof value}`,
      param: 'extra_body',
    });
  }
  return value as Record<string, unknown>;
}

function assign(
  target: Record<string, unknown>,
  source: Record<string, unknown> | undefined,
): void {
  if (!source) return;
  for (const key in source) {
    const value = source[key];
    if (value !== null && value !== undefined) target[key] = value;
  }
}
