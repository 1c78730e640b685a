import type { ProxyContext, RouteDef } from '../server/proxy-context';

/**
 * Starts reading the budget gauges from the store, unless a read is under
 * way. The scrape does not wait for it: it serves the figures of the last
 * read, so a slow or unreachable database never holds `/metrics` up (the
 * gauges trail by one scrape, as they trail the spend writer anyway).
 */
function refreshBudgetsInBackground(ctx: ProxyContext, now: number): void {
  const keys = ctx.keys;
  if (keys === undefined || !keys.storeUsable || refreshing.has(ctx)) return;
  refreshing.add(ctx);
  keys
    .db()
    .then(db => ctx.metrics.budgets.refresh(db, now))
    .catch(error =>
      ctx.logger.debug({ err: (error as Error).message }, 'budget metrics not refreshed'),
    )
    .finally(() => refreshing.delete(ctx));
}

/** Proxies whose budget read is under way (one at a time each). */
const refreshing = new WeakSet<ProxyContext>();

/**
 * `/metrics` in the Prometheus text format. Deployment state is read from
 * the router at scrape time, so nothing is recorded per request for it.
 * Unauthenticated unless `litellm_settings.require_auth_for_metrics_endpoint`.
 */
export function metricsRoute(requireAuth: boolean): RouteDef {
  return {
    method: 'GET',
    auth: requireAuth,
    async handle(ctx: ProxyContext, ex) {
      const deployments = ctx.router.deployments();
      const now = Date.now();
      const stats = await ctx.router.state.snapshot({
        ids: deployments.map(d => d.id),
        now,
        usage: false,
        inFlight: false,
        latency: false,
      });
      ctx.metrics.setDeploymentStates(
        deployments,
        stats.map(s => s.cooldownUntil),
        now,
      );
      refreshBudgetsInBackground(ctx, now);
      const body = ctx.metrics.render();
      ex.res.writeHead(200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      ex.res.end(body);
    },
  };
}
