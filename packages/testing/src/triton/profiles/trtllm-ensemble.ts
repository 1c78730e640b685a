/**
 * The TensorRT-LLM `ensemble`: `text_input` and `max_tokens` (INT32) are
 * required input tensors, sampling settings are tensors too, and responses
 * carry `text_output`, `cum_log_probs`, `output_log_probs` plus the
 * ensemble scheduler's `sequence_*` response parameters.
 */
import { countTokens } from '../../shared/text-generator';
import { sleep } from '../../shared/timing';
import type { ModelResponse } from '../generate-response';
import { type Tensor, tensor } from '../tensor';
import { planText } from '../text-plan';
import { TritonError } from '../triton-error';
import { boolInput, type ExecutionContext, inputValue } from './execution';

// Added by the ensemble's sequence batcher to every response.
const SEQUENCE_PARAMETERS = { sequence_end: false, sequence_id: 0, sequence_start: false };

/** Runs one request against the TRT-LLM ensemble profile. */
export async function* executeTrtllm(context: ExecutionContext): AsyncGenerator<ModelResponse> {
  const { request, model, options, pacer, signal } = context;
  const prompt = inputValue(request, 'text_input');
  const maxTokens = inputValue(request, 'max_tokens');
  if (typeof prompt !== 'string' || typeof maxTokens !== 'number') {
    throw new TritonError(
      'INVALID_ARG',
      `model '${model.name}' needs the 'text_input' (BYTES) and 'max_tokens' (INT32) inputs`,
    );
  }
  if (maxTokens < 1) {
    throw new TritonError('INVALID_ARG', `max_tokens must be at least 1, got ${maxTokens}`);
  }
  const stream = boolInput(request, 'stream', false);
  if (stream && !model.decoupled) {
    throw new TritonError(
      'INVALID_ARG',
      'Streaming is only supported if model is deployed using decoupled mode.',
    );
  }
  // The docs' example answers without the prompt; an explicit `false` echoes it.
  const exclude = boolInput(request, 'exclude_input_in_output', true);
  const stopWords = (request.inputs.get('stop_words')?.data ?? []).filter(
    (w): w is string => typeof w === 'string' && w.length > 0,
  );
  const plan = planText({
    seedText: prompt,
    maxTokens,
    scriptedText: options.scriptedText,
    stop: stopWords,
  });
  const want = {
    input: boolInput(request, 'return_num_input_tokens', false),
    output: boolInput(request, 'return_num_output_tokens', false),
  };
  // Log probs are zeros unless computed; TensorRT-LLM also sends zeros when
  // `return_log_probs` is off, and the emulator has no real ones to give.
  const build = (text: string, tokens: number): ModelResponse => {
    const outputs: Tensor[] = [
      tensor('cum_log_probs', 'FP32', [0], [1, 1]),
      tensor('output_log_probs', 'FP32', new Array<number>(tokens).fill(0), [1, 1, tokens]),
      tensor('text_output', 'BYTES', [text], [1, 1]),
    ];
    if (want.input)
      outputs.push(tensor('num_input_tokens', 'INT32', [countTokens(prompt)], [1, 1]));
    if (want.output) outputs.push(tensor('num_output_tokens', 'INT32', [tokens], [1, 1]));
    return { outputs, parameters: { ...SEQUENCE_PARAMETERS } };
  };

  if (!stream) {
    await sleep(pacer.totalMs(plan.pieces.length), signal);
    if (signal.aborted) return;
    const text = plan.pieces.join('');
    yield build(exclude ? text : prompt + text, countTokens(text));
    return;
  }
  for (let step = 0; step < plan.pieces.length; step++) {
    await pacer.beforeToken(step, signal);
    if (signal.aborted) return;
    const piece = plan.pieces[step]!;
    yield build(piece, countTokens(piece));
  }
}
