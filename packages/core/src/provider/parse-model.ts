import { BadRequestError } from '../errors/bad-request-error';

/** A model string split into its provider prefix and the upstream's model name. */
export interface ParsedModel {
  /** `hosted_vllm`, `triton`, … */
  provider: string;
  /** Everything after the first `/`: `facebook/opt-125m`. */
  model: string;
}

/**
 * Splits `provider/model` at the **first** `/` only, so
 * `hosted_vllm/facebook/opt-125m` is provider `hosted_vllm`, model
 * `facebook/opt-125m`. With `customProvider` (LiteLLM's
 * `custom_llm_provider`), a model not already prefixed by it is taken whole.
 */
export function parseModel(model: string, customProvider?: string): ParsedModel {
  const slash = model.indexOf('/');
  if (customProvider) {
    if (slash > 0 && model.slice(0, slash) === customProvider) {
      return { provider: customProvider, model: model.slice(slash + 1) };
    }
    return { provider: customProvider, model };
  }
  if (slash <= 0 || slash === model.length - 1) {
    throw new BadRequestError({
      message:
        `LLM Provider NOT provided. Pass in the LLM provider you are trying to call. ` +
        `You passed model=${model}. Write it as provider/model, e.g. hosted_vllm/${model} or triton/${model}.`,
      param: 'model',
    });
  }
  return { provider: model.slice(0, slash), model: model.slice(slash + 1) };
}
