import {
  BadGatewayError,
  errorFromStatus,
  extractErrorMessage,
  type FailureMapper,
  NotFoundError,
  type SwitchyardError,
} from '@switchyard/core';

/** LiteLLM's prefix for every Triton error message. */
export const TRITON_PREFIX = 'TritonException - ';

const UNKNOWN_MODEL = 'Request for unknown model';

/**
 * Maps a non-2xx Triton answer (`{"error":"…"}`) by LiteLLM's generic status
 * table, message prefixed `TritonException - `. One refinement: with model
 * namespacing Triton reports an unknown model as 400, so that text is a
 * NotFoundError whatever the status.
 */
export const tritonFailureMapper: FailureMapper = failure => {
  const message = sseErrorMessage(failure.rawText) ?? failure.message;
  const fields = {
    message: `${TRITON_PREFIX}${message}`,
    provider: 'triton',
    model: failure.model,
    body: failure.body,
    headers: failure.headers,
    retryAfterMs: failure.retryAfterMs,
  };
  if (failure.status === 400 && message.includes(UNKNOWN_MODEL)) {
    return new NotFoundError({ ...fields, upstreamStatus: 400 });
  }
  return errorFromStatus({ ...fields, status: failure.status });
};

/**
 * When the first response of a `/generate_stream` fails, Triton answers with
 * that status and an SSE body, `data: {"error":"…"}`; the message is inside.
 */
function sseErrorMessage(rawText: string): string | undefined {
  const match = /^data:\s?(.*)$/m.exec(rawText.trimStart());
  if (!match?.[1]) return undefined;
  try {
    const event = JSON.parse(match[1]) as unknown;
    return extractErrorMessage(event, match[1]);
  } catch {
    return undefined;
  }
}

/** Where an in-band error was found, for its fields. */
export interface InBandContext {
  model: string;
  /** HTTP status of the response that carried it (a 200, usually). */
  status?: number;
}

/**
 * An `{"error":…}` object inside a 2xx answer — a `/generate` body or a
 * `/generate_stream` event — as an error to throw; `undefined` when there is
 * none. Triton answered 200, so the status says nothing: it is taken as 500.
 */
export function tritonInBandError(
  value: unknown,
  context: InBandContext,
): SwitchyardError | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const error = (value as { error?: unknown }).error;
  if (error === undefined || error === null) return undefined;
  const status = context.status !== undefined && context.status >= 400 ? context.status : 500;
  return errorFromStatus({
    status,
    message: `${TRITON_PREFIX}${extractErrorMessage(value, JSON.stringify(value))}`,
    provider: 'triton',
    model: context.model,
    body: value,
  });
}

/** A 2xx answer that is not what Triton sends: a BadGatewayError naming what was wrong. */
export function unexpectedResponse(what: string, model: string, body: unknown): BadGatewayError {
  return new BadGatewayError({
    message: `${TRITON_PREFIX}${what}`,
    provider: 'triton',
    model,
    body,
  });
}
