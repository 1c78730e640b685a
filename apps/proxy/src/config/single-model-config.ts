import type { LoadedConfig } from './load-config';
import { parseConfig } from './load-config';

/** `switchyard --model hosted_vllm/… --api-base …`: a one-deployment config, no file. */
export function singleModelConfig(args: {
  model: string;
  apiBase?: string;
  alias?: string;
}): LoadedConfig {
  const params: Record<string, unknown> = { model: args.model };
  if (args.apiBase !== undefined) params.api_base = args.apiBase;
  return parseConfig({
    model_list: [{ model_name: args.alias ?? args.model, litellm_params: params }],
  });
}
