import type { DeploymentEntry } from '../deployments/deployment';
import type { ModelGroupAlias } from '../deployments/model-registry';
import type { Invoke } from '../invoke';
import type { LoraAdaptersSettings } from '../lora/lora-settings';
import type { TokenCounter } from '../selection/token-estimate';
import type { RouterState } from '../state/router-state';
import type { StrategyName } from '../strategies/create-strategy';
import type { RoutingStrategy } from '../strategies/routing-strategy';

/** A fallback table as LiteLLM writes it: `[{"group-a": ["group-b"]}]`. */
export type FallbackList = Array<Record<string, string[]>> | Record<string, string[]>;

/** LiteLLM's `router_settings` names (snake_case) that this router reads. */
export interface RouterSettings {
  model_list: DeploymentEntry[];
  /** A strategy name, or your own {@link RoutingStrategy}. Default `simple-shuffle`. */
  routing_strategy: StrategyName | RoutingStrategy;
  /** e.g. `{ lowest_latency_buffer: 0.5 }` for latency-based routing. */
  routing_strategy_args: Record<string, unknown>;
  /** Retries within a model group. Default 2. */
  num_retries: number;
  /** Seconds per non-streaming call (request > deployment > router). */
  timeout: number;
  /** Seconds until a stream's first chunk (request > deployment > router; else `timeout`). */
  stream_timeout: number;
  fallbacks: FallbackList;
  context_window_fallbacks: FallbackList;
  content_policy_fallbacks: FallbackList;
  /** Fallback groups for any group without its own entry (`"*"`). */
  default_fallbacks: string[];
  /** Most fallback groups tried for one request. Default 5. */
  max_fallbacks: number;
  /** Failures per minute a deployment may have before it cools down. Default 3. */
  allowed_fails: number;
  /** Seconds a deployment stays out after failing. Default 5. */
  cooldown_time: number;
  disable_cooldowns: boolean;
  /** Minimum seconds before retrying a deployment already tried. Default 0. */
  retry_after: number;
  model_group_alias: Record<string, ModelGroupAlias>;
  /** Skip deployments whose `max_input_tokens` the prompt exceeds. Default false. */
  enable_pre_call_checks: boolean;
  redis_url: string;
  redis_host: string;
  redis_port: number;
  redis_password: string;
  redis_db: number;
  /** Switchyard's: the prefix of Redis keys (routers sharing state use the same). */
  redis_key_prefix: string;
  /**
   * Switchyard's: route vLLM LoRA adapters (each a model name) through their
   * base model's group, to the replicas serving them, and optionally load
   * them on demand. Off when unset.
   */
  lora_adapters: LoraAdaptersSettings;
}

type SnakeToCamel<S extends string> = S extends `${infer H}_${infer T}`
  ? `${H}${Capitalize<SnakeToCamel<T>>}`
  : S;
type Camelized<T> = { [K in keyof T as SnakeToCamel<K & string>]: T[K] };

/**
 * Options of `new Router(...)`: the `router_settings` of a LiteLLM config
 * plus `model_list` (snake_case, or the same names in camelCase), and the
 * {@link Invoke} function that performs calls.
 */
export type RouterOptions = Partial<RouterSettings> &
  Partial<Camelized<RouterSettings>> & {
    /** Performs one call on one deployment. */
    invoke: Invoke;
    /** Use this state instead of memory or the Redis settings. */
    state?: RouterState;
    /** Counts prompt tokens for pre-call checks and tpm limits (default: characters / 4). */
    token_counter?: TokenCounter;
    tokenCounter?: TokenCounter;
    /** Environment for `os.environ/VAR` references (default `process.env`). */
    env?: Readonly<Record<string, string | undefined>>;
    /** Clock in ms since epoch (default `Date.now`); for tests. */
    clock?: () => number;
    /** Uniform random in [0, 1) (default `Math.random`); for tests. */
    random?: () => number;
  };
