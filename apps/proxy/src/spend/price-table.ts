/** USD per token, LiteLLM's `input_cost_per_token` / `output_cost_per_token`. */
export interface TokenPrice {
  input_cost_per_token: number;
  output_cost_per_token: number;
}

/**
 * The bundled defaults, for when a deployment's `model_info` names no price.
 * Self-hosted weights have no list price; these are the per-token prices a
 * public host (DeepInfra) lists for the same weights, a reasonable default
 * for charge-back. Set `model_info.input_cost_per_token` and
 * `output_cost_per_token` to price your own hardware. Keys are the model
 * path without provider prefix or organisation, lower-case.
 */
export const DEFAULT_PRICES: Readonly<Record<string, TokenPrice>> = {
  'meta-llama-3.1-8b-instruct': { input_cost_per_token: 3e-8, output_cost_per_token: 5e-8 },
  'meta-llama-3.1-70b-instruct': { input_cost_per_token: 2.3e-7, output_cost_per_token: 4e-7 },
  'llama-3.2-11b-vision-instruct': { input_cost_per_token: 4.9e-8, output_cost_per_token: 4.9e-8 },
  'llama-3.2-90b-vision-instruct': { input_cost_per_token: 3.5e-7, output_cost_per_token: 4e-7 },
};

/**
 * The default price of a `litellm_params.model` such as
 * `hosted_vllm/meta-llama/Llama-3.1-8B-Instruct`: matched on its last path
 * part, with and without the `meta-` prefix Meta dropped in later names.
 */
export function defaultPriceOf(model: string): TokenPrice | undefined {
  const last = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  return DEFAULT_PRICES[last] ?? DEFAULT_PRICES[`meta-${last}`];
}
