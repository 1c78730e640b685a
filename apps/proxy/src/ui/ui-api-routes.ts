import type { EngineLoad } from '@switchyard/router';
import { isAdmin } from '../http/auth';
import { ProxyError } from '../http/proxy-error';
import { sendJson } from '../http/send';
import { intParam } from '../keys/management-access';
import type { Exchange, ProxyContext, RouteDef } from '../server/proxy-context';
import { PriceBook } from '../spend/cost';
import type { DashboardFeed } from './dashboard-feed';
import { LIVE_WINDOW_S } from './live-stats';
import { REQUEST_RING_SIZE, type RecentRequest } from './request-ring';

type FeedHandler = (ctx: ProxyContext, ex: Exchange, feed: DashboardFeed) => Promise<void> | void;

/**
 * A JSON endpoint of the admin page: GET, the proxy admin only (the master
 * key; anyone when the operator set none), failures in OpenAI's error shape.
 */
function adminRoute(handle: FeedHandler): RouteDef {
  return {
    method: 'GET',
    auth: true,
    async handle(ctx, ex) {
      const feed = ctx.dashboard;
      if (feed === undefined) {
        throw new ProxyError({
          status: 404,
          type: 'not_found_error',
          message: 'The admin page is turned off (DISABLE_ADMIN_UI).',
        });
      }
      if (!isAdmin(ex.principal)) {
        throw new ProxyError({
          status: 401,
          type: 'auth_error',
          message: `Authentication Error, only the proxy admin (master key) can call ${ex.route}.`,
        });
      }
      await handle(ctx, ex, feed);
    },
  };
}

/** `/ui/api/session`: what the page needs to know once signed in. */
export const uiSessionRoute = adminRoute((ctx, ex, feed) => {
  sendJson(ex.res, 200, {
    admin: true,
    key_management: ctx.keys !== undefined,
    store_prompts: feed.storePrompts,
    model_groups: ctx.router.modelGroups(),
    started_at: ctx.createdAt,
  });
});

/** `/ui/api/overview?window=300&step=5`: the live series, all groups and each. */
export const uiOverviewRoute = adminRoute((_ctx, ex, feed) => {
  const window = intParam(ex, 'window', LIVE_WINDOW_S, LIVE_WINDOW_S);
  const step = intParam(ex, 'step', 5, 60);
  sendJson(ex.res, 200, feed.live.series(window, step));
});

/**
 * `/ui/api/models`: every deployment with its cooldown, in-flight count,
 * this minute's usage, recent latency, and — under load-aware routing —
 * the engine load the router last read from the engine's `/metrics`.
 */
export const uiModelsRoute = adminRoute(async (ctx, ex) => {
  const deployments = ctx.router.deployments();
  const now = Date.now();
  const stats = await ctx.router.state.snapshot({
    ids: deployments.map(d => d.id),
    now,
    usage: true,
    inFlight: true,
    latency: true,
  });
  const strategy = ctx.router.strategy as { engineLoad?: (id: string) => EngineLoad | undefined };
  const engineLoad = typeof strategy.engineLoad === 'function' ? strategy.engineLoad : undefined;
  const strategyName = ctx.config.router_settings?.routing_strategy ?? 'simple-shuffle';
  sendJson(ex.res, 200, {
    routing_strategy: strategyName,
    deployments: deployments.map((d, i) => {
      const s = stats[i];
      const cooldownUntil = s && s.cooldownUntil > now ? s.cooldownUntil : null;
      const load = engineLoad?.call(strategy, d.id);
      return {
        model_id: d.id,
        model_name: d.modelName,
        model: d.model,
        api_base: d.apiBase ?? null,
        state: cooldownUntil === null ? 'healthy' : 'cooldown',
        cooldown_until: cooldownUntil === null ? null : new Date(cooldownUntil).toISOString(),
        in_flight: s?.inFlight ?? 0,
        rpm: s?.rpm ?? 0,
        tpm: s?.tpm ?? 0,
        latency_ms: s?.latencyMs ?? null,
        engine_load: load
          ? {
              running: load.running,
              waiting: load.waiting,
              kv_cache_usage: load.kvCacheUsage ?? null,
              age_ms: Math.max(0, now - load.at),
            }
          : null,
      };
    }),
  });
});

/**
 * `/ui/api/requests?limit=100`: the latest requests, newest first. Cost is
 * priced here, at read time, from the same price book as spend — the
 * request path records only the token counts.
 */
export const uiRequestsRoute = adminRoute((ctx, ex, feed) => {
  const limit = intParam(ex, 'limit', 100, REQUEST_RING_SIZE);
  const prices = ctx.keys?.prices ?? priceBookOf(ctx);
  sendJson(ex.res, 200, {
    store_prompts: feed.storePrompts,
    requests: feed.ring.latest(limit).map(r => requestJson(r, prices)),
  });
});

const priceBooks = new WeakMap<ProxyContext, PriceBook>();
/** Without virtual keys there is no key manager's price book: one per proxy, built on first use. */
function priceBookOf(ctx: ProxyContext): PriceBook {
  let book = priceBooks.get(ctx);
  if (book === undefined) {
    book = new PriceBook(ctx.router);
    priceBooks.set(ctx, book);
  }
  return book;
}

function requestJson(r: RecentRequest, prices: PriceBook): Record<string, unknown> {
  const usage = r.usage;
  const priced = usage ? prices.cost(r.deploymentId ?? undefined, usage) : undefined;
  return {
    at: new Date(r.at).toISOString(),
    call_id: r.callId,
    method: r.method,
    route: r.route,
    status: r.status,
    model: r.model,
    model_group: r.modelGroup,
    model_id: r.deploymentId,
    latency_ms: Math.round(r.latencyMs * 10) / 10,
    ttft_ms: r.ttftMs === null ? null : Math.round(r.ttftMs * 10) / 10,
    prompt_tokens: usage?.prompt_tokens ?? null,
    completion_tokens: usage?.completion_tokens ?? null,
    total_tokens: usage?.total_tokens ?? null,
    // Without reported counts nothing can be priced: null, not 0.
    cost: priced ? priced.cost : null,
    cost_source: priced ? priced.source : 'no_usage',
    key: r.keyToken,
    key_alias: r.keyAlias,
    team_id: r.teamId,
    user_id: r.userId,
    error: r.errorClass,
    prompt: r.prompt,
  };
}
