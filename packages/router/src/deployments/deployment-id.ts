import { createHash } from 'node:crypto';

/**
 * A deployment's id when its config gives none: SHA-256 (hex) of the model
 * group name and the resolved `litellm_params`, serialised with sorted keys.
 * The same config therefore yields the same id on every instance, which is
 * what lets several routers share cooldowns and rate windows through Redis.
 */
export function deploymentId(
  modelName: string,
  litellmParams: Readonly<Record<string, unknown>>,
): string {
  return createHash('sha256')
    .update(modelName)
    .update('\0')
    .update(stableJson(litellmParams))
    .digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys
      .filter(k => (value as Record<string, unknown>)[k] !== undefined)
      .map(k => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
