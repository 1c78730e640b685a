/** A plain (non-LLM) KServe model: its spec's `compute` maps inputs to outputs. */

import { KSERVE_EXAMPLE_MODEL } from '../example-models';
import type { ModelResponse } from '../generate-response';
import type { Tensor } from '../tensor';
import { TritonError } from '../triton-error';
import type { ExecutionContext } from './execution';

/** Runs one request against the generic profile. */
export async function* executeGeneric(context: ExecutionContext): AsyncGenerator<ModelResponse> {
  const spec = context.options.generic ?? KSERVE_EXAMPLE_MODEL;
  const inputs: Record<string, Tensor> = Object.fromEntries(context.request.inputs);
  await context.pacer.beforeToken(0, context.signal);
  if (context.signal.aborted) return;
  let outputs: Tensor[];
  try {
    outputs = spec.compute(inputs);
  } catch (error) {
    if (TritonError.isInstance(error)) throw error;
    throw new TritonError(
      'INTERNAL',
      `model '${context.model.name}' failed: ${(error as Error).message}`,
    );
  }
  yield { outputs };
}
