import type { IncomingMessage } from 'node:http';
import type { Invoke, Router } from '@switchyard/router';
import type { Logger } from '../logging/logger';
import type { Exchange } from '../server/proxy-context';
import { BatchExporter, type DropReason } from './batch-exporter';
import { buildSpans, type DeploymentFacts } from './build-spans';
import { OPERATION_OF_ROUTE, providerOf } from './gen-ai-attributes';
import type { OtelSettings } from './otel-settings';
import { JsonBatch, type Scope } from './otlp-json';
import { ProtobufBatch } from './otlp-protobuf';
import { RequestTrace, traceOfRequest } from './request-trace';
import { formatTraceParent, parseTraceParent } from './trace-ids';

/**
 * Operations whose upstream request carries `traceparent`: the OpenAI-shaped
 * ones and the Anthropic and Responses ones (whose call options the SDK
 * carries along when it translates them to chat).
 */
const PROPAGATING_OPERATIONS: ReadonlySet<string> = new Set([
  'chat',
  'chatStream',
  'textCompletion',
  'textCompletionStream',
  'embedding',
  'rerank',
  'messages',
  'messagesStream',
  'responses',
  'responsesStream',
]);

const SCOPE: Scope = { name: '@switchyard/proxy', version: '' };

/** Options for {@link Tracing}. */
export interface TracingOptions {
  settings: OtelSettings;
  logger: Logger;
  /** Counts spans exported and dropped (the proxy's `/metrics`). */
  count(outcome: 'exported' | DropReason, spans: number): void;
}

/**
 * OpenTelemetry tracing of the proxy's inference requests (LiteLLM's
 * `callbacks: ["otel"]`). The request handler asks {@link Tracing.begin}
 * for a trace, the route hands it the request body (which carries it to
 * the router's upstream calls, see {@link wrapInvoke}), and the handler
 * hands the finished exchange to {@link Tracing.end}; spans are built then
 * and exported in batches off the request path. Nothing of this exists
 * when otel is not configured.
 */
export class Tracing {
  readonly #o: TracingOptions;
  readonly #exporter: BatchExporter;
  #facts: Map<string, DeploymentFacts> | undefined;
  #router: Pick<Router, 'deployments' | 'state'> | undefined;

  constructor(options: TracingOptions) {
    this.#o = options;
    const { settings } = options;
    const json = settings.protocol === 'http/json';
    this.#exporter = new BatchExporter({
      settings,
      batch: json
        ? new JsonBatch(settings.resource, SCOPE)
        : new ProtobufBatch(settings.resource, SCOPE),
      onDropped: (reason, n) => options.count(reason, n),
      onExported: n => options.count('exported', n),
      onExportError: error =>
        options.logger.warn(
          { endpoint: settings.endpoint, err: (error as Error)?.message ?? String(error) },
          'OpenTelemetry export failed; spans are dropped until the collector answers',
        ),
    });
  }

  /**
   * The router whose deployments the spans describe. It is built with
   * {@link wrapInvoke}, so it comes after the tracer; no request is
   * served before this is called.
   */
  attach(router: Pick<Router, 'deployments' | 'state'>): void {
    this.#router = router;
    this.#facts = undefined;
  }

  /** A trace for a request to `route`, or undefined for routes that are not traced (probes, admin). */
  begin(req: IncomingMessage, route: string): RequestTrace | undefined {
    if (!OPERATION_OF_ROUTE.has(route)) return undefined;
    const trace = new RequestTrace(
      parseTraceParent(req.headers.traceparent),
      typeof req.headers.tracestate === 'string' ? req.headers.tracestate : undefined,
      this.#o.settings.captureContent,
    );
    trace.operation = OPERATION_OF_ROUTE.get(route);
    return trace;
  }

  /**
   * The router's `invoke` with each upstream call of a traced request
   * carrying `traceparent` (and the client's `tracestate`): the attempt's
   * own span id, so the engine's spans sit under the attempt that made them.
   * The trace rides on the request body under a symbol (copied by the
   * router's spreads, never serialised): an `AsyncLocalStorage` would do
   * it too, but on Node 20 it slows every promise in the process.
   */
  wrapInvoke(invoke: Invoke): Invoke {
    return args => {
      const trace = traceOfRequest(args.request);
      if (trace === undefined) return invoke(args);
      const spanId = trace.invoke(args.deployment.id);
      if (!PROPAGATING_OPERATIONS.has(args.operation)) return invoke(args);
      // A request's extra_headers replace the deployment's: start from whichever would have gone.
      const own = (args.request.extra_headers ??
        args.request.extraHeaders ??
        args.deployment.litellmParams.extra_headers ??
        args.deployment.litellmParams.extraHeaders) as Record<string, string> | undefined;
      const headers: Record<string, string> = {
        ...own,
        traceparent: formatTraceParent(trace.traceId, spanId, trace.sampled),
      };
      if (trace.traceState !== undefined) headers.tracestate = trace.traceState;
      return invoke({ ...args, request: { ...args.request, extra_headers: headers } });
    };
  }

  /** Builds the finished request's spans and queues them; never throws, never waits. */
  end(ex: Exchange, status: number): void {
    const trace = ex.trace;
    if (trace === undefined || !trace.sampled) return;
    const endedAt = performance.now();
    const failedIds = (ex.routing?.attempts ?? []).filter(a => a.error).map(a => a.deploymentId);
    const build = (cooling: ReadonlySet<string>) =>
      this.#exporter.add(
        buildSpans({
          trace,
          ex,
          status,
          endedAt,
          cooling,
          deployment: id => this.#deployment(id),
          captureContent: this.#o.settings.captureContent,
        }),
      );
    const router = this.#router;
    if (failedIds.length === 0 || router === undefined) {
      build(NO_IDS);
      return;
    }
    // Whether a failed deployment was left cooling down is read from the router's state (Redis, maybe).
    const now = Date.now();
    router.state
      .snapshot({ ids: failedIds, now, usage: false, inFlight: false, latency: false })
      .then(
        stats => build(new Set(failedIds.filter((_, i) => (stats[i]?.cooldownUntil ?? 0) > now))),
        () => build(NO_IDS),
      )
      .catch(() => undefined);
  }

  /** Exports what is queued; gives up after the export timeout (shutdown must not hang on a dead collector). */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#exporter.flush(),
      new Promise<void>(resolve => {
        timer = setTimeout(resolve, this.#o.settings.exportTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  #deployment(id: string): DeploymentFacts | undefined {
    if (this.#facts === undefined) {
      this.#facts = new Map();
      for (const d of this.#router?.deployments() ?? []) this.#facts.set(d.id, factsOf(d));
    }
    return this.#facts.get(id);
  }
}

const NO_IDS: ReadonlySet<string> = new Set();

function factsOf(d: ReturnType<Router['deployments']>[number]): DeploymentFacts {
  const provider = providerOf(d.model, d.litellmParams.custom_llm_provider);
  const model = d.model.startsWith(`${provider}/`) ? d.model.slice(provider.length + 1) : d.model;
  let address: string | undefined;
  let port: number | undefined;
  if (d.apiBase) {
    try {
      const url = new URL(d.apiBase);
      address = url.hostname;
      port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    } catch {}
  }
  return { model, provider, address, port };
}
