import { z } from 'zod';

/**
 * The zod schema of a LiteLLM `config.yaml` as Switchyard reads it. Objects
 * are loose: keys this schema does not name are kept (providers read their
 * own `litellm_params`) and checked at start-up by `checkConfigKeys`.
 * Numbers and booleans also accept their string form, because a value taken
 * from `os.environ/NAME` is always a string.
 */

const numericString = (v: unknown) =>
  typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
const booleanString = (v: unknown) => (v === 'true' ? true : v === 'false' ? false : v);

const num = z.preprocess(numericString, z.number());
const nonNegative = z.preprocess(numericString, z.number().min(0));
const count = z.preprocess(numericString, z.number().int().min(0));
const bool = z.preprocess(booleanString, z.boolean());
const name = z.string().min(1);

/** `[{"group-a": ["group-b"]}]` or `{"group-a": ["group-b"]}`. */
const fallbackList = z.union([
  z.array(z.record(z.string(), z.array(z.string()))),
  z.record(z.string(), z.array(z.string())),
]);

/** LiteLLM's `ssl_verify`: a boolean (also `"true"` / `"false"`) or the path of a CA bundle. */
const sslVerify = z.union([bool, z.string().min(1)]);
/** LiteLLM's `ssl_certificate`: one PEM file (certificate and key) or `[certificate, key]`. */
const sslCertificate = z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(2)]);

/** LiteLLM's callback lists: names, or one name. */
const callbackList = z.union([z.string().min(1), z.array(z.string().min(1))]);

export const litellmParamsSchema = z.looseObject({
  model: name,
  api_base: z.string().optional(),
  api_key: z.string().optional(),
  rpm: nonNegative.optional(),
  tpm: nonNegative.optional(),
  weight: nonNegative.optional(),
  order: num.optional(),
  timeout: nonNegative.optional(),
  stream_timeout: nonNegative.optional(),
  max_retries: count.optional(),
  num_retries: count.optional(),
  cooldown_time: nonNegative.optional(),
  drop_params: bool.optional(),
  custom_llm_provider: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** TLS to this deployment's server: connection settings, never sent in a body. */
  ssl_verify: sslVerify.optional(),
  ssl_certificate: sslCertificate.optional(),
});

export const modelInfoSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  mode: z.enum(['chat', 'completion', 'embedding', 'rerank', 'audio_transcription']).optional(),
  max_input_tokens: count.optional(),
  max_tokens: count.optional(),
  health_check_timeout: nonNegative.optional(),
  /** USD per prompt token, for spend (LiteLLM's name). */
  input_cost_per_token: nonNegative.optional(),
  /** USD per completion token. */
  output_cost_per_token: nonNegative.optional(),
});

export const deploymentSchema = z.looseObject({
  model_name: name,
  litellm_params: litellmParamsSchema,
  model_info: modelInfoSchema.optional(),
  rpm: nonNegative.optional(),
  tpm: nonNegative.optional(),
});

/** Settings that LiteLLM reads from both `litellm_settings` and `router_settings`. */
const sharedRouting = {
  num_retries: count.optional(),
  fallbacks: fallbackList.optional(),
  context_window_fallbacks: fallbackList.optional(),
  content_policy_fallbacks: fallbackList.optional(),
  default_fallbacks: z.array(z.string()).optional(),
  allowed_fails: count.optional(),
  cooldown_time: nonNegative.optional(),
};

/** LiteLLM's Redis connection fields of `litellm_settings.cache_params` (the cache itself is not served). */
const cacheParamsSchema = z.looseObject({
  type: z.string().optional(),
  host: z.string().optional(),
  port: count.optional(),
  password: z.string().optional(),
  url: z.string().optional(),
  redis_url: z.string().optional(),
});

export const litellmSettingsSchema = z.looseObject({
  ...sharedRouting,
  drop_params: bool.optional(),
  request_timeout: nonNegative.optional(),
  set_verbose: bool.optional(),
  json_logs: bool.optional(),
  require_auth_for_metrics_endpoint: bool.optional(),
  cache_params: cacheParamsSchema.optional(),
  /** The whole proxy's budget in USD, reported by `/global/spend`. */
  max_budget: nonNegative.optional(),
  /** TLS to every upstream that does not set its own (`SSL_VERIFY` / `SSL_CERTIFICATE` win, as in LiteLLM). */
  ssl_verify: sslVerify.optional(),
  ssl_certificate: sslCertificate.optional(),
  /** Callback names (`otel` traces; `prometheus` is always on at `/metrics`; others are reported unsupported). */
  callbacks: callbackList.optional(),
  success_callback: callbackList.optional(),
  failure_callback: callbackList.optional(),
});

export const routerSettingsSchema = z.looseObject({
  ...sharedRouting,
  routing_strategy: z
    .enum([
      'simple-shuffle',
      'least-busy',
      'usage-based-routing',
      'usage-based-routing-v2',
      'latency-based-routing',
      'session-affinity',
      'prefix-affinity',
      'load-aware',
      'kv-aware',
    ])
    .optional(),
  routing_strategy_args: z.record(z.string(), z.unknown()).optional(),
  /** Switchyard's own: vLLM LoRA adapters served through their base model's group (the router checks the fields). */
  lora_adapters: z.record(z.string(), z.unknown()).optional(),
  timeout: nonNegative.optional(),
  stream_timeout: nonNegative.optional(),
  max_fallbacks: count.optional(),
  disable_cooldowns: bool.optional(),
  retry_after: nonNegative.optional(),
  model_group_alias: z
    .record(
      z.string(),
      z.union([z.string(), z.looseObject({ model: z.string(), hidden: bool.optional() })]),
    )
    .optional(),
  enable_pre_call_checks: bool.optional(),
  redis_url: z.string().optional(),
  redis_host: z.string().optional(),
  redis_port: count.optional(),
  redis_password: z.string().optional(),
  redis_db: count.optional(),
});

export const generalSettingsSchema = z.looseObject({
  master_key: z.string().min(1).optional(),
  max_request_size_mb: z.preprocess(numericString, z.number().positive()).optional(),
  litellm_key_header_name: z.string().min(1).optional(),
  health_check_details: bool.optional(),
  /** Let request bodies set `api_base` / `base_url` (off: a client could redirect a deployment and its key). */
  allow_client_side_credentials: bool.optional(),
  /** `postgresql://...`; without it keys and spend live in an embedded database (PGlite). */
  database_url: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgresql:// URL')
    .optional(),
  /** Readiness answers 200 even while the database or Redis is unreachable (LiteLLM's switch). */
  allow_requests_on_db_unavailable: bool.optional(),
  /** Connections per proxy process (LiteLLM's default 10). */
  database_connection_pool_limit: z.preprocess(numericString, z.number().int().min(1)).optional(),
  /** Seconds to wait for a database connection. */
  database_connection_timeout: nonNegative.optional(),
  /** LiteLLM's switch to leave migrations to `switchyard db migrate`. */
  disable_prisma_schema_update: bool.optional(),
  disable_schema_update: bool.optional(),
  /**
   * Prompt text on the admin page's Requests list (LiteLLM's switch for its
   * UI's logs). Switchyard keeps it in memory for the latest requests only;
   * spend rows never hold it.
   */
  store_prompts_in_spend_logs: bool.optional(),
  /** No spend rows at all (keys, budgets and limits still work). */
  disable_spend_logs: bool.optional(),
  /** Seconds between spend batch writes (LiteLLM's default 10). */
  proxy_batch_write_at: z.preprocess(numericString, z.number().positive()).optional(),
  /** Seconds a key lookup is cached (LiteLLM's default 60); updates and deletes invalidate at once. */
  user_api_key_cache_ttl: nonNegative.optional(),
  redis_url: z.string().optional(),
  redis_host: z.string().optional(),
  redis_port: count.optional(),
  redis_password: z.string().optional(),
  /** Switchyard's own: the folder of the embedded database and the spend write-ahead buffer (default ./.switchyard). */
  switchyard_data_dir: z.string().min(1).optional(),
  /**
   * Switchyard's own: seconds a request body may go without a byte arriving
   * before the request is answered 408 and closed (default 60; 0 turns it off).
   */
  switchyard_request_body_timeout: nonNegative.optional(),
  /**
   * Switchyard's own: label spend and budget metrics by key (`hashed_api_key`,
   * `api_key_alias`), `user` and `end_user` (default off: keys and users are
   * made at runtime and end users named by clients, so each would add
   * series without bound).
   */
  switchyard_metrics_key_labels: bool.optional(),
  /** Switchyard's own: prefix of every Redis key the proxy writes (default `switchyard:`). */
  switchyard_redis_prefix: z.string().optional(),
  /**
   * Switchyard's own: the embedded store's worker heap limit in MB (default
   * 512). A statement whose result outgrows it stops the worker, not the
   * proxy: requests get a 503 and the store is reopened.
   */
  switchyard_store_heap_mb: z.preprocess(numericString, z.number().int().min(16)).optional(),
});

/** Switchyard's own: start the emulators in-process and serve them (see examples/demo.config.yaml). */
export const demoSettingsSchema = z.looseObject({
  vllm: z
    .looseObject({
      model: z.string().optional(),
      model_name: z.string().optional(),
      embedding_model_name: z.string().optional(),
    })
    .optional(),
  triton: z
    .looseObject({ model: z.string().optional(), model_name: z.string().optional() })
    .optional(),
});

export const proxyConfigSchema = z.looseObject({
  model_list: z.array(deploymentSchema).default([]),
  litellm_settings: litellmSettingsSchema.default({}),
  router_settings: routerSettingsSchema.default({}),
  general_settings: generalSettingsSchema.default({}),
  environment_variables: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .default({}),
  /** Provider packages (names or local paths) imported at start-up. */
  providers: z.array(name).default([]),
  switchyard_demo: demoSettingsSchema.optional(),
});

export type ProxyConfig = z.output<typeof proxyConfigSchema>;
export type DeploymentEntry = z.output<typeof deploymentSchema>;

/** The keys each section understands; anything else is reported once at start-up. */
export const SUPPORTED_KEYS: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(proxyConfigSchema.shape),
  litellm_settings: Object.keys(litellmSettingsSchema.shape),
  router_settings: Object.keys(routerSettingsSchema.shape),
  general_settings: Object.keys(generalSettingsSchema.shape),
  switchyard_demo: Object.keys(demoSettingsSchema.shape),
};
