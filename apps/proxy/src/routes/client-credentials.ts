import { BadRequestError } from '@switchyard/core';

/**
 * Request-body fields that would send the upstream call somewhere else.
 * The SDK treats them as call options, so without this check a client could
 * point a deployment at its own server and receive the deployment's
 * `api_key` with the request. LiteLLM refuses `api_base` and `base_url` in
 * request bodies for the same reason; the camelCase spellings are the SDK's.
 */
const REDIRECTING_FIELDS: ReadonlySet<string> = new Set([
  'api_base',
  'base_url',
  'apiBase',
  'baseUrl',
]);

type Check = (value: unknown) => string | undefined;

const string: Check = v => (typeof v === 'string' ? undefined : 'expected a string');
const boolean: Check = v => (typeof v === 'boolean' ? undefined : 'expected true or false');
const object: Check = v => (isPlainObject(v) ? undefined : 'expected an object');
const headers: Check = v =>
  isPlainObject(v) && Object.values(v).every(h => typeof h === 'string')
    ? undefined
    : 'expected an object of header names to string values';
const milliseconds: Check = v =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0
    ? undefined
    : 'expected a number of milliseconds, 0 or more';
const count: Check = v =>
  Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : 'expected an integer, 0 or more';
const never: Check = () => 'an SDK call option, not a request field';

/**
 * The SDK's call options a request body can also carry (LiteLLM lets clients
 * send `api_key`, `extra_headers`, `mock_response`, … in a body), each with
 * the type the SDK relies on: a body giving another type is a 400 naming the
 * field, not a crash where the SDK first uses it. `timeout` and
 * `num_retries` are checked by the router.
 */
const CALL_OPTION_CHECKS: ReadonlyMap<string, Check> = new Map([
  ['api_base', string],
  ['base_url', string],
  ['apiBase', string],
  ['baseUrl', string],
  ['api_key', string],
  ['apiKey', string],
  ['timeoutMs', milliseconds],
  ['numRetries', count],
  ['headers', headers],
  ['extra_headers', headers],
  ['extraHeaders', headers],
  ['extra_body', object],
  ['extraBody', object],
  ['signal', never],
  ['drop_params', boolean],
  ['dropParams', boolean],
  ['mock_response', string],
  ['mockResponse', string],
  ['custom_llm_provider', string],
  ['customLlmProvider', string],
  ['provider_options', object],
  ['providerOptions', object],
]);

/**
 * TLS settings, which the SDK also takes from a call: they name files on
 * the proxy's disk and decide whether upstream certificates are checked, so
 * no client may set them, whatever `allow_client_side_credentials` says.
 */
const TLS_FIELDS: ReadonlySet<string> = new Set([
  'ssl_verify',
  'sslVerify',
  'ssl_certificate',
  'sslCertificate',
]);

/**
 * Checks the call options a client's request body sets: TLS settings are a
 * 400 naming the field, an upstream URL too unless `general_settings.allow_client_side_credentials`
 * is on (LiteLLM's switch for deployments that trust their clients), and
 * any call option of the wrong type is a 400 naming the field. `null` counts
 * as not given, as the SDK reads it.
 */
export function assertClientCallOptions(
  body: Record<string, unknown>,
  options: { allowClientSideCredentials: boolean },
): void {
  const allowed = options.allowClientSideCredentials;
  for (const field in body) {
    const check = CALL_OPTION_CHECKS.get(field);
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (TLS_FIELDS.has(field)) {
      throw new BadRequestError({
        message: `Rejected Request: ${field} is not allowed in request body; TLS to upstreams is set per deployment (litellm_params) or in litellm_settings.`,
        param: field,
      });
    }
    if (check === undefined) continue;
    if (!allowed && REDIRECTING_FIELDS.has(field)) {
      throw new BadRequestError({
        message: `Rejected Request: ${field} is not allowed in request body. Enable with \`general_settings::allow_client_side_credentials\` on proxy config.yaml.`,
        param: field,
      });
    }
    const problem = check(value);
    if (problem !== undefined) {
      throw new BadRequestError({
        message: `Invalid request: ${field}: ${problem}`,
        param: field,
      });
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
