/**
 * @switchyard/router — LiteLLM's Router semantics in TypeScript: load
 * balancing across deployments of a model group, retries, fallbacks,
 * cooldowns, timeouts and rpm / tpm limits, with state in memory or shared
 * through Redis.
 *
 * @packageDocumentation
 */

export {
  type PrefixAffinityArgs,
  prefixAffinity,
} from './affinity/prefix-affinity';
export { prefixHashes } from './affinity/prefix-chunks';
export { type SessionAffinityArgs, sessionAffinity } from './affinity/session-affinity';
export type {
  Deployment,
  DeploymentConfig,
  LitellmParams,
  ModelInfo,
} from './deployments/deployment';
export { ROUTER_ONLY_PARAMS } from './deployments/deployment';
export { deploymentId } from './deployments/deployment-id';
export type { ModelGroup, ModelGroupAlias } from './deployments/model-registry';
export type { EngineLoad } from './engine-load/engine-sample';
export type { CallOptions } from './execution/request-controls';
export type { Invoke, InvokeArgs } from './invoke';
export { chainBlocks } from './kv-aware/block-chain';
export { type KvAwareArgs, type KvAwareStrategy, kvAware } from './kv-aware/kv-aware';
export { type IndexEvent, KvBlockIndex } from './kv-aware/kv-block-index';
export type { KvEventsConfig } from './kv-aware/kv-replicas';
export { ROUTER_SETTING_NAMES } from './options/normalize-options';
export type { FallbackList, RouterOptions, RouterSettings } from './options/router-options';
export { Router, type RouterResponse, type RouterStream } from './router';
export {
  type AttemptRecord,
  appendRoutingHeaders,
  type RoutingInfo,
  routingHeaders,
  routingInfoOf,
} from './routing-info';
export { estimatePromptTokens, type TokenCounter } from './selection/token-estimate';
export { MemoryRouterState } from './state/memory-router-state';
export { RedisRouterState, type RedisRouterStateOptions } from './state/redis-router-state';
export type {
  DeploymentStats,
  FailureOutcome,
  RecordFailureArgs,
  RouterState,
  SnapshotQuery,
} from './state/router-state';
export { STRATEGY_NAMES, type StrategyName } from './strategies/create-strategy';
export { type LatencyBasedArgs, latencyBased } from './strategies/latency-based';
export { leastBusy } from './strategies/least-busy';
export { type LoadAwareArgs, type LoadAwareStrategy, loadAware } from './strategies/load-aware';
export type {
  PickContext,
  RoutingCandidate,
  RoutingStrategy,
  StrategyEnvironment,
  StrategyNeeds,
  SyncRoutingStrategy,
} from './strategies/routing-strategy';
export { simpleShuffle } from './strategies/simple-shuffle';
export { usageBased } from './strategies/usage-based';
