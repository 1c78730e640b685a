/**
 * The text rules of LiteLLM's OpenAI-compatible error mapping (spec §5.2),
 * checked before the status: an upstream's wording often says more than its
 * status (vLLM reports context overflow as a plain 400). Each rule names the
 * error class it selects.
 */
export type TextRuleClass =
  | 'Timeout'
  | 'RateLimitError'
  | 'ContextWindowExceededError'
  | 'NotFoundError'
  | 'ContentPolicyViolationError'
  | 'BadRequestError'
  | 'InternalServerError'
  | 'AuthenticationError';

const TIMEOUT_TEXTS = [
  'request timeout error',
  'request timed out',
  'timed out generating response',
  'the read operation timed out',
];

const CONTEXT_WINDOW_TEXTS = [
  'exceed context limit',
  "this model's maximum context length is",
  'string too long. expected a string with maximum length',
  "model's maximum context limit",
  "is longer than the model's context length",
  'input tokens exceed the configured limit',
  '`inputs` tokens + `max_new_tokens` must be',
  'exceeds the available context size',
  'exceeds the maximum number of tokens allowed',
  // vLLM's own wordings that LiteLLM's list misses.
  'longer than the maximum model length',
  'maximum context length',
];

const CONTENT_POLICY_TEXTS = [
  'content_policy_violation',
  'violates our usage policy',
  'content management policy',
];

const MISSING_KEY_TEXTS = [
  "you didn't provide an api key",
  'no api key provided',
  'missing api key',
];

/**
 * The class the message text selects, or undefined to fall back to the
 * status. `status` is the upstream's (0 when unknown).
 */
export function classFromText(message: string, status: number): TextRuleClass | undefined {
  const text = message.toLowerCase();
  if (TIMEOUT_TEXTS.some(t => text.includes(t))) return 'Timeout';
  if (((status === 0 || status === 429) && /\b429\b/.test(text)) || /rate[\s_-]*limit/.test(text)) {
    return 'RateLimitError';
  }
  if (text.includes('service tier capacity exceeded')) return 'RateLimitError';
  if (isContextWindowText(text)) return 'ContextWindowExceededError';
  if (text.includes('invalid_request_error') && text.includes('model_not_found'))
    return 'NotFoundError';
  if (text.includes('a timeout occurred')) return 'Timeout';
  if (CONTENT_POLICY_TEXTS.some(t => text.includes(t))) return 'ContentPolicyViolationError';
  if (text.includes('invalid_encrypted_content') || text.includes('could not be verified'))
    return 'BadRequestError';
  if (text.includes('invalid_request_error') && !text.includes('incorrect api key provided'))
    return 'BadRequestError';
  if (
    text.includes('web server is returning an unknown error') ||
    text.includes('the server had an error processing your request.')
  ) {
    return 'InternalServerError';
  }
  if (text.includes('request too large')) return 'RateLimitError';
  if (MISSING_KEY_TEXTS.some(t => text.includes(t))) return 'AuthenticationError';
  return undefined;
}

function isContextWindowText(text: string): boolean {
  // A too-long `user` field is a plain bad request, not an overflow.
  if (text.includes('string_above_max_length')) return false;
  if (text.includes("invalid 'user'") && text.includes('string too long')) return false;
  if (CONTEXT_WINDOW_TEXTS.some(t => text.includes(t))) return true;
  if (text.includes('current length is') && text.includes('while limit is')) return true;
  return text.includes('maximum input length is') && text.includes('tokens');
}
