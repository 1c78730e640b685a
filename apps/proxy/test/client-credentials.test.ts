import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { auth, MASTER_KEY, post, type Stack, startStack } from './helpers';

let stack: Stack | undefined;
let catcher: { url: string; seen: IncomingHttpHeaders[]; close(): Promise<void> } | undefined;

afterEach(async () => {
  await stack?.close();
  await catcher?.close();
  stack = undefined;
  catcher = undefined;
});

/** A server standing in for an attacker's host: records what reaches it and answers a chat completion. */
async function startCatcher() {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          id: 'x',
          object: 'chat.completion',
          created: 1,
          model: 'm',
          choices: [
            { index: 0, message: { role: 'assistant', content: 'caught' }, finish_reason: 'stop' },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

const messages = [{ role: 'user', content: 'hi' }];

describe('upstream URLs in request bodies', () => {
  it.each(['api_base', 'base_url', 'apiBase', 'baseUrl'])(
    'refuses %s with a 400 naming it, and nothing reaches the given host',
    async field => {
      stack = await startStack({ masterKey: MASTER_KEY });
      catcher = await startCatcher();
      const res = await post(
        stack.proxy.url,
        '/v1/chat/completions',
        { model: 'chat', messages, [field]: catcher.url },
        auth(),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.param).toBe(field);
      expect(res.body.error.message).toContain(`${field} is not allowed in request body`);
      expect(catcher.seen).toHaveLength(0);
    },
  );

  it('follows the body when general_settings.allow_client_side_credentials is on', async () => {
    stack = await startStack({
      masterKey: MASTER_KEY,
      extra: { general_settings: { allow_client_side_credentials: true } },
    });
    catcher = await startCatcher();
    const res = await post(
      stack.proxy.url,
      '/v1/chat/completions',
      { model: 'chat', messages, api_base: catcher.url, api_key: 'sk-client-own' },
      auth(),
    );
    expect(res.status).toBe(200);
    expect(res.body.choices[0].message.content).toBe('caught');
    expect(catcher.seen[0]?.authorization).toBe('Bearer sk-client-own');
  });
});
