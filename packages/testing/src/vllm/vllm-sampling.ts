/**
 * Checks shared by chat and completions: the fields both take, vLLM's
 * SamplingParams checks, and the context-length check.
 */
import { checkFields, type FieldRule, isRecord } from './field-checks';
import { type ValidationIssue, validationError, valueErrorIssue } from './pydantic-message';
import { badRequest } from './vllm-errors';

/** Fields chat and completions share, with their types. */
export const SAMPLING_RULES: Record<string, FieldRule> = {
  model: { kind: 'string' },
  frequency_penalty: { kind: 'number' },
  presence_penalty: { kind: 'number' },
  repetition_penalty: { kind: 'number' },
  logit_bias: { kind: 'dict' },
  max_tokens: { kind: 'int' },
  n: { kind: 'int' },
  seed: { kind: 'int' },
  stop: { kind: 'stringOrList' },
  stream: { kind: 'bool' },
  stream_options: { kind: 'dict' },
  temperature: { kind: 'number' },
  top_p: { kind: 'number' },
  top_k: { kind: 'int' },
  min_p: { kind: 'number' },
  min_tokens: { kind: 'int' },
  include_stop_str_in_output: { kind: 'bool' },
  ignore_eos: { kind: 'bool' },
  stop_token_ids: { kind: 'list' },
  user: { kind: 'string' },
};

/** Throws vLLM's 400 when the body is not a JSON object or fields have the wrong type. */
export function requireObjectBody(body: unknown): Record<string, unknown> {
  if (isRecord(body)) return body;
  throw validationError([
    {
      type: 'model_attributes_type',
      loc: [],
      msg: 'Input should be a valid dictionary or object to extract fields from',
      input: body,
    },
  ]);
}

/** Type checks plus the model validators both request types run. */
export function checkSamplingRequest(
  body: Record<string, unknown>,
  rules: Record<string, FieldRule>,
  extraIssues: (body: Record<string, unknown>) => ValidationIssue[] = () => [],
): void {
  const issues = checkFields(body, rules);
  if (issues.length > 0) throw validationError(issues);
  const more = extraIssues(body);
  if (body.stream_options != null && body.stream !== true) {
    more.push(valueErrorIssue('Stream options can only be defined when `stream=True`.', body));
  }
  if (more.length > 0) throw validationError(more.slice(0, 1));
}

/** vLLM's SamplingParams checks; they raise plain ValueErrors, so the 400 is a BadRequestError. */
export function checkSamplingValues(
  body: Record<string, unknown>,
  maxTokens: number | undefined,
): void {
  const n = body.n as number | undefined | null;
  if (n != null && n < 1) throw badRequest(`n must be at least 1, got ${n}.`);
  const temperature = body.temperature as number | undefined | null;
  if (temperature != null && temperature < 0) {
    throw badRequest(`temperature must be non-negative, got ${temperature}.`);
  }
  const topP = body.top_p as number | undefined | null;
  if (topP != null && (topP <= 0 || topP > 1))
    throw badRequest(`top_p must be in (0, 1], got ${topP}.`);
  if (maxTokens !== undefined && maxTokens < 1) {
    throw badRequest(`max_tokens must be at least 1, got ${maxTokens}.`);
  }
}

/** Stop strings as a list. */
export function stopList(stop: unknown): string[] {
  if (typeof stop === 'string') return [stop];
  return Array.isArray(stop) ? stop.filter((s): s is string => typeof s === 'string') : [];
}

/** `stream_options` as vLLM reads it: include_usage defaults to true once the object is present. */
export function streamUsageOptions(body: Record<string, unknown>): {
  include: boolean;
  continuous: boolean;
} {
  const options = isRecord(body.stream_options) ? body.stream_options : undefined;
  if (!options) return { include: false, continuous: false };
  return {
    include: options.include_usage !== false,
    continuous: options.continuous_usage_stats === true,
  };
}
