import type { z } from 'zod';
import { responsesRequestSchema } from './request-schema';

type Check = (value: unknown) => boolean;

const isNullish = (v: unknown) => v === null || v === undefined;
const inRange =
  (min: number, max: number, int = false): Check =>
  v =>
    isNullish(v) ||
    (typeof v === 'number' &&
      v >= min &&
      v <= max &&
      (int ? Number.isInteger(v) : Number.isFinite(v)));
const bool: Check = v => isNullish(v) || typeof v === 'boolean';
const str: Check = v => isNullish(v) || typeof v === 'string';

/**
 * Fields a plain request commonly sets, each with a check that accepts only
 * values the schema accepts too. Any other field the schema knows (tools,
 * text, reasoning, …) sends the request to the full schema. A Map, so a
 * field named `__proto__` finds nothing here.
 */
const FIELD_CHECKS: ReadonlyMap<string, Check> = new Map(
  Object.entries({
    input: v => v === undefined || typeof v === 'string',
    instructions: str,
    max_output_tokens: inRange(1, Number.MAX_SAFE_INTEGER, true),
    temperature: inRange(0, 2),
    top_p: inRange(0, 1),
    parallel_tool_calls: bool,
    store: bool,
    stream: bool,
    user: str,
    previous_response_id: v => isNullish(v) || (typeof v === 'string' && v.length > 0),
  }),
);

/** Every field the full schema checks; fields outside it are kept as given by both paths. */
const SCHEMA_FIELDS: ReadonlySet<string> = new Set(
  Object.keys((responsesRequestSchema as unknown as z.ZodObject).shape),
);

/**
 * True when `value` is a Responses request of the everyday shape — a model,
 * text input, and the common settings — that {@link responsesRequestSchema}
 * certainly accepts unchanged (it has no defaults or transforms). Lets a
 * caller that validates every request skip the schema's work and copy on
 * the hot path. False does not mean invalid: anything unusual goes to the
 * schema, which gives the verdict and the error message.
 */
export function isPlainResponsesRequest(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const body = value as Record<string, unknown>;
  if (typeof body.model !== 'string' || body.model.length === 0) return false;
  for (const key in body) {
    if (key === 'model') continue;
    const check = FIELD_CHECKS.get(key);
    if (check === undefined) {
      if (SCHEMA_FIELDS.has(key)) return false;
      continue;
    }
    if (!check(body[key])) return false;
  }
  return true;
}
