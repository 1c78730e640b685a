import {
  booleanField as bool,
  type FieldCheck,
  isNullish,
  isPlainObject,
  numberField,
  type PlainFieldsOptions,
  plainFieldsPass,
  stringField as str,
} from '@switchyard/core';
import type { z } from 'zod';
import { responsesRequestSchema } from './request-schema';

/**
 * Fields a plain request commonly sets, each with a check that accepts only
 * values the schema accepts too. Any other field the schema knows (tools,
 * text, reasoning, …) sends the request to the full schema. A Map, so a
 * field named `__proto__` finds nothing here.
 */
const FIELD_CHECKS: ReadonlyMap<string, FieldCheck> = new Map(
  Object.entries({
    input: v => v === undefined || typeof v === 'string',
    instructions: str,
    max_output_tokens: numberField(1, Number.MAX_SAFE_INTEGER, true),
    temperature: numberField(0, 2),
    top_p: numberField(0, 1),
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

/** The field checks, built once (the check runs on every request). */
const PLAIN_FIELDS: PlainFieldsOptions = {
  checks: FIELD_CHECKS,
  schemaFields: SCHEMA_FIELDS,
  // Checked by {@link isPlainResponsesRequest} itself.
  skip: new Set(['model']),
};

/**
 * True when `value` is a Responses request of the everyday shape — a model,
 * text input, and the common settings — that {@link responsesRequestSchema}
 * certainly accepts unchanged (it has no defaults or transforms). Lets a
 * caller that validates every request skip the schema's work and copy on
 * the hot path. False does not mean invalid: anything unusual goes to the
 * schema, which gives the verdict and the error message.
 */
export function isPlainResponsesRequest(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  if (typeof value.model !== 'string' || value.model.length === 0) return false;
  return plainFieldsPass(value, PLAIN_FIELDS);
}
