import { readdir } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, parseConfig, type RunningProxy, startProxy } from '../src/index';
import { auth, get, MASTER_KEY, post } from './helpers';
import { chat, freshDatabase, PG_ADMIN_URL, tempDir } from './keys-helpers';

/** A TCP relay to PostgreSQL that the test can cut and restore: a real outage, seen from the proxy. */
class Relay {
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  port = 0;

  async up(): Promise<void> {
    const target = new URL(PG_ADMIN_URL);
    this.#server = createServer(client => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('error', () => {});
        s.once('close', () => this.#sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>(resolve => this.#server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.#server.address() as { port: number }).port;
  }

  async down(): Promise<void> {
    const closed = new Promise(resolve => this.#server?.close(resolve));
    for (const s of this.#sockets) s.destroy();
    await closed;
  }
}

describe('a database outage', () => {
  let vllm: VllmEmulator;
  let proxy: RunningProxy;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let dataDir: string;
  const relay = new Relay();

  beforeAll(async () => {
    vllm = await startVllmEmulator({ model: 'facebook/opt-125m' });
    db = await freshDatabase();
    await relay.up();
    const url = new URL(db.url);
    url.port = String(relay.port);
    dataDir = await tempDir();
    const { config } = parseConfig(
      {
        model_list: [
          {
            model_name: 'chat',
            litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: vllm.url },
            model_info: { input_cost_per_token: 0.001, output_cost_per_token: 0.001 },
          },
        ],
        general_settings: {
          master_key: MASTER_KEY,
          database_url: url.toString(),
          database_connection_timeout: 2,
          switchyard_data_dir: dataDir,
          // Long interval: the test drives the writer itself.
          proxy_batch_write_at: 3600,
        },
      },
      { env: {} },
    );
    proxy = await startProxy({
      config,
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ level: 'silent' }),
    });
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await relay.down().catch(() => {});
    await vllm?.close();
    await db?.drop();
  });

  it('keeps serving cached keys, buffers spend on disk, and writes it all when the database returns', async () => {
    const made = await post(proxy.url, '/key/generate', {}, auth());
    expect(made.status).toBe(200);
    expect(
      (await post(proxy.url, '/v1/chat/completions', chat('chat'), auth(made.body.key))).status,
    ).toBe(200);
    await proxy.keys!.spend!.flush();

    expect((await get(proxy.url, '/health/readiness')).body.db).toBe('connected');
    await relay.down();
    const unready = await get(proxy.url, '/health/readiness');
    expect(unready.status).toBe(503);
    expect(unready.body).toMatchObject({ status: 'unhealthy', db: 'disconnected', redis: null });
    const during: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = `outage-${i}`;
      const r = await post(proxy.url, '/v1/chat/completions', chat('chat'), {
        ...auth(made.body.key),
        'x-litellm-call-id': id,
      });
      expect(r.status).toBe(200);
      during.push(id);
    }
    await proxy.keys!.spend!.flush();
    const buffered = (await readdir(join(dataDir, 'spend-wal'))).filter(n =>
      n.startsWith('ready-'),
    );
    expect(buffered.length).toBeGreaterThan(0);
    expect(proxy.keys!.spend!.written).toBe(1);

    await relay.up();
    expect((await get(proxy.url, '/health/readiness')).status).toBe(200);
    await proxy.keys!.spend!.flush();
    const logs = await get(proxy.url, `/spend/logs?api_key=${made.body.key}`, auth());
    expect(logs.status).toBe(200);
    const ids = logs.body.map((r: { litellm_call_id: string }) => r.litellm_call_id);
    for (const id of during) expect(ids).toContain(id);
    expect(ids).toHaveLength(6);
    expect((await readdir(join(dataDir, 'spend-wal'))).filter(n => n.startsWith('ready-'))).toEqual(
      [],
    );
  }, 60_000);
});
