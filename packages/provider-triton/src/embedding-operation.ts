import {
  BadRequestError,
  type CallContext,
  type EmbeddingRequest,
  type EmbeddingResponse,
  embeddingRequestSchema,
  type ProviderResponse,
  parseOrThrow,
  UnsupportedParamsError,
} from '@switchyard/core';
import { type BackendDetector, chooseBackend } from './backend-detection';
import { decodeInferResponse } from './binary-tensor';
import { readEmbeddingRows } from './embedding-response';
import { embeddingListOf } from './openai-objects';
import { requestHeaders } from './request-headers';
import { tokenCounterFor } from './token-counter';
import { tritonFailureMapper } from './triton-errors';
import { readTritonOptions, type TritonOptions } from './triton-options';
import { apiBaseNamesEndpoint, type ResolvedTritonUrl, resolveTritonUrl } from './triton-url';
import { embeddingUsage } from './usage';
import { vllmBackendEmbeddings } from './vllm-embeddings';

/** A bare string is one input (LiteLLM sends it mis-shaped, one element per character). */
function textInputs(input: EmbeddingRequest['input']): string[] {
  if (typeof input === 'string') return [input];
  if (input.every(item => typeof item === 'string')) return input as string[];
  throw new BadRequestError({
    message:
      'Invalid input: triton embeds text; pass a string or an array of strings, not token ids',
    param: 'input',
    provider: 'triton',
  });
}

function checkParams(request: EmbeddingRequest, dropParams: boolean): void {
  const dimensions = request.dimensions;
  if (dimensions !== undefined && dimensions !== null && !dropParams) {
    throw new UnsupportedParamsError({
      message: `triton does not support parameter dimensions=${dimensions}. To drop it instead, pass drop_params: true.`,
      param: 'dimensions',
      provider: 'triton',
    });
  }
}

/**
 * `triton/` embeddings: a KServe v2 `/infer` call with one BYTES input
 * (`input_text`, `[n]`), the `[n, dim]` output split into rows; or, for the
 * vLLM backend, one `embedding_request` per input over `/generate`.
 * `encoding_format: "base64"` is honoured by encoding the floats here.
 */
export async function tritonEmbedding(
  request: EmbeddingRequest,
  ctx: CallContext,
  detector?: BackendDetector,
): Promise<ProviderResponse<EmbeddingResponse>> {
  const checked = parseOrThrow(embeddingRequestSchema, request);
  checkParams(checked, ctx.dropParams === true);
  const options = readTritonOptions(ctx.options);
  const inputs = textInputs(checked.input);
  const headers = requestHeaders(ctx);
  const { url, endpoint } = await embeddingUrl({ options, ctx, headers, detector });
  const counter = await tokenCounterFor(options.tokenizerPath);
  let vectors: number[][];
  let reportedPromptTokens: number | undefined;
  let responseHeaders: Record<string, string>;
  if (endpoint === 'generate' || endpoint === 'generate_stream') {
    const result = await vllmBackendEmbeddings({
      url: url.replace(/_stream$/, ''),
      inputs,
      headers,
      ctx,
    });
    vectors = result.vectors;
    reportedPromptTokens = result.promptTokens;
    responseHeaders = result.headers;
  } else {
    const { data: bytes, headers: answerHeaders } = await ctx.http.bytes({
      url,
      method: 'POST',
      headers,
      json: {
        ...(options.binaryOutput ? { parameters: { binary_data_output: true } } : {}),
        inputs: [
          {
            name: options.embeddingInputName,
            shape: [inputs.length],
            datatype: 'BYTES',
            data: inputs,
          },
        ],
      },
      provider: 'triton',
      model: ctx.model,
      mapFailure: tritonFailureMapper,
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
    });
    const body = decodeInferResponse({ bytes, headers: answerHeaders, model: ctx.model });
    vectors = readEmbeddingRows({ body, model: ctx.model, outputName: options.outputName });
    responseHeaders = answerHeaders;
  }
  const usage = embeddingUsage({ inputs, reportedPromptTokens, counter });
  const data = embeddingListOf(ctx.model, vectors, usage);
  if (checked.encoding_format === 'base64') {
    for (const item of data.data) item.embedding = toBase64(item.embedding as number[]);
  }
  return { data, headers: responseHeaders };
}

/**
 * Where an embedding call goes. The vLLM backend is decoupled, so its
 * embeddings go through `/generate`: chosen by `triton_backend: vllm`, or,
 * on a server or model URL with no route set, by the model's configuration.
 */
async function embeddingUrl(args: {
  options: TritonOptions;
  ctx: CallContext;
  headers: Record<string, string>;
  detector: BackendDetector | undefined;
}): Promise<ResolvedTritonUrl> {
  const { options, ctx } = args;
  const resolve = (route: TritonOptions['route']) =>
    resolveTritonUrl({
      apiBase: ctx.apiBase,
      model: ctx.model,
      operation: 'embedding',
      stream: false,
      route,
      modelVersion: options.modelVersion,
    });
  if (options.route !== undefined) return resolve(options.route);
  if (options.backend !== undefined)
    return resolve(options.backend === 'vllm' ? 'generate' : undefined);
  const resolved = resolve(undefined);
  if (apiBaseNamesEndpoint(ctx.apiBase ?? '')) return resolved;
  const backend = await chooseBackend({
    explicit: undefined,
    url: resolved.url,
    headers: args.headers,
    ctx,
    detector: args.detector,
  });
  return backend === 'vllm' ? resolve('generate') : resolved;
}

/** OpenAI's base64 form: the little-endian float32 bytes of the vector. */
function toBase64(vector: readonly number[]): string {
  const floats = new Float32Array(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}
