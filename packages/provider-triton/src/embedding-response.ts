import type { InferOutputTensor, InferResponseBody } from './binary-tensor';
import { tritonInBandError, unexpectedResponse } from './triton-errors';

/** Input to {@link readEmbeddingRows}. */
export interface ReadEmbeddingRowsOptions {
  body: InferResponseBody;
  model: string;
  /** `triton_output_name`: the output holding the embeddings. */
  outputName: string | undefined;
}

/**
 * The embedding vectors of an `/infer` answer: the output named
 * `triton_output_name`, else the only output, else the first float output
 * of rank 2. Its `[batch, dim]` shape splits the flat data into one row per
 * input (LiteLLM's `split_embedding_by_shape`); any other rank is an error.
 */
export function readEmbeddingRows({
  body,
  model,
  outputName,
}: ReadEmbeddingRowsOptions): number[][] {
  const inBand = tritonInBandError(body, { model });
  if (inBand) throw inBand;
  const outputs = Array.isArray(body.outputs) ? body.outputs : [];
  const chosen = outputName
    ? outputs.find(output => output.name === outputName)
    : outputs.length === 1
      ? outputs[0]
      : outputs.find(output => output.datatype.startsWith('FP') && output.shape?.length === 2);
  if (!chosen) {
    const names = outputs.map(output => output.name).join(', ') || 'none';
    throw unexpectedResponse(
      `no embedding output in the infer answer (outputs: ${names}); name it with triton_output_name`,
      model,
      body,
    );
  }
  return splitEmbeddingByShape(chosen, model);
}

/** Splits flat row-major data into `shape[0]` rows of `shape[1]` numbers. */
export function splitEmbeddingByShape(
  output: Pick<InferOutputTensor, 'name' | 'shape' | 'data'>,
  model: string,
): number[][] {
  const shape = output.shape;
  if (!Array.isArray(shape) || shape.length !== 2) {
    throw unexpectedResponse(
      `Shape must be of length 2. Output ${output.name} has shape ${JSON.stringify(shape)}`,
      model,
      output,
    );
  }
  const [rows, columns] = shape as [number, number];
  const data = (Array.isArray(output.data) ? output.data : []).flat(Number.POSITIVE_INFINITY);
  if (data.length !== rows * columns || !data.every(item => typeof item === 'number')) {
    throw unexpectedResponse(
      `output ${output.name} has shape [${rows}, ${columns}] but ${data.length} values (numbers expected)`,
      model,
      output,
    );
  }
  const out: number[][] = [];
  for (let row = 0; row < rows; row++)
    out.push((data as number[]).slice(row * columns, (row + 1) * columns));
  return out;
}
