import {
  chatCompletionRequestSchema,
  type Provider,
  type ProviderRegistry,
  parseModel,
} from '@switchyard/core';
import { ConfigError } from './config-error';
import type { DeploymentEntry } from './config-schema';
import { didYouMean } from './did-you-mean';
import { LITELLM_PARAMS_SETTING_KEYS } from './litellm-config-keys';
import { unknownKey } from './unsupported-keys';

/** Request fields, which a deployment may set as defaults under any name the request knows. */
const REQUEST_FIELDS: ReadonlySet<string> = new Set(Object.keys(chatCompletionRequestSchema.shape));

/**
 * Checks every deployment against the providers the proxy can call, at
 * start-up rather than on the first request: the model's provider prefix
 * must be known (built-in or loaded from `providers:`), its package must
 * load, and a `litellm_params` key that is a near miss of a setting
 * (`api_bse`) is a mistake — any other unknown key is a request default and
 * is sent upstream, as LiteLLM does. All problems are reported at once.
 */
export async function checkDeployments(
  deployments: readonly DeploymentEntry[],
  registry: ProviderRegistry,
): Promise<void> {
  const problems: string[] = [];
  for (const [index, entry] of deployments.entries()) {
    const where = `model_list[${index}] (${entry.model_name}).litellm_params`;
    const provider = await providerOf(entry, registry, where, problems);
    if (provider === undefined) continue;
    const settings = [...LITELLM_PARAMS_SETTING_KEYS, ...(provider.optionKeys ?? [])];
    for (const key of Object.keys(entry.litellm_params)) {
      if (settings.includes(key) || REQUEST_FIELDS.has(key)) continue;
      const meant = didYouMean(key, settings);
      if (meant !== undefined) problems.push(unknownKey(`${where}.${key}`, meant));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
}

/** The deployment's provider, loaded; or undefined with the problem recorded. */
async function providerOf(
  entry: DeploymentEntry,
  registry: ProviderRegistry,
  where: string,
  problems: string[],
): Promise<Provider | undefined> {
  const { model, custom_llm_provider: custom } = entry.litellm_params;
  try {
    const prefix = parseModel(model, custom).provider;
    const known = registry.known();
    if (!known.includes(prefix)) {
      const meant = didYouMean(prefix, known);
      problems.push(
        `${where}.model: unknown provider "${prefix}" in "${model}"; known providers: ${known.join(', ')}` +
          (meant === undefined ? '' : `; did you mean ${meant}/…?`) +
          ' (others are loaded with a top-level providers: list)',
      );
      return undefined;
    }
    return await registry.resolve(prefix);
  } catch (error) {
    problems.push(`${where}.model: ${(error as Error).message}`);
    return undefined;
  }
}
