/**
 * `/v1/embeddings` of Triton's OpenAI frontend: each input goes to the
 * model as an `embedding_request` tensor, and the JSON list the backend
 * returns in `text_output` becomes the embedding.
 */
import { sendJsonWithFault } from '../shared/fault-responder';
import type { ServedModel } from './model-registry';
import { runModel } from './model-runner';
import { type OpenAiBody, OpenAiHttpError, openAiError, validationError } from './openai-request';
import type { RouteContext } from './route-context';
import { tensor } from './tensor';

/** Handles an embeddings request for an embedding-profile model. */
export async function handleOpenAiEmbeddings(options: {
  ctx: RouteContext;
  model: ServedModel;
  body: OpenAiBody;
}): Promise<void> {
  const { ctx, model, body } = options;
  try {
    const inputs =
      typeof body.input === 'string'
        ? [body.input]
        : Array.isArray(body.input) && body.input.every(x => typeof x === 'string')
          ? (body.input as string[])
          : undefined;
    if (!inputs || inputs.length === 0) {
      throw validationError(
        'input',
        'Input should be a string or a non-empty list of strings',
        body.input,
      );
    }
    const format = body.encoding_format ?? 'float';
    if (format !== 'float' && format !== 'base64') {
      throw validationError('encoding_format', "Input should be 'float' or 'base64'", format);
    }
    if (
      body.dimensions !== undefined &&
      (!Number.isInteger(body.dimensions) || (body.dimensions as number) < 1)
    ) {
      throw validationError('dimensions', 'Input should be a positive integer', body.dimensions);
    }
    const data: unknown[] = [];
    let promptTokens = 0;
    for (const [index, input] of inputs.entries()) {
      const embeddingRequest = {
        input,
        ...(body.dimensions !== undefined
          ? { pooling_params: { dimensions: [body.dimensions] } }
          : {}),
      };
      const request = {
        inputs: new Map([
          [
            'embedding_request',
            tensor('embedding_request', 'BYTES', [JSON.stringify(embeddingRequest)]),
          ],
          ['return_num_input_tokens', tensor('return_num_input_tokens', 'BOOL', [true])],
          ['return_num_output_tokens', tensor('return_num_output_tokens', 'BOOL', [true])],
        ]),
        parameters: {},
      };
      for await (const response of runModel({
        model,
        request,
        timing: ctx.state.timing,
        signal: ctx.signal,
      })) {
        const get = (name: string) => response.outputs.find(t => t.name === name)?.data[0];
        const vector = JSON.parse(String(get('text_output'))) as number[];
        promptTokens += Number(get('num_input_tokens') ?? 0);
        data.push({
          object: 'embedding',
          embedding: format === 'base64' ? toBase64(vector) : vector,
          index,
        });
      }
    }
    if (ctx.signal.aborted) return;
    sendJsonWithFault(
      ctx.res,
      200,
      {
        object: 'list',
        data,
        model: model.definition.name,
        usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
      },
      ctx.fault,
    );
  } catch (error) {
    openAiError(ctx, error);
  }
}

function toBase64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (const [i, x] of vector.entries()) bytes.writeFloatLE(x, i * 4);
  return bytes.toString('base64');
}

/** Thrown when a route does not fit the model's kind. */
export function unsupportedFor(model: ServedModel, what: string): OpenAiHttpError {
  return new OpenAiHttpError(400, `Model ${model.definition.name} does not support ${what}`);
}
