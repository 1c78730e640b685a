import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, parseConfig, type RunningProxy, startProxy } from '../src/index';
import { auth, get, MASTER_KEY, post } from './helpers';
import { chat, freshDatabase, redisPrefix, tempDir } from './keys-helpers';
import { LogLines } from './log-lines';

/** A loopback port nobody listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

const DOWN =
  'Redis is not reachable: requests with virtual keys and key changes get 503 until it is back';

const hasRedisServer = (() => {
  try {
    execFileSync('redis-server', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

/** A Redis of the test's own on `port`, stopped by the test. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', code => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
  return child;
}

describe('Redis configured but unreachable', () => {
  let vllm: VllmEmulator;
  let proxy: RunningProxy;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let redis: ChildProcess | undefined;
  let port: number;
  const log = new LogLines();
  /** The next log line saying `msg` after those already written. */
  const next = (msg: string) => {
    const from = log.lines.length;
    return log.waitFor(l => l.msg === msg && log.lines.indexOf(l) >= from);
  };

  beforeAll(async () => {
    vllm = await startVllmEmulator({ model: 'facebook/opt-125m' });
    db = await freshDatabase();
    port = await closedPort();
    const { config } = parseConfig(
      {
        model_list: [
          {
            model_name: 'chat',
            litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: vllm.url },
          },
        ],
        general_settings: {
          master_key: MASTER_KEY,
          database_url: db.url,
          switchyard_data_dir: await tempDir(),
          switchyard_redis_prefix: redisPrefix(),
          proxy_batch_write_at: 0.05,
        },
        // LiteLLM's usual place: the router's state and the key manager both use it.
        router_settings: { redis_host: '127.0.0.1', redis_port: port, num_retries: 0 },
      },
      { env: {} },
    );
    proxy = await startProxy({
      config,
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ level: 'info', destination: log }),
    });
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    if (redis && redis.exitCode === null) {
      redis.kill('SIGTERM');
      await once(redis, 'exit');
    }
    await vllm?.close();
    await db?.drop();
  });

  it('starts, says Redis is down, serves the master key and refuses what needs Redis with 503', async () => {
    expect(log.lines.some(l => String(l.msg).startsWith('Redis is not reachable'))).toBe(true);
    const ready = await get(proxy.url, '/health/readiness');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'unhealthy',
      db: 'connected',
      redis: 'disconnected',
    });
    expect((await get(proxy.url, '/health/liveliness')).status).toBe(200);

    const served = await post(proxy.url, '/v1/chat/completions', chat('chat'), auth());
    expect(served.status).toBe(200);
    expect(served.body.choices[0].message.content).toBeTypeOf('string');

    const made = await post(proxy.url, '/key/generate', {}, auth());
    expect(made.status).toBe(503);
    expect(made.body.error).toMatchObject({ type: 'service_unavailable', code: '503' });
    expect(made.body.error.message).toContain('Redis is not reachable');
    expect(Object.keys(made.body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  }, 60_000);

  it.runIf(hasRedisServer)(
    'picks Redis up when it starts, then refuses virtual keys again when it stops',
    async () => {
      const back = next('Redis is reachable again');
      redis = await startRedis(port);
      await back;
      const ready = await get(proxy.url, '/health/readiness');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'healthy', db: 'connected', redis: 'connected' });

      const made = await post(proxy.url, '/key/generate', { rpm_limit: 100 }, auth());
      expect(made.status).toBe(200);
      const used = await post(proxy.url, '/v1/chat/completions', chat('chat'), auth(made.body.key));
      expect(used.status).toBe(200);

      const down = next(DOWN);
      redis.kill('SIGTERM');
      await once(redis, 'exit');
      await down;
      const refused = await post(
        proxy.url,
        '/v1/chat/completions',
        chat('chat'),
        auth(made.body.key),
      );
      expect(refused.status).toBe(503);
      expect(refused.body.error.message).toContain('Redis is not reachable');
      expect((await post(proxy.url, '/v1/chat/completions', chat('chat'), auth())).status).toBe(
        200,
      );
      expect((await get(proxy.url, '/health/readiness')).status).toBe(503);
    },
    60_000,
  );
});
