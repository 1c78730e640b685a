/**
 * The vLLM backend (`vllm_backend` `model.py`): a decoupled model that takes
 * `text_input` and a `sampling_parameters` JSON string (or, without it, the
 * request parameters), echoes the prompt in non-streaming output unless
 * `exclude_input_in_output`, and streams text deltas.
 */
import { countTokens } from '../../shared/text-generator';
import { sleep } from '../../shared/timing';
import type { ModelResponse } from '../generate-response';
import type { InferenceRequest } from '../inference-request';
import { DEFAULT_EMBEDDING_DIMENSIONS } from '../model-definition';
import { type Tensor, tensor } from '../tensor';
import { planText, type TextPlan } from '../text-plan';
import { TritonError } from '../triton-error';
import { embeddingRequestResponse } from './embedding-model';
import { boolInput, type ExecutionContext, inputValue } from './execution';

/** vLLM's `SamplingParams.max_tokens` default. */
export const VLLM_DEFAULT_MAX_TOKENS = 16;

const failure = (message: string) =>
  new TritonError('INTERNAL', `Error generating stream: ${message}`);

/** The sampling fields the emulator acts on. */
export interface VllmSampling {
  maxTokens: number;
  stop: string[];
  n: number;
}

/** Reads `sampling_parameters` (or the request parameters) the way the backend does. */
export function readVllmSampling(request: InferenceRequest): VllmSampling {
  let source: Record<string, unknown> = request.parameters;
  const raw = inputValue(request, 'sampling_parameters');
  if (typeof raw === 'string') {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('sampling_parameters must be a JSON object');
      }
      source = parsed as Record<string, unknown>;
    } catch (error) {
      throw failure((error as Error).message);
    }
  }
  const number = (key: string, fallback: number): number => {
    const value = source[key];
    if (value === undefined || value === null) return fallback;
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      throw failure(`${key} must be an integer, got ${JSON.stringify(value)}.`);
    }
    return n;
  };
  const maxTokens = number('max_tokens', VLLM_DEFAULT_MAX_TOKENS);
  if (maxTokens < 1) throw failure(`max_tokens must be at least 1, got ${maxTokens}.`);
  const n = number('n', 1);
  if (n < 1) throw failure(`n must be at least 1, got ${n}.`);
  const stopValue = source.stop;
  const stop =
    typeof stopValue === 'string'
      ? [stopValue]
      : Array.isArray(stopValue)
        ? stopValue.filter((s): s is string => typeof s === 'string')
        : [];
  if (typeof source.lora_name === 'string') {
    throw new TritonError(
      'INTERNAL',
      `LoRA ${source.lora_name} is not supported, we currently support []`,
    );
  }
  return { maxTokens, stop, n };
}

/** Runs one request against the vLLM backend profile. */
export async function* executeVllm(context: ExecutionContext): AsyncGenerator<ModelResponse> {
  const { request, options, pacer, signal } = context;
  // The backend picks the task by the presence of `embedding_request` and
  // refuses one the engine's model does not support.
  const task = request.inputs.has('embedding_request') ? 'embed' : 'generate';
  if (task !== (options.task ?? 'generate')) {
    throw failure(`Model ${context.model.name} does not support '${task}' request`);
  }
  if (task === 'embed') {
    await pacer.beforeToken(0, signal);
    if (signal.aborted) return;
    yield embeddingRequestResponse(context, options.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS);
    return;
  }
  const prompt = inputValue(request, 'text_input');
  if (typeof prompt !== 'string') {
    throw failure("the 'text_input' input is required for generation");
  }
  const stream = boolInput(request, 'stream', false);
  const excludeGiven = request.inputs.has('exclude_input_in_output');
  const exclude = boolInput(request, 'exclude_input_in_output', stream);
  if (stream && excludeGiven && !exclude) {
    throw failure('When streaming, `exclude_input_in_output` = False is not allowed.');
  }
  const sampling = readVllmSampling(request);
  const plans: TextPlan[] = [];
  for (let i = 0; i < sampling.n; i++) {
    plans.push(
      planText({
        seedText: i === 0 ? prompt : `${prompt}\u0000${i}`,
        maxTokens: sampling.maxTokens,
        scriptedText: options.scriptedText,
        stop: sampling.stop,
      }),
    );
  }
  const want = {
    finish: boolInput(request, 'return_finish_reason', false),
    input: boolInput(request, 'return_num_input_tokens', false),
    output: boolInput(request, 'return_num_output_tokens', false),
  };
  const inputTokens = countTokens(prompt);
  // `generated` is what the model produced; `texts` may carry the echoed
  // prompt too, which does not count as output tokens.
  const build = (texts: string[], generated: string[], finish: string[]): ModelResponse => {
    const outputs: Tensor[] = [tensor('text_output', 'BYTES', texts)];
    if (want.finish) outputs.push(tensor('finish_reason', 'BYTES', finish));
    if (want.input) outputs.push(tensor('num_input_tokens', 'UINT32', [inputTokens]));
    if (want.output) {
      outputs.push(tensor('num_output_tokens', 'UINT32', generated.map(countTokens)));
    }
    return { outputs };
  };

  if (!stream) {
    const longest = Math.max(...plans.map(p => p.pieces.length));
    await sleep(pacer.totalMs(longest), signal);
    if (signal.aborted) return;
    const texts = plans.map(p => p.pieces.join(''));
    yield build(
      texts.map(t => (exclude ? t : prompt + t)),
      texts,
      plans.map(p => p.finishReason),
    );
    return;
  }

  const steps = Math.max(1, ...plans.map(p => p.pieces.length));
  for (let step = 0; step < steps; step++) {
    await pacer.beforeToken(step, signal);
    if (signal.aborted) return;
    const deltas = plans.map(p => p.pieces[step] ?? '');
    const finish = plans.map(p => (step >= p.pieces.length - 1 ? p.finishReason : 'None'));
    yield build(deltas, deltas, finish);
  }
}
