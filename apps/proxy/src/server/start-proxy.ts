import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Router } from '@switchyard/router';
import { otelConfigured } from '../config/callbacks';
import { checkDeployments } from '../config/check-deployments';
import type { ProxyConfig } from '../config/config-schema';
import type { EmbeddedDemo } from '../demo/embedded-demo';
import { createAuthenticator } from '../http/auth';
import { BodyTimeouts } from '../http/body-timeouts';
import { answerClientError } from '../http/client-error';
import { createRedactor } from '../http/upstream-redaction';
import { KeyManager } from '../keys/key-manager';
import { resolveKeySettings } from '../keys/key-settings';
import { createLogger, type Logger } from '../logging/logger';
import { ProxyMetrics } from '../metrics/proxy-metrics';
import type { Tracing } from '../otel/tracing';
import { createProviderRegistry } from '../providers/load-providers';
import { buildRouter } from '../router/build-router';
import { prepareRouter } from '../router/prepare-router';
import { type DataDirLock, lockDataDir } from '../store/data-dir-lock';
import { defaultAssetsDir } from '../ui/assets-dir';
import { DashboardFeed } from '../ui/dashboard-feed';
import { listen } from './listen';
import type { ProxyContext } from './proxy-context';
import { handleRequest } from './request-handler';
import { buildRouteTable } from './route-table';
import { startTracing } from './start-tracing';

const MIB = 1024 * 1024;
/** LiteLLM has no default limit; 10 MiB fits any chat request and stops accidental uploads. */
export const DEFAULT_BODY_LIMIT_MB = 10;
/** nginx's `client_body_timeout` default: a client silent this long mid-body is gone. */
export const DEFAULT_BODY_TIMEOUT_S = 60;

/** Options for {@link startProxy}. */
export interface StartProxyOptions {
  /** A validated config (see `loadConfigFile` / `parseConfig`). */
  config: ProxyConfig;
  /** Where local `providers:` paths are resolved from (the config file's folder). Default cwd. */
  baseDir?: string;
  /** Default `0.0.0.0`; `127.0.0.1` for a demo config (`switchyard_demo:`), which is for this machine. */
  host?: string;
  /** Default 4000; 0 picks a free port. */
  port?: number;
  detailedDebug?: boolean;
  /** A logger to use instead of JSON lines on stdout. */
  logger?: Logger;
  /** Longest wait for in-flight requests at shutdown; default 30 s. */
  drainTimeoutMs?: number;
  /**
   * False in a worker of `--num-workers`: the embedded store belongs to one
   * process, so virtual keys then need `database_url`.
   */
  embeddedStoreAllowed?: boolean;
  /**
   * Where the `OTEL_*` exporter variables are read from when the config
   * turns on `callbacks: ["otel"]`; default `process.env`.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** The admin page at `/ui`; see {@link AdminUiOptions}. */
  adminUi?: AdminUiOptions;
}

/** Options of the admin page at `/ui`. */
export interface AdminUiOptions {
  /** Default on, unless the environment sets `DISABLE_ADMIN_UI` to `true` (LiteLLM's switch). */
  enabled?: boolean;
  /** The built page (`apps/dashboard/dist`); default the copy shipped in the proxy's `dist/ui`. */
  assetsDir?: string;
}

/** LiteLLM reads `DISABLE_ADMIN_UI=True`; any casing of true or 1 turns the page off. */
function adminUiEnabled(options: AdminUiOptions | undefined): boolean {
  if (options?.enabled !== undefined) return options.enabled;
  const env = process.env.DISABLE_ADMIN_UI?.trim().toLowerCase();
  return env !== 'true' && env !== '1';
}

/** A running proxy. */
export interface RunningProxy {
  /** `http://host:port`. */
  url: string;
  /** The interface it listens on, as bound (`0.0.0.0`, `127.0.0.1`, …). */
  host: string;
  port: number;
  server: Server;
  router: Router;
  /** Public model names served. */
  models: string[];
  /** Emulators of the embedded demo, when the config asked for them. */
  demo: EmbeddedDemo | undefined;
  /** Provider packages loaded from `providers:`. */
  customProviders: Array<{ source: string; ids: string[] }>;
  logger: Logger;
  /** Virtual keys, limits and spend; undefined without a master key. */
  keys: KeyManager | undefined;
  /** Stops accepting, drains in-flight requests and streams, then releases everything. */
  close(): Promise<void>;
}

/**
 * Starts the proxy: loads custom providers, starts the embedded demo if
 * asked, builds the router and serves the OpenAI routes on node:http.
 */
export async function startProxy(options: StartProxyOptions): Promise<RunningProxy> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ detailedDebug: options.detailedDebug });
  const { registry, loaded } = await createProviderRegistry({
    packages: config.providers,
    baseDir: options.baseDir ?? process.cwd(),
  });
  // The emulators are loaded only for a demo config, not by every proxy.
  const demo = config.switchyard_demo
    ? await (await import('../demo/embedded-demo')).startEmbeddedDemo(config.switchyard_demo)
    : undefined;
  let router: Router;
  let client: ReturnType<typeof buildRouter>['client'];
  const metrics = new ProxyMetrics({
    keyLabels: config.general_settings.switchyard_metrics_key_labels === true,
  });
  let tracing: Tracing | undefined;
  try {
    await checkDeployments([...config.model_list, ...(demo?.deployments ?? [])], registry);
    tracing = otelConfigured(config) ? await startTracing(options, metrics, logger) : undefined;
    ({ router, client } = buildRouter({
      config,
      registry,
      extraDeployments: demo?.deployments,
      wrapInvoke: tracing && (invoke => (tracing as Tracing).wrapInvoke(invoke)),
    }));
    tracing?.attach(router);
  } catch (error) {
    await demo?.close();
    throw error;
  }
  try {
    await prepareRouter(router);
  } catch (error) {
    await router.close();
    await demo?.close();
    throw error;
  }
  const gs = config.general_settings;
  const masterKey = gs.master_key ?? process.env.LITELLM_MASTER_KEY;
  let keys: KeyManager | undefined;
  let dataDirLock: DataDirLock | undefined;
  if (masterKey !== undefined) {
    const deadLetterCount = metrics.spendDeadLetterRows.handle({});
    deadLetterCount.inc(0);
    const settings = resolveKeySettings(config, masterKey);
    try {
      // The embedded store and its spend log belong to one proxy: a second in the same folder is refused.
      if (settings.databaseUrl === undefined && options.embeddedStoreAllowed !== false) {
        dataDirLock = lockDataDir(settings.dataDir);
      }
      keys = await KeyManager.create({
        settings,
        router,
        logger,
        storeAllowed: options.embeddedStoreAllowed !== false || settings.databaseUrl !== undefined,
        deadLetterCount,
      });
    } catch (error) {
      dataDirLock?.release();
      await router.close();
      await demo?.close();
      throw error;
    }
  }
  const bodyTimeoutS = gs.switchyard_request_body_timeout ?? DEFAULT_BODY_TIMEOUT_S;
  const bodyTimeouts = bodyTimeoutS > 0 ? new BodyTimeouts(bodyTimeoutS * 1000) : undefined;
  const ctx: ProxyContext = {
    config,
    router,
    client,
    authenticate: createAuthenticator({
      masterKey,
      customHeader: gs.litellm_key_header_name,
      resolveKey: keys ? key => keys.resolve(key) : undefined,
    }),
    keys,
    metrics,
    logger,
    bodyRead: {
      limitBytes: Math.floor((gs.max_request_size_mb ?? DEFAULT_BODY_LIMIT_MB) * MIB),
      timeouts: bodyTimeouts,
    },
    dashboard: adminUiEnabled(options.adminUi)
      ? new DashboardFeed({
          assetsDir: options.adminUi?.assetsDir ?? defaultAssetsDir(),
          storePrompts: gs.store_prompts_in_spend_logs === true,
        })
      : undefined,
    redact: createRedactor(router.deployments().map(d => d.apiBase)),
    detailedDebug: options.detailedDebug ?? false,
    createdAt: Math.floor(Date.now() / 1000),
    draining: false,
    tracing,
  };
  const routes = buildRouteTable({
    metricsNeedAuth: config.litellm_settings.require_auth_for_metrics_endpoint === true,
    adminUi: ctx.dashboard !== undefined,
  });
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let drained: (() => void) | undefined;
  // One listener function for every response ('close' is emitted once per
  // response): no closure and no `once` wrapper per request.
  const onResponseClose = () => {
    if (--inFlight === 0) drained?.();
  };
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    inFlight++;
    res.on('close', onResponseClose);
    void handleRequest(ctx, routes, req, res);
  });
  server.on('clientError', answerClientError);
  server.on('connection', socket => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const bindHost = options.host ?? (config.switchyard_demo ? '127.0.0.1' : '0.0.0.0');
  try {
    await listen(server, options.port ?? 4000, bindHost);
  } catch (error) {
    bodyTimeouts?.close();
    await keys?.close();
    dataDirLock?.release();
    await router.close();
    await demo?.close();
    throw error;
  }
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('the proxy did not bind a TCP port');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      ctx.draining = true;
      // Stop accepting; idle keep-alive sockets go now, busy ones after their response.
      const stopped = new Promise<void>(resolve => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        const timeout = options.drainTimeoutMs ?? 30_000;
        await new Promise<void>(resolve => {
          drained = resolve;
          setTimeout(resolve, timeout).unref();
        });
      }
      for (const socket of sockets) socket.destroy();
      await stopped;
      bodyTimeouts?.close();
      await keys?.close();
      dataDirLock?.release();
      await tracing?.close();
      await router.close();
      await demo?.close();
      logger.flush?.();
    })();
    return closing;
  };
  return {
    url: `http://${host}:${address.port}`,
    host: bindHost,
    port: address.port,
    server,
    router,
    models: router.modelGroups(),
    demo,
    customProviders: loaded,
    logger,
    keys,
    close,
  };
}
