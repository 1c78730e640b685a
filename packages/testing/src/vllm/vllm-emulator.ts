/** The vLLM OpenAI-compatible server emulator: options, dispatch, auth and faults. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, startHttpServer } from '../shared/emulator-server';
import { applyFaultLatency, respondFromFault } from '../shared/fault-responder';
import { FAULT_HEADER, type Fault, FaultHeaderError, FaultQueue } from '../shared/faults';
import { RequestLog } from '../shared/request-log';
import type { EmulatorTlsOptions } from '../shared/server-tls';
import { createTokenPacer, type TimingOptions } from '../shared/timing';
import { PrefixCache, type PrefixCacheOptions } from './prefix-cache';
import { plainValidationError, validationError } from './pydantic-message';
import { SeqScheduler } from './seq-scheduler';
import type { ReasoningField, RouteCall, VllmContext } from './vllm-context';
import {
  badRequest,
  errorBody,
  faultError,
  type VllmErrorShape,
  VllmHttpError,
} from './vllm-errors';
import { type KvEventsOptions, startKvEvents } from './vllm-kv-events';
import { LoraAdapters, type LoraOptions } from './vllm-lora';
import { VllmMetrics } from './vllm-metrics';
import { isGuardedPath, ROUTES, type Route } from './vllm-routes';
import { parseMultipart } from './vllm-transcription';
import { Vocabulary } from './vocabulary';

/** Options for {@link startVllmEmulator}; every one has a default. */
export interface VllmEmulatorOptions extends TimingOptions {
  /** The model path (`vllm serve MODEL`); default `facebook/opt-125m`. */
  model?: string;
  /** `--served-model-name`: the names clients use; default the model path. */
  servedModelName?: string | string[];
  /** `--api-key`: when set, paths under `/v1` need `Authorization: Bearer KEY`. */
  apiKey?: string | string[];
  /** `--reasoning-parser`: when set, chat responses carry reasoning text. */
  reasoningParser?: string;
  /** Which field carries reasoning: `reasoning` (newest, default), `reasoning_content` (≤0.11) or both. */
  reasoningField?: ReasoningField;
  /** Error bodies of vLLM ≥0.10 (`current`, default) or ≤0.9 (`legacy`). */
  errorShape?: VllmErrorShape;
  /** `--max-model-len`; default 2048. */
  maxModelLen?: number;
  /** What `GET /version` reports; default `0.11.0`. */
  version?: string;
  /** Forces the generated text of every chat, completion and transcription (tests compare bodies exactly). */
  scripted?: { text: string };
  /** Embedding size; default 8. */
  embeddingDimensions?: number;
  /** As if started with `--enable-auto-tool-choice --tool-call-parser`; default true. */
  enableAutoToolChoice?: boolean;
  /** Labels `/classify` chooses between; default `['LABEL_0', 'LABEL_1']`. */
  classifyLabels?: string[];
  /** Most request-log entries kept (oldest dropped first); default 10,000. */
  requestLogLimit?: number;
  /** Largest request body accepted; default 32 MiB. */
  maxBodyBytes?: number;
  /**
   * `--enable-prefix-caching`: a bounded LRU cache of prompt token blocks;
   * cached leading blocks cut the time to first token in proportion
   * (`ttftMs` × uncached share), and `/metrics` counts queries and hits.
   * Default off.
   */
  prefixCache?: boolean | PrefixCacheOptions;
  /**
   * `--kv-events-config` with the `zmq` publisher: the prefix cache's
   * changes are published as vLLM's KV events (turns the prefix cache on).
   * Needs the optional package `@switchyard/kv-events`. Default off.
   */
  kvEvents?: boolean | KvEventsOptions;
  /**
   * `--enable-prompt-tokens-details`: `usage.prompt_tokens_details` reports
   * `cached_tokens` (the prefix-cache hit). Default off (null, as vLLM).
   */
  enablePromptTokensDetails?: boolean;
  /**
   * `--max-num-seqs`: requests generating at once; later ones wait (and
   * show as `vllm:num_requests_waiting`). Default unlimited.
   */
  maxNumSeqs?: number;
  /**
   * LoRA adapters: loaded at start (`--lora-modules`), and loadable at run
   * time when `allowRuntimeUpdating` (`VLLM_ALLOW_RUNTIME_LORA_UPDATING`).
   * Each is served as a model name of its own. Default none.
   */
  lora?: LoraOptions;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Serve HTTPS (`--tls-cert`, `--tls-key`), optionally requiring client certificates (`--tls-ca`). */
  tls?: EmulatorTlsOptions;
}

/** A running emulator. */
export interface VllmEmulator {
  /** Base URL without `/v1`, e.g. `http://127.0.0.1:41234` (`https://` with TLS). */
  url: string;
  port: number;
  /** The first served model name (what requests should name). */
  model: string;
  /** Every request received, for assertions. */
  requests: RequestLog;
  /** Queues a fault for the next `fault.times` matching requests. */
  inject(fault: Fault): void;
  /** Drops queued faults. */
  clearFaults(): void;
  /** Marks the engine alive or dead: a dead engine answers `/health` and `/ping` with 503. */
  setHealthy(healthy: boolean): void;
  /** Where the KV-event publisher listens, when `kvEvents` is on. */
  kvEvents: { endpoint: string; replayEndpoint: string | undefined } | undefined;
  /** Empties the prefix cache (as `POST /reset_prefix_cache`), publishing `AllBlocksCleared`. */
  resetPrefixCache(): void;
  close(): Promise<void>;
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Starts a vLLM emulator on a loopback port. */
export async function startVllmEmulator(options: VllmEmulatorOptions = {}): Promise<VllmEmulator> {
  const model = options.model ?? 'facebook/opt-125m';
  const servedNames = list(options.servedModelName);
  const ctx: VllmContext = {
    model,
    servedNames: servedNames.length > 0 ? servedNames : [model],
    maxModelLen: options.maxModelLen ?? 2048,
    errorShape: options.errorShape ?? 'current',
    reasoningParser: options.reasoningParser,
    reasoningField: options.reasoningField ?? 'reasoning',
    enableAutoToolChoice: options.enableAutoToolChoice ?? true,
    scriptedText: options.scripted?.text,
    embeddingDimensions: options.embeddingDimensions ?? 8,
    classifyLabels: options.classifyLabels ?? ['LABEL_0', 'LABEL_1'],
    version: options.version ?? '0.11.0',
    createdAt: Math.floor(Date.now() / 1000),
    pacer: createTokenPacer(options),
    timing: { ttftMs: options.ttftMs, tokensPerSecond: options.tokensPerSecond },
    prefixCache: undefined,
    promptTokensDetails: options.enablePromptTokensDetails === true,
    scheduler: new SeqScheduler(options.maxNumSeqs),
    metrics: new VllmMetrics(),
    vocabulary: new Vocabulary(),
    healthy: true,
    lora: new LoraAdapters(options.lora),
  };
  const cacheOptions =
    typeof options.prefixCache === 'object'
      ? options.prefixCache
      : options.prefixCache || options.kvEvents
        ? {}
        : undefined;
  if (cacheOptions) ctx.prefixCache = new PrefixCache(cacheOptions, ctx.vocabulary);
  const kvEvents =
    options.kvEvents && ctx.prefixCache
      ? await startKvEvents(ctx.prefixCache, options.kvEvents === true ? {} : options.kvEvents)
      : undefined;
  const keyDigests = list(options.apiKey).map(digest);
  const faults = new FaultQueue();
  const requests = new RequestLog({ limit: options.requestLogLimit });
  const limitBytes = options.maxBodyBytes ?? 32 * 1024 * 1024;

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const entry = requests.begin(req, res);
    const path = entry.path;
    const method = req.method ?? 'GET';
    const raw =
      method === 'GET' || method === 'HEAD' ? undefined : await readBody(req, { limitBytes });
    const contentType = String(req.headers['content-type'] ?? '');
    const route = ROUTES[path]?.[method];
    const isMultipart =
      route?.body === 'multipart' && contentType.toLowerCase().startsWith('multipart/form-data');
    const multipart =
      isMultipart && raw
        ? await parseMultipart(raw, contentType).catch(() => undefined)
        : undefined;
    const json = parseJson(raw);
    requests.update(entry, {
      body: multipart ? multipart.summary : json.ok ? json.value : raw?.toString('utf8'),
    });

    let fault: Fault | undefined;
    try {
      fault = faults.take(path, headerValue(req.headers[FAULT_HEADER]));
    } catch (error) {
      if (!(error instanceof FaultHeaderError)) throw error;
      sendJson(res, 400, errorBody(badRequest(error.message), ctx.errorShape));
      return;
    }
    await applyFaultLatency(res, fault);
    if (res.destroyed) return;
    if (
      respondFromFault(res, fault, {
        errorBody: status => errorBody(faultError(status), ctx.errorShape),
      })
    )
      return;

    if (!route) {
      const known = ROUTES[path] !== undefined;
      sendJson(res, known ? 405 : 404, { detail: known ? 'Method Not Allowed' : 'Not Found' });
      return;
    }
    if (keyDigests.length > 0 && isGuardedPath(path) && !authorized(req, keyDigests)) {
      sendJson(res, 401, { error: 'Unauthorized' });
      return;
    }
    try {
      const body = parseRouteBody({
        route,
        raw,
        json,
        contentType,
        shape: ctx.errorShape,
        multipart,
      });
      if (body === UNSUPPORTED_MEDIA) {
        sendJson(res, 415, { detail: MEDIA_MESSAGE });
        return;
      }
      const call: RouteCall = { req, res, path, body, fault };
      await route.handler(ctx, call);
    } catch (error) {
      if (!(error instanceof VllmHttpError)) throw error;
      if (!res.headersSent) sendJson(res, error.status, errorBody(error, ctx.errorShape));
      else res.destroy();
    }
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
    model: ctx.servedNames[0]!,
    requests,
    inject: fault => faults.inject(fault),
    clearFaults: () => faults.clear(),
    setHealthy: healthy => {
      ctx.healthy = healthy;
    },
    kvEvents: kvEvents && { endpoint: kvEvents.endpoint, replayEndpoint: kvEvents.replayEndpoint },
    resetPrefixCache: () => ctx.prefixCache?.clear(),
    close: async () => {
      await server.close();
      await kvEvents?.close();
    },
  };
}

const MEDIA_MESSAGE = "Unsupported Media Type: Only 'application/json' is allowed";
const UNSUPPORTED_MEDIA = Symbol('unsupported media type');

type JsonResult = { ok: true; value: unknown } | { ok: false; reason: string };

interface ParseRouteBodyOptions {
  route: Route;
  raw: Buffer | undefined;
  /** The body parsed once, for both the log and the route. */
  json: JsonResult;
  contentType: string;
  shape: VllmErrorShape;
  multipart: Awaited<ReturnType<typeof parseMultipart>> | undefined;
}

function parseRouteBody(options: ParseRouteBodyOptions): unknown {
  const { route, raw, json, contentType, shape, multipart } = options;
  if (route.body === 'none') return undefined;
  if (route.body === 'multipart') {
    return multipart ?? { summary: { fields: {}, files: [] }, files: new Map() };
  }
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    // ≤0.9 raised an HTTPException(415); newer releases raise a validation error (spec §A.1).
    if (shape === 'legacy') return UNSUPPORTED_MEDIA;
    throw plainValidationError(MEDIA_MESSAGE);
  }
  if (!raw || raw.length === 0) {
    throw validationError([{ type: 'missing', loc: [], msg: 'Field required', input: null }]);
  }
  if (json.ok) return json.value;
  throw plainValidationError(
    `{'type': 'json_invalid', 'loc': 'body.0', 'msg': 'JSON decode error', 'input': {}, 'ctx': {'error': '${json.reason}'}}`,
  );
}

function parseJson(raw: Buffer | undefined): JsonResult {
  if (!raw || raw.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message.replace(/'/g, '"') };
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(';') : value;
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** vLLM's check: scheme `bearer` (any case) and a key whose SHA-256 matches one of the keys. */
function authorized(req: IncomingMessage, keyDigests: Buffer[]): boolean {
  const header = req.headers.authorization ?? '';
  const space = header.indexOf(' ');
  if (space === -1 || header.slice(0, space).toLowerCase() !== 'bearer') return false;
  const given = digest(header.slice(space + 1));
  return keyDigests.some(key => timingSafeEqual(key, given));
}
