/**
 * @switchyard/proxy — the OpenAI-compatible server for vLLM and Triton that
 * reads a LiteLLM `config.yaml`. The `switchyard` CLI is the usual way in;
 * these exports start the same server from code (tests, embedding).
 *
 * @packageDocumentation
 */
export { ConfigError } from './config/config-error';
export { type ProxyConfig, proxyConfigSchema } from './config/config-schema';
export {
  type LoadedConfig,
  loadConfigFile,
  type ParseConfigOptions,
  parseConfig,
} from './config/load-config';
export { singleModelConfig } from './config/single-model-config';
export {
  type Authenticate,
  type AuthOptions,
  createAuthenticator,
  type Principal,
} from './http/auth';
export { ProxyError } from './http/proxy-error';
export { createLogger, type LoggerOptions } from './logging/logger';
export { ProxyMetrics } from './metrics/proxy-metrics';
export {
  type AdminUiOptions,
  DEFAULT_BODY_LIMIT_MB,
  type RunningProxy,
  type StartProxyOptions,
  startProxy,
} from './server/start-proxy';
