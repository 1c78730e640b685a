/**
 * Triton's own generate test model (`qa/L0_http/generate_models/mock_llm`):
 * echoes `PROMPT` as `TEXT`; with `STREAM` it sends `REPETITION` copies
 * (request parameter, default 1), waiting `DELAY` seconds before each, and
 * ends with the error "An Error Occurred" when `FAIL_LAST` is set.
 */
import { sleep } from '../../shared/timing';
import type { ModelResponse } from '../generate-response';
import { tensor } from '../tensor';
import { TritonError } from '../triton-error';
import { boolInput, type ExecutionContext, parameter } from './execution';

/** Runs one request against the mock_llm profile. */
export async function* executeMockLlm(context: ExecutionContext): AsyncGenerator<ModelResponse> {
  const { request, pacer, signal } = context;
  const prompt = request.inputs.get('PROMPT');
  if (!prompt) throw new TritonError('INVALID_ARG', "mock_llm needs the 'PROMPT' input");
  const response: ModelResponse = { outputs: [tensor('TEXT', 'BYTES', prompt.data, prompt.shape)] };
  if (!boolInput(request, 'STREAM', false)) {
    await pacer.beforeToken(0, signal);
    yield response;
    return;
  }
  const repetition = numberParameter(parameter(request, 'REPETITION'), 1);
  const delaySeconds = numberParameter(parameter(request, 'DELAY'), 0);
  for (let i = 0; i < repetition; i++) {
    await pacer.beforeToken(i, signal);
    await sleep(delaySeconds * 1000, signal);
    if (signal.aborted) return;
    yield response;
  }
  if (parameter(request, 'FAIL_LAST') === true) {
    throw new TritonError('INTERNAL', 'An Error Occurred');
  }
}

function numberParameter(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
