import {
  type FieldCheck,
  isPlainObject,
  type PlainFieldsOptions,
  plainFieldsPass,
} from '@switchyard/core';
import type { z } from 'zod';
import { anthropicRequestSchema } from './request-schema';

/**
 * Absent, or a finite number in `[min, max]`. Unlike core's `numberField`,
 * `null` is refused: Anthropic's optional fields are not nullable.
 */
const optionalNumber =
  (min: number, max: number): FieldCheck =>
  v =>
    v === undefined || (typeof v === 'number' && v >= min && v <= max);

/**
 * Fields a plain Messages request commonly sets, each with a check that
 * accepts only values the schema accepts too. Any other field the schema
 * knows (tools, thinking, metadata, …) sends the request to the full
 * schema. A Map, so a field named `__proto__` finds nothing here.
 */
const FIELD_CHECKS: ReadonlyMap<string, FieldCheck> = new Map(
  Object.entries({
    system: v => v === undefined || typeof v === 'string',
    temperature: optionalNumber(0, 1),
    top_p: optionalNumber(0, 1),
    stream: v => v === undefined || typeof v === 'boolean',
  }),
);

/** Every field the full schema checks; fields outside it are kept as given by both paths. */
const SCHEMA_FIELDS: ReadonlySet<string> = new Set(
  Object.keys((anthropicRequestSchema as unknown as z.ZodObject).shape),
);

/** The field checks, built once (the check runs on every request). */
const PLAIN_FIELDS: PlainFieldsOptions = {
  checks: FIELD_CHECKS,
  schemaFields: SCHEMA_FIELDS,
  // Checked by {@link isPlainMessagesRequest} itself.
  skip: new Set(['model', 'max_tokens', 'messages']),
};

/**
 * A message of text only: `{role, content}` with `role` `user` or
 * `assistant` and `content` a string, and no other key (the schema copies
 * a message, so one with extra keys is left to it).
 */
function isPlainMessage(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  let keys = 0;
  for (const key in value) {
    if (key !== 'role' && key !== 'content') return false;
    keys++;
  }
  const role = value.role;
  return (
    keys === 2 && (role === 'user' || role === 'assistant') && typeof value.content === 'string'
  );
}

/**
 * True when `value` is a Messages request of the everyday shape — a model,
 * `max_tokens`, text messages and the common settings — that
 * {@link anthropicRequestSchema} certainly accepts unchanged (it has no
 * defaults or transforms). Lets the proxy skip the schema's work and copy
 * on the hot path, as it does for chat and Responses. False does not mean
 * invalid: anything unusual goes to the schema, which gives the verdict
 * and the error message naming the field.
 */
export function isPlainMessagesRequest(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  if (typeof value.model !== 'string' || value.model.length === 0) return false;
  const maxTokens = value.max_tokens;
  if (!Number.isSafeInteger(maxTokens) || (maxTokens as number) <= 0) return false;
  const messages = value.messages;
  if (!Array.isArray(messages)) return false;
  for (const message of messages) if (!isPlainMessage(message)) return false;
  return plainFieldsPass(value, PLAIN_FIELDS);
}
