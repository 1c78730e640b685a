import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RoutingInfo } from '@switchyard/router';
import type { Router, SwitchyardClient } from '@switchyard/sdk';
import type { ProxyConfig } from '../config/config-schema';
import type { Authenticate, Principal } from '../http/auth';
import type { Logger } from '../logging/logger';
import type { ProxyMetrics, ReportedUsage } from '../metrics/proxy-metrics';

/** What every route handler shares; built once at start-up. */
export interface ProxyContext {
  config: ProxyConfig;
  router: Router;
  /** The client deployments are called through (health probes use it directly). */
  client: SwitchyardClient;
  authenticate: Authenticate;
  metrics: ProxyMetrics;
  logger: Logger;
  /** Largest request body, bytes. */
  bodyLimitBytes: number;
  /** Log request bodies and upstream error messages. */
  detailedDebug: boolean;
  /** Unix seconds the proxy started (the `created` of `/v1/models`). */
  createdAt: number;
  /** True once shutdown began: readiness answers 503. */
  draining: boolean;
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
}

/** A route: its method, whether it needs a key, and its handler. */
export interface RouteDef {
  method: 'GET' | 'POST';
  /** False for probes and (by default) metrics. */
  auth: boolean;
  handle(ctx: ProxyContext, ex: Exchange): Promise<void> | void;
}
