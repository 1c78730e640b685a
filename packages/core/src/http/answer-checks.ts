import type { z } from 'zod';
import { BadGatewayError } from '../errors/bad-gateway-error';
import { formatZodError } from '../schemas/parse-or-throw';
import type { HttpRequest } from './http-client';
import { redactUrl } from './transport-error';

/** The method a request goes out with: GET without a body, POST with one, unless it says. */
export function methodOf(req: HttpRequest): string {
  return req.method ?? (req.json === undefined && req.body === undefined ? 'GET' : 'POST');
}

/** Marks a body that is empty or not JSON. */
export const NOT_JSON = Symbol('not-json');

/** The parsed body, or {@link NOT_JSON}. */
export function parseJson(text: string): unknown {
  if (text.length === 0) return NOT_JSON;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/** `value` checked against `schema`, or a BadGatewayError naming what is off. */
export function checkShape<T>(
  req: HttpRequest,
  schema: z.ZodType<T>,
  value: unknown,
  headers: Record<string, string>,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new BadGatewayError({
    message: `${describe(req)} answered with an unexpected shape: ${formatZodError(result.error)}`,
    provider: req.provider,
    model: req.model,
    body: value,
    headers,
  });
}

/** The error for an answer larger than the cap. */
export function tooLarge(req: HttpRequest, limit: number): Error {
  return new BadGatewayError({
    message: `${describe(req)}: response body exceeds the ${limit}-byte limit`,
    provider: req.provider,
    model: req.model,
    isRetryable: false,
  });
}

/** `METHOD url` with credentials dropped, for messages. */
export function describe(req: HttpRequest): string {
  return `${methodOf(req)} ${redactUrl(req.url)}`;
}
