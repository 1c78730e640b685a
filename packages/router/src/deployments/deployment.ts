import {
  configError,
  isPlainObject,
  optionalNumber,
  optionalString,
  snakeKeys,
} from '../options/checks';
import { deploymentId } from './deployment-id';
import { resolveEnvRefs } from './resolve-env';

/** A `model_list` entry as written in a LiteLLM config (camelCase keys are accepted too). */
export interface DeploymentConfig {
  /** The public model group name clients send as `model`. */
  model_name: string;
  /** Everything the provider call needs (`model`, `api_base`, `api_key`, …) plus router fields. */
  litellm_params: LitellmParams;
  model_info?: ModelInfo;
  /** LiteLLM accepts `rpm` / `tpm` beside `litellm_params` too; they are copied in. */
  rpm?: number;
  tpm?: number;
}

/** A `model_list` entry in either spelling (`model_name` or `modelName`, …). */
export type DeploymentEntry =
  | DeploymentConfig
  | {
      modelName: string;
      litellmParams: LitellmParams;
      modelInfo?: ModelInfo;
      rpm?: number;
      tpm?: number;
    };

/** The `litellm_params` the router reads; every other key is kept for the provider. */
export interface LitellmParams {
  /** `<provider>/<model>`, e.g. `hosted_vllm/facebook/opt-125m`. */
  model: string;
  api_base?: string;
  api_key?: string;
  /** Requests per minute this deployment accepts (also a shuffle weight). */
  rpm?: number;
  /** Tokens per minute this deployment accepts (also a shuffle weight). */
  tpm?: number;
  /** simple-shuffle weight; wins over rpm / tpm. */
  weight?: number;
  /** Priority: only the lowest `order` among healthy deployments is used. */
  order?: number;
  /** Non-streaming timeout in seconds. */
  timeout?: number;
  /** Streaming timeout in seconds (until the first chunk). */
  stream_timeout?: number;
  /** The provider client's own retries; the router owns retries, so the SDK should pass 0. */
  max_retries?: number;
  /** Seconds this deployment stays out after failing; 0 = never cool it down. */
  cooldown_time?: number;
  [key: string]: unknown;
}

/** `model_info` fields the router reads; others are kept. */
export interface ModelInfo {
  /** Explicit deployment id; otherwise a hash of the config. */
  id?: string;
  /** Largest prompt this deployment accepts, for pre-call checks. */
  max_input_tokens?: number;
  [key: string]: unknown;
}

/** One deployment, resolved and validated. */
export interface Deployment {
  /** Stable id (explicit `model_info.id`, else the config hash). */
  readonly id: string;
  /** The model group this deployment belongs to. */
  readonly modelName: string;
  /** `litellm_params` with `os.environ/` references resolved. */
  readonly litellmParams: Readonly<LitellmParams>;
  readonly modelInfo: Readonly<ModelInfo>;
  /** `litellm_params.model`. */
  readonly model: string;
  readonly apiBase: string | undefined;
  readonly apiKey: string | undefined;
  readonly rpm: number | undefined;
  readonly tpm: number | undefined;
  readonly weight: number | undefined;
  readonly order: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly streamTimeoutMs: number | undefined;
  readonly cooldownTimeMs: number | undefined;
  readonly maxInputTokens: number | undefined;
  /**
   * Set on a deployment as it serves a LoRA adapter (see `lora_adapters`):
   * the adapter's name, which `model` then names upstream.
   */
  readonly loraAdapter?: string | undefined;
}

/**
 * `litellm_params` keys that steer the router, not the provider call: a
 * caller performing the call (the SDK's `invoke`) must not send them upstream.
 */
export const ROUTER_ONLY_PARAMS: ReadonlySet<string> = new Set([
  'rpm',
  'tpm',
  'weight',
  'order',
  'timeout',
  'stream_timeout',
  'max_retries',
  'num_retries',
  'cooldown_time',
  'max_parallel_requests',
]);

const PARAM_KEYS = new Set([
  'model',
  'api_base',
  'api_key',
  'api_version',
  'region_name',
  'custom_llm_provider',
  ...ROUTER_ONLY_PARAMS,
]);
const INFO_KEYS = new Set(['id', 'max_input_tokens', 'max_output_tokens', 'base_model', 'mode']);
const ENTRY_KEYS = new Set(['model_name', 'litellm_params', 'model_info', 'rpm', 'tpm']);

/** Validates one `model_list` entry and resolves it into a {@link Deployment}. */
export function buildDeployment(
  raw: unknown,
  index: number,
  env: Readonly<Record<string, string | undefined>>,
): Deployment {
  const where = `model_list[${index}]`;
  if (!isPlainObject(raw))
    throw configError(where, 'an object with model_name and litellm_params', raw);
  const entry = snakeKeys(raw, where, ENTRY_KEYS);
  const modelName = optionalString(`${where}.model_name`, entry.model_name);
  if (modelName === undefined)
    throw configError(`${where}.model_name`, 'a non-empty string', undefined);
  if (!isPlainObject(entry.litellm_params)) {
    throw configError(
      `${where}.litellm_params`,
      'an object with at least `model`',
      entry.litellm_params,
    );
  }
  const rawParams = snakeKeys(entry.litellm_params, `${where}.litellm_params`, PARAM_KEYS);
  if (entry.rpm !== undefined && rawParams.rpm === undefined) rawParams.rpm = entry.rpm;
  if (entry.tpm !== undefined && rawParams.tpm === undefined) rawParams.tpm = entry.tpm;
  const params = resolveEnvRefs(rawParams, `${where}.litellm_params`, env) as LitellmParams;
  const p = `${where}.litellm_params`;
  const model = optionalString(`${p}.model`, params.model);
  if (model === undefined)
    throw configError(`${p}.model`, 'a "<provider>/<model>" string', undefined);
  const info = entry.model_info === undefined ? {} : entry.model_info;
  if (!isPlainObject(info)) throw configError(`${where}.model_info`, 'an object', info);
  const modelInfo = resolveEnvRefs(
    snakeKeys(info, `${where}.model_info`, INFO_KEYS),
    `${where}.model_info`,
    env,
  ) as ModelInfo;
  const explicitId = modelInfo.id === undefined ? undefined : String(modelInfo.id);
  const seconds = (field: string) => {
    const s = optionalNumber(`${p}.${field}`, params[field], { min: 0 });
    return s === undefined ? undefined : s * 1000;
  };
  return {
    id: explicitId ?? deploymentId(modelName, params),
    modelName,
    litellmParams: params,
    modelInfo,
    model,
    apiBase: optionalString(`${p}.api_base`, params.api_base),
    // An empty key is "no key" (api_key: os.environ/X with X set but empty, for a
    // server started without --api-key), as LiteLLM accepts it.
    apiKey: params.api_key === '' ? undefined : optionalString(`${p}.api_key`, params.api_key),
    rpm: optionalNumber(`${p}.rpm`, params.rpm, { min: 0 }),
    tpm: optionalNumber(`${p}.tpm`, params.tpm, { min: 0 }),
    weight: optionalNumber(`${p}.weight`, params.weight, { min: 0 }),
    order: optionalNumber(`${p}.order`, params.order),
    timeoutMs: seconds('timeout'),
    streamTimeoutMs: seconds('stream_timeout'),
    cooldownTimeMs: seconds('cooldown_time'),
    maxInputTokens: optionalNumber(
      `${where}.model_info.max_input_tokens`,
      modelInfo.max_input_tokens,
      {
        min: 1,
        integer: true,
      },
    ),
  };
}
