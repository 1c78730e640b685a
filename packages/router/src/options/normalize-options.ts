import { BadRequestError } from '@switchyard/core';
import { buildDeployment, type Deployment } from '../deployments/deployment';
import { type ModelGroupAlias, ModelRegistry } from '../deployments/model-registry';
import { type FallbackTables, parseFallbackMap, parseTargets } from '../fallbacks/fallback-config';
import type { Invoke } from '../invoke';
import { LoraRouting } from '../lora/lora-routing';
import { parseLoraSettings } from '../lora/lora-settings';
import { estimatePromptTokens, type TokenCounter } from '../selection/token-estimate';
import { MemoryRouterState } from '../state/memory-router-state';
import { RedisRouterState } from '../state/redis-router-state';
import type { RouterState } from '../state/router-state';
import { createStrategy } from '../strategies/create-strategy';
import type { RoutingStrategy } from '../strategies/routing-strategy';
import {
  configError,
  isPlainObject,
  optionalBoolean,
  optionalNumber,
  optionalString,
  snakeKeys,
} from './checks';
import type { RouterOptions } from './router-options';

/** Router settings after validation, with defaults applied and times in ms. */
export interface RouterConfig {
  registry: ModelRegistry;
  strategy: RoutingStrategy;
  numRetries: number;
  timeoutMs: number | undefined;
  streamTimeoutMs: number | undefined;
  fallbackTables: FallbackTables;
  maxFallbacks: number;
  allowedFails: number;
  cooldownMs: number;
  disableCooldowns: boolean;
  retryAfterMs: number;
  preCallChecks: boolean;
  state: RouterState;
  invoke: Invoke;
  tokenCounter: TokenCounter;
  clock: () => number;
  random: () => number;
  /** LoRA adapters routed through their base model's group, when `lora_adapters` is set. */
  lora: LoraRouting | undefined;
}

/** The LiteLLM `router_settings` names this router acts on (a proxy passes these through). */
export const ROUTER_SETTING_NAMES: readonly string[] = [
  'routing_strategy',
  'routing_strategy_args',
  'num_retries',
  'timeout',
  'stream_timeout',
  'fallbacks',
  'context_window_fallbacks',
  'content_policy_fallbacks',
  'default_fallbacks',
  'max_fallbacks',
  'allowed_fails',
  'cooldown_time',
  'disable_cooldowns',
  'retry_after',
  'model_group_alias',
  'enable_pre_call_checks',
  'redis_url',
  'redis_host',
  'redis_port',
  'redis_password',
  'redis_db',
  'redis_key_prefix',
  'lora_adapters',
];

const READ = new Set([
  ...ROUTER_SETTING_NAMES,
  'model_list',
  'invoke',
  'state',
  'token_counter',
  'env',
  'clock',
  'random',
]);

/**
 * LiteLLM router settings a config may carry that this router does not act
 * on (caching, scheduling, alerting, budgets, tag routing, retry policies…):
 * accepted so a LiteLLM config loads unchanged; anything else is a typo and
 * is reported.
 */
const IGNORED = new Set([
  'assistants_config',
  'search_tools',
  'cache_responses',
  'cache_kwargs',
  'caching_groups',
  'client_ttl',
  'polling_interval',
  'default_priority',
  'default_litellm_params',
  'default_max_parallel_requests',
  'set_verbose',
  'debug_level',
  'retry_policy',
  'model_group_retry_policy',
  'allowed_fails_policy',
  'enable_tag_filtering',
  'tag_filtering_match_any',
  'optional_pre_call_checks',
  'provider_budget_config',
  'alerting_config',
  'router_general_settings',
  'ignore_invalid_deployments',
  'redis_ssl',
  'max_retries',
]);

/** Validates `new Router(options)`; every problem names its field. */
export function normalizeOptions(options: RouterOptions): RouterConfig {
  if (!isPlainObject(options)) throw configError('options', 'an object', options);
  const o = snakeKeys(options as Record<string, unknown>, 'options');
  for (const key of Object.keys(o)) {
    if (!READ.has(key) && !IGNORED.has(key)) {
      throw new BadRequestError({ message: `Unknown router setting ${key}`, param: key });
    }
  }
  if (typeof o.invoke !== 'function') {
    throw configError(
      'invoke',
      'a function ({ deployment, operation, request, signal, timeoutMs }) => Promise',
      o.invoke,
    );
  }
  const env = (o.env ?? process.env) as Record<string, string | undefined>;
  if (!Array.isArray(o.model_list))
    throw configError('model_list', 'a list of deployments', o.model_list);
  const deployments: Deployment[] = o.model_list.map((entry, i) => buildDeployment(entry, i, env));
  const aliases = o.model_group_alias ?? {};
  if (!isPlainObject(aliases)) throw configError('model_group_alias', 'an object', aliases);
  const registry = new ModelRegistry(deployments, aliases as Record<string, ModelGroupAlias>);

  const fallbacks = parseFallbackMap('fallbacks', o.fallbacks);
  if (o.default_fallbacks !== undefined && o.default_fallbacks !== null) {
    fallbacks.set('*', [
      ...(fallbacks.get('*') ?? []),
      ...parseTargets('default_fallbacks', o.default_fallbacks, false),
    ]);
  }
  const seconds = (field: string, fallback?: number) => {
    const s = optionalNumber(field, o[field], { min: 0 });
    return s === undefined ? fallback : s * 1000;
  };
  const fn = <T>(field: string, fallback: T): T => {
    if (o[field] === undefined) return fallback;
    if (typeof o[field] !== 'function') throw configError(field, 'a function', o[field]);
    return o[field] as T;
  };
  // The strategy's arguments are checked before a Redis client is opened, so a typo leaks no connection.
  const strategy = createStrategy(o.routing_strategy, o.routing_strategy_args);
  const loraSettings = parseLoraSettings(o.lora_adapters);
  for (const [name, adapter] of loraSettings?.adapters ?? []) {
    if (registry.groupSize(adapter.model_group) === 0) {
      throw configError(
        `lora_adapters.adapters.${name}.model_group`,
        `one of the model groups (${registry.modelGroupNames().join(', ')})`,
        adapter.model_group,
      );
    }
  }
  const state = pickState(o);
  strategy.attach?.({ deployments, state });
  const clock = fn<() => number>('clock', Date.now);
  const random = fn<() => number>('random', Math.random);
  return {
    registry,
    strategy,
    numRetries: optionalNumber('num_retries', o.num_retries, { min: 0, integer: true }) ?? 2,
    timeoutMs: seconds('timeout'),
    streamTimeoutMs: seconds('stream_timeout'),
    fallbackTables: {
      fallbacks,
      contextWindow: parseFallbackMap('context_window_fallbacks', o.context_window_fallbacks),
      contentPolicy: parseFallbackMap('content_policy_fallbacks', o.content_policy_fallbacks),
    },
    maxFallbacks: optionalNumber('max_fallbacks', o.max_fallbacks, { min: 0, integer: true }) ?? 5,
    allowedFails: optionalNumber('allowed_fails', o.allowed_fails, { min: 0, integer: true }) ?? 3,
    cooldownMs: seconds('cooldown_time', 5000)!,
    disableCooldowns: optionalBoolean('disable_cooldowns', o.disable_cooldowns) ?? false,
    retryAfterMs: seconds('retry_after', 0)!,
    preCallChecks: optionalBoolean('enable_pre_call_checks', o.enable_pre_call_checks) ?? false,
    state,
    invoke: o.invoke as Invoke,
    tokenCounter: fn<TokenCounter>('token_counter', estimatePromptTokens),
    clock,
    random,
    lora:
      loraSettings &&
      new LoraRouting({ settings: loraSettings, deployments, state, clock, random }),
  };
}

function pickState(o: Record<string, unknown>): RouterState {
  if (o.state !== undefined) {
    const s = o.state as Partial<RouterState> | null;
    if (typeof s?.snapshot !== 'function' || typeof s.recordFailure !== 'function') {
      throw configError('state', 'a RouterState', o.state);
    }
    return s as RouterState;
  }
  const url = optionalString('redis_url', o.redis_url);
  const host = optionalString('redis_host', o.redis_host);
  const port = optionalNumber('redis_port', o.redis_port, { min: 1, integer: true });
  const password = optionalString('redis_password', o.redis_password);
  const db = optionalNumber('redis_db', o.redis_db, { min: 0, integer: true });
  const keyPrefix = optionalString('redis_key_prefix', o.redis_key_prefix);
  if (url === undefined && (host === undefined || port === undefined))
    return new MemoryRouterState();
  return new RedisRouterState({
    ...(url !== undefined ? { url } : { host, port }),
    ...(password !== undefined ? { password } : {}),
    ...(db !== undefined ? { db } : {}),
    ...(keyPrefix !== undefined ? { keyPrefix } : {}),
  });
}
