import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, MASTER_KEY, post, rawRequest, type Stack, startStack } from './helpers';

/** A body arriving in `count` pieces, `gapMs` apart (a slow client, not a synchronisation). */
async function* trickle(text: string, count: number, gapMs: number): AsyncIterable<string> {
  const size = Math.ceil(text.length / count);
  for (let i = 0; i < text.length; i += size) {
    if (i > 0) await new Promise(resolve => setTimeout(resolve, gapMs));
    yield text.slice(i, i + size);
  }
}

function expectOpenAIError(body: unknown, status: number): Record<string, unknown> {
  const error = (body as { error: Record<string, unknown> }).error;
  expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(error.code).toBe(String(status));
  return error;
}

describe('HTTP edges: body timeout, oversized headers, content types', () => {
  let stack: Stack;
  const chat = JSON.stringify({
    model: 'chat',
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: 2,
  });
  const head = (length: number, extra = '') =>
    `POST /v1/chat/completions HTTP/1.1\r\nhost: proxy\r\nauthorization: Bearer ${MASTER_KEY}\r\n` +
    `content-type: application/json\r\ncontent-length: ${length}\r\n${extra}\r\n`;

  beforeAll(async () => {
    stack = await startStack({
      masterKey: MASTER_KEY,
      extra: { general_settings: { switchyard_request_body_timeout: 1 } },
    });
  }, 120_000);
  afterAll(async () => stack?.close());

  it('a declared body that never comes is answered 408 and the connection closed', async () => {
    const answer = await rawRequest(stack.proxy.port, `${head(chat.length)}${chat.slice(0, 10)}`);
    expect(answer.status).toBe(408);
    expect(answer.headers.connection).toBe('close');
    expect(expectOpenAIError(answer.body, 408).message).toContain(
      'general_settings.switchyard_request_body_timeout',
    );
    expect(answer.closed).toBe(true);
    // Nothing reached the upstream.
    expect(stack.vllm.requests.entries.some(e => e.path === '/v1/chat/completions')).toBe(false);
  });

  it('a slow but steady body is not cut: the timeout counts silence, not the whole upload', async () => {
    // Five pieces 400 ms apart: 1.6 s in all, longer than the 1 s timeout, never silent that long.
    const answer = await rawRequest(stack.proxy.port, head(chat.length), {
      chunks: trickle(chat, 5, 400),
      keepAliveWaitMs: 0,
    });
    expect(answer.status).toBe(200);
  });

  it('oversized headers are a 431 in OpenAI error shape', async () => {
    const answer = await rawRequest(
      stack.proxy.port,
      `GET /v1/models HTTP/1.1\r\nhost: proxy\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer.status).toBe(431);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(expectOpenAIError(answer.body, 431).message).toMatch(/headers exceed \d+ bytes/);
    expect(answer.closed).toBe(true);
  });

  it('a request node cannot parse is a 400 in OpenAI error shape', async () => {
    const answer = await rawRequest(stack.proxy.port, 'NONSENSE\r\n\r\n');
    expect(answer.status).toBe(400);
    expectOpenAIError(answer.body, 400);
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonx',
  ])('a JSON route refuses content-type %s with a 415 naming it', async type => {
    for (const path of ['/v1/chat/completions', '/v1/embeddings', '/key/generate']) {
      const res = await post(stack.proxy.url, path, chat, { ...auth(), 'content-type': type });
      expect(res.status, path).toBe(415);
      const error = expectOpenAIError(res.body, 415);
      expect(error.type).toBe('invalid_request_error');
      expect(error.message).toContain(`content-type "${type}"`);
    }
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/vnd.api+json',
  ])('a JSON route reads content-type %s', async type => {
    const res = await post(stack.proxy.url, '/v1/chat/completions', chat, {
      ...auth(),
      'content-type': type,
    });
    expect(res.status).toBe(200);
  });

  it('a JSON route reads a body sent without a content-type, as FastAPI does', async () => {
    const answer = await rawRequest(
      stack.proxy.port,
      `POST /v1/chat/completions HTTP/1.1\r\nhost: proxy\r\nauthorization: Bearer ${MASTER_KEY}\r\n` +
        `content-length: ${chat.length}\r\nconnection: close\r\n\r\n${chat}`,
    );
    expect(answer.status).toBe(200);
  });
});
