/**
 * A Triton Inference Server emulator on a real loopback port: KServe v2
 * routes (health, metadata, `/infer` with the binary tensor extension,
 * `/generate`, `/generate_stream`), the OpenAI-compatible frontend routes,
 * Prometheus `/metrics`, fault injection and a request log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpBodyError, readBody, startHttpServer } from '../shared/emulator-server';
import { applyFaultLatency, closeSignal, respondFromFault } from '../shared/fault-responder';
import { FAULT_HEADER, type Fault, FaultHeaderError, FaultQueue } from '../shared/faults';
import { RequestLog } from '../shared/request-log';
import type { EmulatorTlsOptions } from '../shared/server-tls';
import type { TimingOptions } from '../shared/timing';
import { handleKserveRoute } from './kserve-router';
import { renderMetrics } from './model-metrics';
import type { TritonModelOptions } from './model-options';
import { ModelRegistry } from './model-registry';
import { handleOpenAiRoute } from './openai-frontend';
import { parseOpenAiRestriction, restrictionFailure } from './openai-restriction';
import type { EmulatorState, RouteContext } from './route-context';

/** Options for {@link startTritonEmulator}. */
export interface TritonEmulatorOptions extends TimingOptions {
  /** The models served; order matters for the bare `/generate` route (first model). */
  models: TritonModelOptions[];
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Port; default 0 (ephemeral). */
  port?: number;
  /** Serve HTTPS (`--tls-cert`, `--tls-key`), optionally requiring client certificates (`--tls-ca`). */
  tls?: EmulatorTlsOptions;
  /** Server readiness at start; default true. `/v2/health/ready` also needs every model ready. */
  serverReady?: boolean;
  /**
   * `--openai-restricted-api` rules of the OpenAI frontend, each
   * `"<api,…> <header> <value>"` (groups: inference, model-repository, metrics, health).
   */
  openaiRestrictedApi?: string | string[];
  /** Largest request body accepted; default 64 MiB (Triton's `--http-max-input-size`). */
  maxInputBytes?: number;
}

/** A running emulator. */
export interface TritonEmulator {
  /** `http://127.0.0.1:PORT` (`https://` with TLS), no trailing slash. */
  url: string;
  port: number;
  /** Queues a fault for the next matching request(s). */
  inject(fault: Fault): void;
  /** Every request received, for assertions and `waitFor`. */
  requests: RequestLog;
  /** Flips readiness of the server (`'server'`) or of one model (by name). */
  setReady(target: string, ready: boolean): void;
  close(): Promise<void>;
}

const DEFAULT_MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Starts a Triton emulator. */
export async function startTritonEmulator(options: TritonEmulatorOptions): Promise<TritonEmulator> {
  if (!Array.isArray(options?.models) || options.models.length === 0) {
    throw new TypeError('startTritonEmulator: options.models must list at least one model');
  }
  const restrictions = (
    options.openaiRestrictedApi === undefined
      ? []
      : Array.isArray(options.openaiRestrictedApi)
        ? options.openaiRestrictedApi
        : [options.openaiRestrictedApi]
  ).map(parseOpenAiRestriction);
  const state: EmulatorState = {
    registry: new ModelRegistry(options.models),
    timing: { ttftMs: options.ttftMs, tokensPerSecond: options.tokensPerSecond },
    serverReady: options.serverReady ?? true,
    restrictions,
  };
  const faults = new FaultQueue();
  const requests = new RequestLog();
  const startedAt = Date.now();
  const limitBytes = options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const entry = requests.begin(req, res);
    const method = req.method ?? 'GET';
    const path = entry.path;
    let body: Buffer;
    try {
      body = await readBody(req, { limitBytes });
    } catch (error) {
      const message =
        error instanceof HttpBodyError && error.status === 413
          ? `request body exceeds the maximum allowed input size of ${limitBytes} bytes`
          : (error as Error).message;
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: message }));
      return;
    }
    requests.update(entry, { body: logBody(body, req) });
    const openAiPath = path.startsWith('/v1/') || path === '/health/ready';
    const errorShape = (message: string) => (openAiPath ? { detail: message } : { error: message });
    let fault: Fault | undefined;
    try {
      const header = req.headers[FAULT_HEADER];
      fault = faults.take(path, Array.isArray(header) ? header[0] : header);
    } catch (error) {
      if (!(error instanceof FaultHeaderError)) throw error;
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(errorShape(error.message)));
      return;
    }
    await applyFaultLatency(res, fault);
    if (res.destroyed) return;
    const responded = respondFromFault(res, fault, {
      errorBody: status => errorShape(`injected fault: HTTP ${status}`),
    });
    if (responded) return;
    const ctx: RouteContext = {
      req,
      res,
      method,
      path,
      body,
      fault,
      state,
      signal: closeSignal(res),
    };
    if (path === '/metrics') return handleMetrics(ctx);
    if (await handleKserveRoute(ctx)) return;
    if (await handleOpenAiRoute(ctx, startedAt)) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'Not Found' }));
  };

  const server = await startHttpServer({
    host: options.host,
    port: options.port,
    handler,
    tls: options.tls,
  });
  return {
    url: server.url,
    port: server.port,
    inject: fault => faults.inject(fault),
    requests,
    setReady(target, ready) {
      if (target === 'server') {
        state.serverReady = ready;
        return;
      }
      const model = state.registry.find(target);
      if (!model) throw new TypeError(`setReady: no model named "${target}" is served`);
      model.ready = ready;
    },
    close: () => server.close(),
  };
}

function handleMetrics(ctx: RouteContext): void {
  if (ctx.method !== 'GET') {
    ctx.res.writeHead(405, { 'content-type': 'application/json' });
    ctx.res.end(JSON.stringify({ error: 'Method Not Allowed' }));
    return;
  }
  const refusal = restrictionFailure({
    restrictions: ctx.state.restrictions,
    group: 'metrics',
    headers: ctx.req.headers,
  });
  if (refusal) {
    ctx.res.writeHead(401, { 'content-type': 'application/json' });
    ctx.res.end(JSON.stringify(refusal));
    return;
  }
  const text = renderMetrics(
    ctx.state.registry.models.map(m => ({
      model: m.definition.name,
      version: m.definition.version,
      metrics: m.metrics,
    })),
  );
  ctx.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  ctx.res.end(text);
}

function logBody(body: Buffer, req: IncomingMessage): unknown {
  if (body.length === 0) return undefined;
  if (req.headers['inference-header-content-length'] !== undefined) {
    return { binary: true, bytes: body.length };
  }
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
