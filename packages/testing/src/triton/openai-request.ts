/**
 * Request reading and error answers of Triton's OpenAI frontend (FastAPI):
 * errors are `{"detail": …}` — 400 for client errors, 422 for schema
 * failures, 500 for server errors.
 */
import { sendJsonWithFault } from '../shared/fault-responder';
import type { OpenAiGeneration } from './openai-backend';
import type { RouteContext } from './route-context';
import { TritonError } from './triton-error';

/** The OpenAI request fields the emulator reads. */
export interface OpenAiBody {
  model?: unknown;
  messages?: unknown;
  prompt?: unknown;
  input?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  stop?: unknown;
  n?: unknown;
  logit_bias?: unknown;
  suffix?: unknown;
  dimensions?: unknown;
  encoding_format?: unknown;
  [key: string]: unknown;
}

/** An error with the status and `detail` FastAPI sends. */
export class OpenAiHttpError extends Error {
  readonly status: number;
  readonly detail: unknown;
  constructor(status: number, detail: unknown) {
    super(typeof detail === 'string' ? detail : JSON.stringify(detail));
    this.name = 'OpenAiHttpError';
    this.status = status;
    this.detail = detail;
  }
}

/** The frontend's default when a request names no token budget (vLLM's SamplingParams default). */
export const OPENAI_DEFAULT_MAX_TOKENS = 16;

// Fields the frontend maps itself; the rest of a chat/completion body is not sampling.
const NOT_SAMPLING = new Set([
  'model',
  'messages',
  'prompt',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'n',
  'user',
  'echo',
  'logprobs',
  'top_logprobs',
  'tools',
  'tool_choice',
  'response_format',
]);

/** A 422 like FastAPI's for a missing or mistyped field. */
export function validationError(field: string, message: string, input: unknown): OpenAiHttpError {
  return new OpenAiHttpError(422, [
    { type: 'value_error', loc: ['body', field], msg: message, input },
  ]);
}

/** Reads the generation settings shared by chat and completions. */
export function readGeneration(body: OpenAiBody, prompt: string): OpenAiGeneration {
  if (body.stream !== undefined && typeof body.stream !== 'boolean') {
    throw validationError('stream', 'Input should be a valid boolean', body.stream);
  }
  const stream = body.stream === true;
  if (body.stream_options !== undefined && body.stream_options !== null && !stream) {
    throw new OpenAiHttpError(400, '`stream_options` can only be used when `stream` is True');
  }
  if (body.logit_bias !== undefined && body.logit_bias !== null) {
    throw new OpenAiHttpError(400, 'logit bias is not currently supported');
  }
  if (body.suffix !== undefined && body.suffix !== null) {
    throw new OpenAiHttpError(400, 'suffix is not currently supported');
  }
  const budget = body.max_completion_tokens ?? body.max_tokens;
  if (
    budget !== undefined &&
    budget !== null &&
    (!Number.isInteger(budget) || (budget as number) < 1)
  ) {
    throw validationError('max_tokens', 'Input should be a positive integer', budget);
  }
  const n = body.n ?? 1;
  if (!Number.isInteger(n) || (n as number) < 1) {
    throw validationError('n', 'Input should be a positive integer', body.n);
  }
  const stop =
    typeof body.stop === 'string'
      ? [body.stop]
      : Array.isArray(body.stop)
        ? body.stop.filter((s): s is string => typeof s === 'string')
        : [];
  const sampling: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!NOT_SAMPLING.has(key) && value !== null && value !== undefined) sampling[key] = value;
  }
  return {
    prompt,
    maxTokens: typeof budget === 'number' ? budget : OPENAI_DEFAULT_MAX_TOKENS,
    stop,
    n: n as number,
    stream,
    sampling,
  };
}

/**
 * Renders chat messages into one prompt. The real frontend applies the
 * model's tokenizer chat template; the emulator uses a plain
 * `role: content` layout, so prompt token counts are the emulator's own.
 */
export function renderChatPrompt(body: OpenAiBody): string {
  if (!Array.isArray(body.messages)) {
    throw validationError('messages', 'Field required', body.messages);
  }
  const lines = body.messages.map((message, i) => {
    if (typeof message !== 'object' || message === null) {
      throw validationError('messages', `messages[${i}] should be an object`, message);
    }
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (typeof role !== 'string') {
      throw validationError('messages', `messages[${i}].role should be a string`, role);
    }
    return `${role}: ${contentText(content)}`;
  });
  return `${lines.join('\n')}\nassistant:`;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content)) {
    return content
      .map(part =>
        typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'text'
          ? String((part as { text?: unknown }).text ?? '')
          : '',
      )
      .join('');
  }
  return String(content);
}

/** Answers an error in the frontend's FastAPI shape. */
export function openAiError(ctx: RouteContext, error: unknown): void {
  if (error instanceof OpenAiHttpError) {
    sendJsonWithFault(ctx.res, error.status, { detail: error.detail }, ctx.fault);
    return;
  }
  if (TritonError.isInstance(error)) {
    const status = error.status >= 500 ? 500 : 400;
    sendJsonWithFault(ctx.res, status, { detail: error.message }, ctx.fault);
    return;
  }
  sendJsonWithFault(
    ctx.res,
    500,
    { detail: String((error as Error)?.message ?? error) },
    ctx.fault,
  );
}
