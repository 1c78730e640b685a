import { getEventListeners } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, parseConfig, type RunningProxy, startProxy } from '../src/index';
import { clientGoneSignal } from '../src/routes/routed-call';
import { LogLines } from './log-lines';

const CHAT = '/v1/chat/completions';

describe('a client that goes away', () => {
  let vllm: VllmEmulator;
  /** Streams ten tokens a second, so a client can leave mid-stream. */
  let slowVllm: VllmEmulator;
  let proxy: RunningProxy;
  const log = new LogLines();
  /** Requests the proxy received, to reach their connection's signal. */
  const received: IncomingMessage[] = [];

  beforeAll(async () => {
    vllm = await startVllmEmulator({ model: 'facebook/opt-125m' });
    slowVllm = await startVllmEmulator({ model: 'facebook/opt-125m', tokensPerSecond: 10 });
    const slow = {
      model_name: 'slow',
      litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: slowVllm.url },
    };
    const { config } = parseConfig(
      {
        model_list: [
          {
            model_name: 'chat',
            litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: vllm.url },
          },
          // Two deployments: a group of one is never cooled down, so this would show a wrong cooldown.
          { ...slow, model_info: { id: 'slow-a' } },
          { ...slow, model_info: { id: 'slow-b' } },
        ],
        // One counted failure would cool a deployment down.
        router_settings: { num_retries: 0, allowed_fails: 0, cooldown_time: 600 },
        general_settings: {
          disable_spend_logs: true,
          switchyard_data_dir: join(tmpdir(), `switchyard-test-${process.pid}-disconnect`),
        },
      },
      { env: {} },
    );
    proxy = await startProxy({
      config,
      host: '127.0.0.1',
      port: 0,
      // Failures are logged at info and above: the line says the handler finished,
      // and with detailed debug it carries the error message.
      logger: createLogger({ level: 'info', destination: log }),
      detailedDebug: true,
    });
    proxy.server.on('request', (req: IncomingMessage) => received.push(req));
  });
  afterAll(async () => {
    await proxy?.close();
    await vllm?.close();
    await slowVllm?.close();
  });

  const chat = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      model: 'chat',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'hello' }],
      ...extra,
    });

  it('while its request body is still arriving: the request ends, nothing is sent upstream', async () => {
    vllm.requests.clear();
    const body = chat();
    const socket: Socket = connect(proxy.port, '127.0.0.1');
    await new Promise<void>(resolve => socket.once('connect', resolve));
    const callId = 'disconnect-mid-body';
    socket.write(
      `POST ${CHAT} HTTP/1.1\r\nhost: proxy\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nx-litellm-call-id: ${callId}\r\n\r\n` +
        body.slice(0, 10),
    );
    // The proxy has the request (its handler is reading the body) before the client leaves.
    while (!received.some(r => r.headers['x-litellm-call-id'] === callId)) {
      await new Promise(resolve => proxy.server.once('request', resolve));
    }
    socket.destroy();
    const line = await log.waitFor(l => l.call_id === callId);
    expect(line).toMatchObject({
      route: CHAT,
      status: 499,
      error: 'ClientDisconnect',
      client_disconnected: true,
    });
    // The proxy still serves, and the cut request never reached the upstream.
    const client = new Client(proxy.url);
    const ok = await client.request({
      method: 'POST',
      path: CHAT,
      headers: { 'content-type': 'application/json' },
      body: chat(),
    });
    expect(ok.statusCode).toBe(200);
    await ok.body.text();
    await client.close();
    expect(vllm.requests.entries.filter(e => e.path === CHAT)).toHaveLength(1);
  });

  it('while a non-streaming answer is pending: the upstream request is cut at once', async () => {
    vllm.requests.clear();
    vllm.inject({ delayMs: 30_000, path: CHAT });
    const body = chat();
    const socket = connect(proxy.port, '127.0.0.1');
    socket.write(
      `POST ${CHAT} HTTP/1.1\r\nhost: proxy\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    await vllm.requests.waitFor(e => e.path === CHAT);
    socket.destroy();
    const entry = await vllm.requests.waitFor(e => e.path === CHAT && e.aborted, {
      timeoutMs: 3000,
    });
    expect(entry.aborted).toBe(true);
  });

  it('a keep-alive connection does not collect listeners on its signal', async () => {
    received.length = 0;
    const client = new Client(proxy.url, { pipelining: 1 });
    const send = async (body: string) => {
      const res = await client.request({
        method: 'POST',
        path: CHAT,
        headers: { 'content-type': 'application/json' },
        body,
      });
      await res.body.text();
      return res.statusCode;
    };
    expect(await send(chat())).toBe(200);
    // With a timeout the router follows the signal through a deadline of its own.
    expect(await send(chat({ timeout: 30 }))).toBe(200);
    expect(await send(chat({ stream: true }))).toBe(200);
    expect(await send(chat({ stream: true, timeout: 30 }))).toBe(200);
    vllm.inject({ streamErrorAfter: 2, path: CHAT });
    expect(await send(chat({ stream: true }))).toBe(200);
    vllm.inject({ status: 503, path: CHAT });
    expect(await send(chat({ timeout: 30 }))).toBe(503);
    expect(new Set(received.map(r => r.socket)).size).toBe(1);
    const signal = clientGoneSignal(received[0]!);
    expect(signal.aborted).toBe(false);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    await client.close();
  });

  /** The proxy's /metrics text. */
  async function metrics(): Promise<string> {
    const client = new Client(proxy.url);
    const res = await client.request({ method: 'GET', path: '/metrics' });
    const text = await res.body.text();
    await client.close();
    return text;
  }

  /** Each slow deployment's cooldown end (0 = not cooling down). */
  async function slowCooldowns(): Promise<number[]> {
    const ids = proxy.router
      .deployments()
      .filter(d => d.modelName === 'slow')
      .map(d => d.id);
    const stats = await proxy.router.state.snapshot({
      ids,
      now: Date.now(),
      usage: false,
      inFlight: false,
      latency: false,
    });
    return stats.map(s => s.cooldownUntil);
  }

  function slowBody(stream: boolean): string {
    return JSON.stringify({
      model: 'slow',
      max_tokens: 200,
      stream,
      messages: [{ role: 'user', content: 'hello' }],
    });
  }

  it.each([
    ['non-streaming', false],
    ['streaming', true],
  ])(
    'leaving a %s request is logged and counted as a 499 client disconnect, never against the deployment',
    async (_name, stream) => {
      const callId = `leave-${stream ? 'stream' : 'plain'}`;
      const body = slowBody(stream);
      const socket = connect(proxy.port, '127.0.0.1');
      socket.write(
        `POST ${CHAT} HTTP/1.1\r\nhost: proxy\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nx-litellm-call-id: ${callId}\r\n\r\n${body}`,
      );
      if (stream) {
        // Leave once the first token has arrived: mid-stream.
        await new Promise(resolve => socket.once('data', resolve));
      } else {
        await slowVllm.requests.waitFor(e => e.path === CHAT && !e.aborted);
      }
      socket.destroy();
      const line = await log.waitFor(l => l.call_id === callId);
      expect(line).toMatchObject({
        route: CHAT,
        status: 499,
        error: 'ClientDisconnect',
        client_disconnected: true,
        model: 'slow',
        // What the router attached to the cut call: which deployment, and why (detailed debug).
        model_id: expect.stringMatching(/^slow-[ab]$/),
        api_base: slowVllm.url,
        error_message: 'client disconnected',
      });
      // Not an unexpected failure of the proxy.
      expect(log.lines.some(l => l.msg === 'unexpected failure')).toBe(false);
      // The upstream call was cut, and neither slow deployment is cooling down or charged a failure.
      await slowVllm.requests.waitFor(e => e.path === CHAT && e.aborted, { timeoutMs: 5000 });
      expect(await slowCooldowns()).toEqual([0, 0]);
      const text = await metrics();
      expect(text).toMatch(
        /litellm_proxy_failed_requests_metric\{[^}]*exception_status="499"[^}]*exception_class="ClientDisconnect"[^}]*\} [1-9]/,
      );
      expect(text).not.toMatch(/exception_class="InternalError"/);
      expect(text).not.toMatch(/litellm_deployment_failure_responses\{[^}]*model_group="slow"/);
      slowVllm.requests.clear();
    },
  );
});
