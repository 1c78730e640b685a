import type { ProxyContext, RouteDef } from '../server/proxy-context';

/** Longest a scrape waits for the store: a slow database must not make `/metrics` time out. */
const BUDGET_READ_TIMEOUT_MS = 2000;

/**
 * Reads the budget gauges from the store. A store that fails or is slow
 * leaves the last figures in place (logged at debug): the other metrics are
 * served all the same.
 */
async function refreshBudgets(ctx: ProxyContext, now: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const db = await ctx.keys!.db();
    await Promise.race([
      ctx.metrics.budgets.refresh(db, now),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('the store did not answer in time')),
          BUDGET_READ_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    ctx.logger.debug({ err: (error as Error).message }, 'budget metrics not refreshed');
  } finally {
    clearTimeout(timer);
  }
}

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
      if (ctx.keys?.storeUsable) await refreshBudgets(ctx, now);
      const body = ctx.metrics.render();
      ex.res.writeHead(200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      ex.res.end(body);
    },
  };
}
