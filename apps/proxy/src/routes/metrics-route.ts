import type { ProxyContext, RouteDef } from '../server/proxy-context';

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
      const body = ctx.metrics.render();
      ex.res.writeHead(200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      ex.res.end(body);
    },
  };
}
