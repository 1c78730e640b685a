import { once } from 'node:events';
import { createServer } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, get, MASTER_KEY, post, type Stack, startStack } from './helpers';
import { freshDatabase } from './keys-helpers';
import { LogLines } from './log-lines';

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

const messages = [{ role: 'user', content: 'hi' }];

/**
 * What a virtual key limited to some models may learn: only those models,
 * through every route that lists them, and never an upstream address or
 * upstream error text, which admins still get (in `/health` and the log).
 */
describe('what a virtual key sees', () => {
  let stack: Stack;
  let base: string;
  let drop: () => Promise<void>;
  let downUrl: string;
  let limitedKey: string;
  let downKey: string;
  const log = new LogLines();
  /** Every form an upstream address could take in a body this test reads. */
  let addresses: string[];

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    downUrl = `http://127.0.0.1:${await closedPort()}`;
    stack = await startStack({
      masterKey: MASTER_KEY,
      log,
      extra: { general_settings: { database_url: db.url } },
      extraModels: [
        {
          model_name: 'down',
          litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: downUrl },
        },
      ],
    });
    base = stack.proxy.url;
    const vllm = new URL(stack.vllm.url);
    const down = new URL(downUrl);
    addresses = [stack.vllm.url, vllm.host, down.host, `:${down.port}`, `:${vllm.port}`, '://'];
    const made = async (models: string[]) => {
      const res = await post(base, '/key/generate', { models }, auth());
      expect(res.status).toBe(200);
      return res.body.key as string;
    };
    limitedKey = await made(['chat', 'embed']);
    downKey = await made(['down']);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await drop?.();
  });

  function expectNoAddress(body: unknown): void {
    const text = JSON.stringify(body);
    for (const address of addresses) expect(text).not.toContain(address);
  }

  it('/v1/models lists only the models the key may call; the admin sees all', async () => {
    const mine = await get(base, '/v1/models', auth(limitedKey));
    expect(mine.status).toBe(200);
    expect(mine.body.data.map((m: { id: string }) => m.id).sort()).toEqual(['chat', 'embed']);
    const all = await get(base, '/v1/models', auth());
    expect(all.body.data.length).toBeGreaterThan(2);
  });

  it('models.retrieve (official openai client) finds only the models the key may call', async () => {
    const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${base}/v1`, maxRetries: 0 });
    const limited = client(limitedKey);
    const chat = await limited.models.retrieve('chat');
    expect(chat).toMatchObject({ id: 'chat', object: 'model', owned_by: 'openai' });
    expectNoAddress(chat);
    // A served model the key may not call is answered exactly like one that does not exist.
    for (const id of ['down', 'text', 'no-such-model']) {
      const error = await limited.models.retrieve(id).catch(e => e);
      expect(error, id).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error.code).toBe('model_not_found');
      expect(error.message).toContain(`model=${id}`);
      // The list in the message is what the key may call, nothing more.
      expect(error.message).toMatch(/Available models: chat, embed$/);
      expectNoAddress(error.error);
    }
    // The master key finds every served model, the one the key may not call included.
    const admin = client(MASTER_KEY);
    expect((await admin.models.retrieve('down')).id).toBe('down');
    expect((await admin.models.retrieve('text')).id).toBe('text');
  });

  it('/model/info shows only those deployments and no api_base', async () => {
    const mine = await get(base, '/model/info', auth(limitedKey));
    expect(mine.status).toBe(200);
    const names = mine.body.data.map((d: { model_name: string }) => d.model_name).sort();
    expect(names).toEqual(['chat', 'embed']);
    expectNoAddress(mine.body);
    expect(mine.body.data[0].litellm_params.model).toBe('hosted_vllm/facebook/opt-125m');
    const all = await get(base, '/model/info', auth());
    const chat = all.body.data.find((d: { model_name: string }) => d.model_name === 'chat');
    expect(chat.litellm_params.api_base).toBe(stack.vllm.url);
  });

  it('/health probes only those deployments and shows no address or upstream text', async () => {
    const mine = await get(base, '/health', auth(downKey));
    expect(mine.status).toBe(200);
    expect(mine.body.healthy_count).toBe(0);
    expect(mine.body.unhealthy_endpoints).toEqual([
      expect.objectContaining({ model_name: 'down', error: 'APIConnectionError' }),
    ]);
    expectNoAddress(mine.body);
    const limited = await get(base, '/health', auth(limitedKey));
    expect(
      limited.body.healthy_endpoints.map((e: { model_name: string }) => e.model_name).sort(),
    ).toEqual(['chat', 'embed']);
    expectNoAddress(limited.body);
    // The admin keeps every detail to debug with.
    const all = await get(base, '/health', auth());
    const down = all.body.unhealthy_endpoints.find(
      (e: { model_name: string }) => e.model_name === 'down',
    );
    expect(down.api_base).toBe(downUrl);
    expect(down.error).toContain('ECONNREFUSED');
  });

  it('answers to a key carry no x-litellm-model-api-base; the admin still gets it', async () => {
    const mine = await post(
      base,
      '/v1/chat/completions',
      { model: 'chat', messages },
      auth(limitedKey),
    );
    expect(mine.status).toBe(200);
    expect(mine.headers['x-litellm-model-api-base']).toBeUndefined();
    expect(mine.headers['x-litellm-model-group']).toBe('chat');
    const admin = await post(base, '/v1/chat/completions', { model: 'chat', messages }, auth());
    expect(admin.headers['x-litellm-model-api-base']).toBe(stack.vllm.url);
  });

  it('an upstream that cannot be reached is reported by class, without its address, to anyone', async () => {
    for (const key of [downKey, MASTER_KEY]) {
      const res = await post(
        base,
        '/v1/chat/completions',
        { model: 'down', messages },
        { ...auth(key), 'x-litellm-call-id': `down-${key.slice(-4)}` },
      );
      expect(res.status).toBe(500);
      expect(res.body.error.type).toBe('api_connection_error');
      expect(res.body.error.message).toContain('ECONNREFUSED');
      expect(res.body.error.message).toContain('[upstream]');
      expectNoAddress(res.body);
      expect(res.headers['x-litellm-model-api-base'] === undefined).toBe(key === downKey);
    }
    // The proxy's log keeps what clients were not told.
    const line = await log.waitFor(l => l.call_id === `down-${downKey.slice(-4)}`);
    expect(line.api_base).toBe(downUrl);
    expect(String(line.error_message)).toContain(new URL(downUrl).host);
  });

  it('a mid-stream error event names no upstream address', async () => {
    stack.vllm.inject({ dropAfter: 2, path: '/v1/chat/completions' });
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...auth(limitedKey), 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages, stream: true, max_tokens: 20 }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const errorEvent = text
      .split('\n\n')
      .map(e => e.replace(/^data: /, ''))
      .find(e => e.startsWith('{"error"'));
    expect(errorEvent, text).toBeDefined();
    const error = JSON.parse(errorEvent!).error;
    expect(typeof error.type).toBe('string');
    expectNoAddress(error);
    expect(text).not.toContain('[DONE]');
  });
});
