import type { InferOutputTensor, InferResponseBody } from './binary-tensor';
import type { TritonGeneration } from './generate-response';
import { tritonInBandError, unexpectedResponse } from './triton-errors';

/** Input to {@link readInferGeneration}. */
export interface ReadInferGenerationOptions {
  body: InferResponseBody;
  model: string;
  /** `triton_output_name`: the output that holds the text. */
  outputName: string | undefined;
}

/**
 * Reads the generated text of an `/infer` answer: the output named
 * `triton_output_name`, else `text_output`, else the first BYTES output,
 * else the first output (LiteLLM reads `outputs[0]`). Its data is joined
 * across the batch (a batched answer has one string per row). Finish reason
 * and token counts are read from `finish_reason`, `num_input_tokens` and
 * `num_output_tokens` outputs when the model has them; without the last,
 * the generated tokens are counted from TRT-LLM's per-token
 * `output_log_probs` (or its `sequence_length`).
 */
export function readInferGeneration({
  body,
  model,
  outputName,
}: ReadInferGenerationOptions): TritonGeneration {
  const inBand = tritonInBandError(body, { model });
  if (inBand) throw inBand;
  const outputs = body.outputs;
  if (!Array.isArray(outputs) || outputs.length === 0) {
    throw unexpectedResponse('the infer answer has no outputs', model, body);
  }
  const byName = (name: string) => outputs.find(output => output.name === name);
  const chosen = outputName
    ? byName(outputName)
    : (byName('text_output') ?? outputs.find(output => output.datatype === 'BYTES') ?? outputs[0]);
  if (!chosen) {
    const names = outputs.map(output => output.name).join(', ');
    throw unexpectedResponse(
      `the infer answer has no output "${outputName}" (outputs: ${names})`,
      model,
      body,
    );
  }
  return {
    text: textOf(chosen, model, body),
    finishReason: reasonOf(byName('finish_reason')),
    isFinished: true,
    inputTokens: countOf(byName('num_input_tokens')),
    outputTokens:
      countOf(byName('num_output_tokens')) ??
      perTokenOf(byName('output_log_probs')) ??
      countOf(byName('sequence_length')),
  };
}

function flat(output: InferOutputTensor | undefined): unknown[] {
  return Array.isArray(output?.data)
    ? (output.data as unknown[]).flat(Number.POSITIVE_INFINITY)
    : [];
}

function textOf(output: InferOutputTensor, model: string, body: unknown): string {
  if (typeof output.data === 'string') return output.data;
  const items = flat(output);
  if (!items.every(item => typeof item === 'string')) {
    throw unexpectedResponse(
      `output ${output.name} is ${output.datatype}, not text; name the text output with triton_output_name`,
      model,
      body,
    );
  }
  return (items as string[]).join('');
}

function reasonOf(output: InferOutputTensor | undefined): string | null {
  const item = flat(output)[0];
  return typeof item === 'string' && item !== '' && item !== 'None' ? item : null;
}

function perTokenOf(output: InferOutputTensor | undefined): number | undefined {
  if (output === undefined) return undefined;
  const items = flat(output);
  return items.every(item => typeof item === 'number') ? items.length : undefined;
}

function countOf(output: InferOutputTensor | undefined): number | undefined {
  const items = flat(output);
  if (
    items.length === 0 ||
    !items.every(item => typeof item === 'number' && Number.isInteger(item))
  ) {
    return undefined;
  }
  return (items as number[]).reduce((sum, item) => sum + item, 0);
}
