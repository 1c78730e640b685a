/**
 * What a model profile receives to run one request and what it yields: one
 * or more responses; an error (a thrown TritonError) ends the sequence and is
 * reported where the frontend would report it.
 */
import type { TokenPacer } from '../../shared/timing';
import type { ModelResponse } from '../generate-response';
import type { InferenceRequest, ParameterValue } from '../inference-request';
import type { ModelDefinition } from '../model-definition';
import type { TritonModelOptions } from '../model-options';
import type { Tensor } from '../tensor';

/** Everything a profile needs to answer one request. */
export interface ExecutionContext {
  model: ModelDefinition;
  options: TritonModelOptions;
  request: InferenceRequest;
  pacer: TokenPacer;
  /** Fires when the client went away; profiles stop producing. */
  signal: AbortSignal;
}

/** A model implementation: yields each response as it is ready. */
export type ModelExecutor = (context: ExecutionContext) => AsyncGenerator<ModelResponse>;

/** The first element of an input tensor, when present. */
export function inputValue(
  request: InferenceRequest,
  name: string,
): Tensor['data'][number] | undefined {
  return request.inputs.get(name)?.data[0];
}

/** A BOOL input's value, or `fallback` when it is absent. */
export function boolInput(request: InferenceRequest, name: string, fallback: boolean): boolean {
  const value = inputValue(request, name);
  return typeof value === 'boolean' ? value : fallback;
}

/** A request parameter's value. */
export function parameter(request: InferenceRequest, name: string): ParameterValue | undefined {
  return request.parameters[name];
}
