import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startTritonEmulator,
  startVllmEmulator,
  type TritonEmulator,
  type VllmEmulator,
} from '@switchyard/testing';
import { request } from 'undici';
import {
  createLogger,
  parseConfig,
  type RunningProxy,
  type StartProxyOptions,
  startProxy,
} from '../src/index';
import type { LogLines } from './log-lines';

/** A proxy in front of a vLLM and a Triton emulator, all on loopback ephemeral ports. */
export interface Stack {
  proxy: RunningProxy;
  vllm: VllmEmulator;
  triton: TritonEmulator;
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field in the tests
type Json = any;

export const MASTER_KEY = 'sk-test-master-1234';

let stacks = 0;

/** Options for {@link startStack}. */
export interface StackOptions {
  masterKey?: string;
  /** Extra top-level config merged over the default. */
  extra?: Record<string, unknown>;
  /** Deployments added after the default ones. */
  extraModels?: Array<Record<string, unknown>>;
  vllm?: Parameters<typeof startVllmEmulator>[0];
  drainTimeoutMs?: number;
  /** Receives the proxy's log lines from info level up (silent otherwise). */
  log?: LogLines;
  /** The admin page's options (on by default, as in production). */
  adminUi?: StartProxyOptions['adminUi'];
  /** The environment the proxy reads `OTEL_*` from (default: none of the test runner's). */
  env?: Record<string, string>;
}

/**
 * Deployments: `chat` (vLLM), `text` (vLLM completions), `embed` (vLLM
 * embeddings), `rerank` (vLLM), `whisper` (vLLM transcription) and
 * `triton-chat` (Triton vLLM backend). Retries are off so a fault reaches
 * the client as is.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const vllm = await startVllmEmulator({ model: 'facebook/opt-125m', ...options.vllm });
  const triton = await startTritonEmulator({
    models: [{ name: 'llama-3-8b-instruct', profile: 'vllm' }],
  });
  const v = { model: 'hosted_vllm/facebook/opt-125m', api_base: vllm.url };
  const { config } = parseConfig(
    {
      model_list: [
        { model_name: 'chat', litellm_params: { ...v, api_key: 'sk-upstream-secret' } },
        { model_name: 'text', litellm_params: v, model_info: { mode: 'completion' } },
        { model_name: 'embed', litellm_params: v, model_info: { mode: 'embedding' } },
        { model_name: 'rerank', litellm_params: v, model_info: { mode: 'rerank' } },
        { model_name: 'whisper', litellm_params: v, model_info: { mode: 'audio_transcription' } },
        {
          model_name: 'triton-chat',
          litellm_params: { model: 'triton/llama-3-8b-instruct', api_base: triton.url },
        },
        ...(options.extraModels ?? []),
      ],
      litellm_settings: { num_retries: 0 },
      router_settings: { num_retries: 0 },
      ...options.extra,
      general_settings: {
        ...(options.masterKey ? { master_key: options.masterKey } : {}),
        // These tests are about routing; keys and spend have their own (test/keys-*.test.ts).
        disable_spend_logs: true,
        switchyard_data_dir: join(tmpdir(), `switchyard-test-${process.pid}-${++stacks}`),
        ...(options.extra?.general_settings as Record<string, unknown> | undefined),
      },
    },
    { env: {} },
  );
  const proxy = await startProxy({
    config,
    host: '127.0.0.1',
    port: 0,
    logger: options.log
      ? createLogger({ level: 'info', destination: options.log })
      : createLogger({ level: 'silent' }),
    drainTimeoutMs: options.drainTimeoutMs,
    adminUi: options.adminUi,
    env: options.env ?? {},
  });
  return {
    proxy,
    vllm,
    triton,
    async close() {
      await proxy.close();
      await vllm.close();
      await triton.close();
    },
  };
}

/** JSON POST with optional key; returns status, headers and parsed body. */
export async function post(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string>; body: Json }> {
  const res = await request(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.statusCode, headers: res.headers as Record<string, string>, body: parsed };
}

/** GET with optional headers; returns status, headers and the body (parsed when JSON). */
export async function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string>; body: Json }> {
  const res = await request(`${base}${path}`, { headers });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.statusCode, headers: res.headers as Record<string, string>, body: parsed };
}

export const auth = (key = MASTER_KEY) => ({ authorization: `Bearer ${key}` });

/** What {@link rawRequest} read: the answer as the bytes came, and whether the server closed the connection. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Json;
  /** The server ended the connection after answering. */
  closed: boolean;
}

/**
 * Writes `head` (and `chunks`, one per callback turn) on a fresh TCP
 * connection, the way a broken or hostile client would, and reads one
 * answer. Resolves once the answer is complete and the connection is
 * closed, or `keepAliveWaitMs` after a complete answer on a connection the
 * server keeps open.
 */
export async function rawRequest(
  port: number,
  head: string,
  options: { chunks?: AsyncIterable<string>; keepAliveWaitMs?: number } = {},
): Promise<RawAnswer> {
  const { connect } = await import('node:net');
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  socket.on('error', () => {});
  const closed = new Promise<void>(resolve => socket.once('close', () => resolve()));
  socket.write(head);
  if (options.chunks) {
    for await (const chunk of options.chunks) {
      if (socket.destroyed) break;
      socket.write(chunk);
    }
  }
  const complete = () => {
    const end = text.indexOf('\r\n\r\n');
    if (end === -1) return false;
    const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
    return length !== null && Buffer.byteLength(text.slice(end + 4)) >= Number(length[1]);
  };
  let wasClosed = false;
  await Promise.race([
    closed.then(() => {
      wasClosed = true;
    }),
    new Promise<void>(resolve => {
      const check = () => {
        if (!complete()) return;
        socket.off('data', check);
        setTimeout(resolve, options.keepAliveWaitMs ?? 5000);
      };
      socket.on('data', check);
    }),
  ]);
  socket.destroy();
  const end = text.indexOf('\r\n\r\n');
  const lines = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const raw = text.slice(end + 4);
  let body: unknown = raw;
  try {
    body = JSON.parse(raw);
  } catch {}
  return { status: Number(lines[0]?.split(' ')[1]), headers, body, closed: wasClosed };
}
