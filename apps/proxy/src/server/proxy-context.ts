import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OpenAIErrorBody } from '@switchyard/core';
import type { Router, RoutingInfo } from '@switchyard/router';
import type { SwitchyardClient } from '@switchyard/sdk';
import type { ProxyConfig } from '../config/config-schema';
import type { Authenticate, Principal } from '../http/auth';
import type { BodyReadOptions } from '../http/read-body';
import type { Redactor } from '../http/upstream-redaction';
import type { KeyManager } from '../keys/key-manager';
import type { LimitScope } from '../limits/limiter';
import type { Logger } from '../logging/logger';
import type { ProxyMetrics, ReportedUsage } from '../metrics/proxy-metrics';
import type { RequestTrace } from '../otel/request-trace';
import type { Tracing } from '../otel/tracing';
import type { DashboardFeed } from '../ui/dashboard-feed';

/** What every route handler shares; built once at start-up. */
export interface ProxyContext {
  config: ProxyConfig;
  router: Router;
  /** The client deployments are called through (health probes use it directly). */
  client: SwitchyardClient;
  authenticate: Authenticate;
  /** Virtual keys, limits and spend; undefined without a master key. */
  keys: KeyManager | undefined;
  metrics: ProxyMetrics;
  /** What the admin page at `/ui` reads; undefined when the page is turned off. */
  dashboard: DashboardFeed | undefined;
  logger: Logger;
  /** Largest request body and the body timeout, one object for every read. */
  bodyRead: BodyReadOptions;
  /** Takes upstream addresses out of error messages sent to clients. */
  redact: Redactor;
  /** Log request bodies and upstream error messages. */
  detailedDebug: boolean;
  /** Unix seconds the proxy started (the `created` of `/v1/models`). */
  createdAt: number;
  /** True once shutdown began: readiness answers 503. */
  draining: boolean;
  /** OpenTelemetry tracing (`callbacks: ["otel"]`); undefined when not configured. */
  tracing: Tracing | undefined;
}

/**
 * One request in flight: what the handler learns along the way, read once
 * at the end for the log line and the metrics.
 */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** `x-litellm-call-id`. */
  callId: string;
  /** `performance.now()` at arrival. */
  started: number;
  /** The matched route (`/v1/chat/completions` for `/chat/completions` too). */
  route: string;
  principal: Principal | undefined;
  model?: string;
  routing?: RoutingInfo;
  usage?: ReportedUsage | null;
  /** Time to the first streamed chunk, ms. */
  ttftMs?: number;
  errorClass?: string;
  errorMessage?: string;
  /** A path parameter (`/key/{key}/regenerate`). */
  pathParam?: string;
  /** The spend row is to be written for this request (an authenticated inference call). */
  spend?: SpendContext;
  /** The request's trace, when tracing is on and the route is traced. */
  trace?: RequestTrace;
}

/** What the spend row and the limiter's settle need, set when an inference request is admitted. */
export interface SpendContext {
  /** LiteLLM's call type: `acompletion`, `atext_completion`, `aembedding`, `arerank`. */
  callType: string;
  /** The body's `user` (LiteLLM's end user). */
  endUser: string | null;
  scopes: readonly LimitScope[];
  /** USD reserved against budgets. */
  estimatedCost: number;
  /** The request's id in the limiter (unique per process run). */
  limiterId: string;
  /** True once recorded, so it happens once. */
  done: boolean;
}

/** A route: its method, whether it needs a key, and its handler. */
export interface RouteDef {
  method: 'GET' | 'POST' | 'DELETE';
  /** Every method the route answers, when more than {@link RouteDef.method}. */
  methods?: readonly RouteDef['method'][];
  /** False for probes and (by default) metrics. */
  auth: boolean;
  handle(ctx: ProxyContext, ex: Exchange): Promise<void> | void;
  /**
   * The route's own error body (Anthropic's shape on `/v1/messages`), made
   * from the status and OpenAI error body; failures of auth and admission
   * are answered in it too. OpenAI's shape when absent.
   */
  errorBody?: ErrorBodyFormat;
}

/** Turns the OpenAI error body of a failed request into a route's own shape. */
export type ErrorBodyFormat = (status: number, body: OpenAIErrorBody) => unknown;
