import type { Logger } from '../logging/logger';
import type { ProxyMetrics } from '../metrics/proxy-metrics';
import type { Tracing } from '../otel/tracing';
import type { StartProxyOptions } from './start-proxy';

/**
 * Loads the tracing modules (only a proxy configured with `otel` pays for
 * them), reads the exporter settings — a bad `OTEL_*` variable stops
 * start-up with its name — and counts exported and dropped spans on
 * `/metrics`.
 */
export async function startTracing(
  options: Pick<StartProxyOptions, 'env'>,
  metrics: ProxyMetrics,
  logger: Logger,
): Promise<Tracing> {
  const [{ resolveOtelSettings }, { Tracing }] = await Promise.all([
    import('../otel/otel-settings'),
    import('../otel/tracing'),
  ]);
  const settings = resolveOtelSettings(options.env ?? process.env);
  const exported = metrics.otelSpansExported.handle({});
  const dropped = {
    queue_full: metrics.otelSpansDropped.handle({ reason: 'queue_full' }),
    export_failed: metrics.otelSpansDropped.handle({ reason: 'export_failed' }),
  };
  // Exposed from 0, so an alert on drops has a series to watch before the first one.
  exported.inc(0);
  dropped.queue_full.inc(0);
  dropped.export_failed.inc(0);
  logger.info(
    {
      endpoint: settings.endpoint,
      protocol: settings.protocol,
      service: settings.resource['service.name'],
    },
    'OpenTelemetry tracing on',
  );
  return new Tracing({
    settings,
    logger,
    count: (outcome, n) => (outcome === 'exported' ? exported : dropped[outcome]).inc(n),
  });
}
