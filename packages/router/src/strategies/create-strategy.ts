import { prefixAffinity } from '../affinity/prefix-affinity';
import { sessionAffinity } from '../affinity/session-affinity';
import { kvAware } from '../kv-aware/kv-aware';
import { configError, isPlainObject, optionalNumber } from '../options/checks';
import { latencyBased } from './latency-based';
import { leastBusy } from './least-busy';
import { loadAware } from './load-aware';
import type { RoutingStrategy } from './routing-strategy';
import { simpleShuffle } from './simple-shuffle';
import { usageBased } from './usage-based';

/** The strategy names LiteLLM configs use, and Switchyard's engine-aware ones. */
export const STRATEGY_NAMES = [
  'simple-shuffle',
  'least-busy',
  'latency-based-routing',
  'usage-based-routing',
  'usage-based-routing-v2',
  'session-affinity',
  'prefix-affinity',
  'load-aware',
  'kv-aware',
] as const;

export type StrategyName = (typeof STRATEGY_NAMES)[number];

/**
 * Turns `routing_strategy` (a name, or a {@link RoutingStrategy} object) and
 * `routing_strategy_args` into a strategy. `usage-based-routing` (v1) runs
 * the v2 logic: same intent, and v2 is the one that is concurrency-safe.
 */
export function createStrategy(value: unknown, args: unknown): RoutingStrategy {
  if (isPlainObject(value) && typeof value.pick === 'function' && typeof value.name === 'string') {
    return value as unknown as RoutingStrategy;
  }
  const name = value ?? 'simple-shuffle';
  const strategyArgs = args === undefined || args === null ? {} : args;
  if (!isPlainObject(strategyArgs)) throw configError('routing_strategy_args', 'an object', args);
  switch (name) {
    case 'simple-shuffle':
      return simpleShuffle;
    case 'least-busy':
      return leastBusy;
    case 'latency-based-routing':
      return latencyBased({
        lowest_latency_buffer: optionalNumber(
          'routing_strategy_args.lowest_latency_buffer',
          strategyArgs.lowest_latency_buffer,
          { min: 0 },
        ),
      });
    case 'usage-based-routing':
    case 'usage-based-routing-v2':
      return usageBased;
    case 'session-affinity':
      return sessionAffinity(strategyArgs);
    case 'prefix-affinity':
      return prefixAffinity(strategyArgs);
    case 'load-aware':
      return loadAware(strategyArgs);
    case 'kv-aware':
      return kvAware(strategyArgs);
    default:
      throw configError(
        'routing_strategy',
        `one of ${STRATEGY_NAMES.join(', ')} or an object with name and pick()`,
        value,
      );
  }
}
