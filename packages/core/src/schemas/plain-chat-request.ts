import { chatCompletionRequestSchema } from './chat-completion-request';
import {
  booleanField as bool,
  type FieldCheck,
  isNullish,
  isPlainObject,
  numberField as num,
  type PlainFieldsOptions,
  plainFieldsPass,
  stringField as str,
} from './plain-fields';

/**
 * Fields a plain request commonly sets, each with a check that accepts only
 * values the schema accepts too. Any other field the schema knows (tools,
 * response_format, …) sends the request to the full schema. A Map, not an
 * object: a field named `valueOf` or `__proto__` must find nothing here.
 */
const FIELD_CHECKS: ReadonlyMap<string, FieldCheck> = new Map(
  Object.entries({
    frequency_penalty: num(-2, 2),
    presence_penalty: num(-2, 2),
    logprobs: bool,
    top_logprobs: num(0, 20, true),
    max_tokens: num(1, Number.MAX_SAFE_INTEGER, true),
    max_completion_tokens: num(1, Number.MAX_SAFE_INTEGER, true),
    n: num(1, 128, true),
    seed: num(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true),
    stop: v =>
      isNullish(v) ||
      typeof v === 'string' ||
      (Array.isArray(v) && v.length <= 64 && v.every(s => typeof s === 'string')),
    stream: bool,
    stream_options: v =>
      isNullish(v) ||
      (isPlainObject(v) &&
        Object.keys(v).every(
          k =>
            (k === 'include_usage' || k === 'continuous_usage_stats') && typeof v[k] === 'boolean',
        )),
    temperature: num(0, 2),
    top_p: num(0, 1),
    parallel_tool_calls: bool,
    user: str,
  }),
);

/** Every field the full schema checks; fields outside it are kept as given by both paths. */
const SCHEMA_FIELDS: ReadonlySet<string> = new Set(Object.keys(chatCompletionRequestSchema.shape));

/** The field checks, built once (the check runs on every request). */
const PLAIN_FIELDS: PlainFieldsOptions = {
  checks: FIELD_CHECKS,
  schemaFields: SCHEMA_FIELDS,
  // Checked by {@link isPlainChatRequest} itself.
  skip: new Set(['model', 'messages']),
};

const TEXT_ROLES: ReadonlySet<string> = new Set(['system', 'developer', 'user', 'assistant']);

/**
 * True when `value` is a chat request of the everyday shape — text messages
 * from system / developer / user / assistant, and the common sampling fields
 * — that {@link chatCompletionRequestSchema} certainly accepts unchanged
 * (the schema has no defaults or transforms, so its output equals its input).
 * Lets a caller that validates every request skip the schema's copy of the
 * body on the hot path. False does not mean invalid: anything unusual goes
 * to the schema, which gives the verdict and the error message.
 */
export function isPlainChatRequest(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  if (typeof value.model !== 'string' || value.model.length === 0) return false;
  const messages = value.messages;
  if (!Array.isArray(messages) || messages.length === 0) return false;
  for (const message of messages) if (!isPlainTextMessage(message)) return false;
  return plainFieldsPass(value, PLAIN_FIELDS);
}

function isPlainTextMessage(message: unknown): boolean {
  if (!isPlainObject(message)) return false;
  let count = 0;
  for (const key in message) {
    count++;
    if (key !== 'role' && key !== 'content' && key !== 'name') return false;
  }
  return (
    count >= 2 &&
    typeof message.role === 'string' &&
    TEXT_ROLES.has(message.role) &&
    typeof message.content === 'string' &&
    (message.name === undefined || typeof message.name === 'string')
  );
}
