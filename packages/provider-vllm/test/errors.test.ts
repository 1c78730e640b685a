import {
  AuthenticationError,
  BadRequestError,
  ContextWindowExceededError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  Timeout,
} from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostedVllmProvider } from '../src/index';
import { contextFor, rejection } from './support/context';
import {
  json,
  type Reply,
  type ScriptedServer,
  startScriptedServer,
} from './support/scripted-server';

const envelope = (
  message: string,
  code: number,
  type = 'BadRequestError',
  param: string | null = null,
) => ({
  error: { message, type, param, code },
});

type ErrorClass = { isInstance(error: unknown): boolean; kind: string };
interface Case {
  name: string;
  reply: Reply;
  expected: ErrorClass;
  message?: string;
  retryAfterMs?: number;
  param?: string;
}

const CASES: Case[] = [
  {
    name: 'unknown model, current shape',
    reply: json(envelope('The model `x` does not exist.', 404, 'NotFoundError', 'model'), 404),
    expected: NotFoundError,
    message: 'The model `x` does not exist.',
    param: 'model',
  },
  {
    name: 'unknown model, legacy shape',
    reply: json(
      {
        object: 'error',
        message: 'The model `x` does not exist.',
        type: 'NotFoundError',
        param: null,
        code: 404,
      },
      404,
    ),
    expected: NotFoundError,
    message: 'The model `x` does not exist.',
  },
  {
    name: 'auth shape',
    reply: json({ error: 'Unauthorized' }, 401),
    expected: AuthenticationError,
    message: 'Unauthorized',
  },
  {
    name: 'context overflow (classic)',
    reply: json(
      envelope(
        "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
        400,
      ),
      400,
    ),
    expected: ContextWindowExceededError,
  },
  {
    name: 'context overflow (max_tokens too large)',
    reply: json(
      envelope(
        "'max_tokens' or 'max_completion_tokens' is too large: 1000. This model's maximum context length is 4096 tokens and your request has 3500 input tokens (1000 > 4096 - 3500).",
        400,
      ),
      400,
    ),
    expected: ContextWindowExceededError,
  },
  {
    name: 'context overflow (decoder prompt)',
    reply: json(
      envelope(
        'The decoder prompt (length 9000) is longer than the maximum model length of 8192.',
        400,
      ),
      400,
    ),
    expected: ContextWindowExceededError,
  },
  {
    name: 'validation error',
    reply: json(
      envelope('1 validation error: top_logprobs needs logprobs', 400, 'Bad Request', 'body'),
      400,
    ),
    expected: BadRequestError,
    param: 'body',
  },
  { name: '422', reply: json({ detail: [{ msg: 'bad' }] }, 422), expected: BadRequestError },
  {
    name: '429 with retry-after',
    reply: json(envelope('Too many requests', 429), 429, { 'retry-after': '2' }),
    expected: RateLimitError,
    retryAfterMs: 2000,
  },
  {
    name: 'rate-limit wording on another status',
    reply: json(envelope('Rate limit reached for this key', 400), 400),
    expected: RateLimitError,
  },
  {
    name: '503 with retry-after',
    reply: json(envelope('Service Unavailable', 503, 'ServiceUnavailable'), 503, {
      'retry-after': '1',
    }),
    expected: ServiceUnavailableError,
    retryAfterMs: 1000,
  },
  {
    name: 'engine failure',
    reply: json(envelope('Internal server error', 500, 'InternalServerError'), 500),
    expected: InternalServerError,
  },
  { name: '504', reply: json({ detail: 'gateway' }, 504), expected: Timeout },
  { name: '403', reply: json({ detail: 'Forbidden' }, 403), expected: PermissionDeniedError },
  {
    name: 'route missing',
    reply: json({ detail: 'Not Found' }, 404),
    expected: NotFoundError,
    message: 'Not Found',
  },
];

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer(req => {
    const name = (req.json as { messages: { content: string }[] }).messages[0]!.content;
    return CASES.find(c => c.name === name)!.reply;
  });
});
afterAll(() => server.close());

describe('vLLM error mapping', () => {
  it.each(CASES)('$name → $expected.kind', async c => {
    const request = {
      model: 'hosted_vllm/m',
      messages: [{ role: 'user' as const, content: c.name }],
    };
    for (const call of [
      hostedVllmProvider.chat!(request, contextFor(server.url)),
      hostedVllmProvider.chatStream!(request, contextFor(server.url)),
    ]) {
      const error = await rejection(call);
      expect(c.expected.isInstance(error), `${error.name}: ${error.message}`).toBe(true);
      expect(error.provider).toBe('hosted_vllm');
      expect(error.model).toBe('facebook/opt-125m');
      if (c.message !== undefined) expect(error.message).toBe(c.message);
      if (c.retryAfterMs !== undefined) expect(error.retryAfterMs).toBe(c.retryAfterMs);
      if (c.param !== undefined) expect(error.param).toBe(c.param);
    }
  });

  it('keeps a plain validation error a BadRequestError, not a context-window one', async () => {
    const request = {
      model: 'hosted_vllm/m',
      messages: [{ role: 'user' as const, content: 'validation error' }],
    };
    const error = await rejection(hostedVllmProvider.chat!(request, contextFor(server.url)));
    expect(ContextWindowExceededError.isInstance(error)).toBe(false);
    expect(error.isRetryable).toBe(false);
  });
});
