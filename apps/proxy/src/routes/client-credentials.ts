import { BadRequestError } from '@switchyard/core';

/**
 * Request-body fields that would send the upstream call somewhere else.
 * The SDK treats them as call options, so without this check a client could
 * point a deployment at its own server and receive the deployment's
 * `api_key` with the request. LiteLLM refuses `api_base` and `base_url` in
 * request bodies for the same reason; the camelCase spellings are the SDK's.
 */
const REDIRECTING_FIELDS = ['api_base', 'base_url', 'apiBase', 'baseUrl'] as const;

/**
 * Throws a 400 naming the field when a client's request body sets an
 * upstream URL, unless `general_settings.allow_client_side_credentials` is
 * on (LiteLLM's switch for deployments that trust their clients).
 */
export function assertNoClientSideBase(body: Record<string, unknown>, allowed: boolean): void {
  if (allowed) return;
  for (const field of REDIRECTING_FIELDS) {
    if (body[field] !== undefined) {
      throw new BadRequestError({
        message: `Rejected Request: ${field} is not allowed in request body. Enable with \`general_settings::allow_client_side_credentials\` on proxy config.yaml.`,
        param: field,
      });
    }
  }
}
