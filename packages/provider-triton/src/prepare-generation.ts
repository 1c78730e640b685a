import { BadRequestError, type CallContext } from '@switchyard/core';
import { type BackendDetector, chooseBackend } from './backend-detection';
import { generateBody, type InferRequestBody, inferBody } from './request-body';
import { requestHeaders } from './request-headers';
import { layoutRequest, maxTokensSent } from './request-layout';
import { readSamplingParams } from './sampling-params';
import { type TokenCounter, tokenCounterFor } from './token-counter';
import { readTritonOptions, type TritonBackend, type TritonOptions } from './triton-options';
import { resolveTritonUrl } from './triton-url';

/** A generation call, ready to send. */
export interface PreparedGeneration {
  url: string;
  endpoint: 'generate' | 'generate_stream' | 'infer';
  body: Record<string, unknown> | InferRequestBody;
  /** The `text_input` sent, for token counting. */
  prompt: string;
  /** The `max_tokens` sent, to tell `length` from `stop`. */
  maxTokens: number;
  headers: Record<string, string>;
  options: TritonOptions;
  /** The layout used: `triton_backend`, else read from the model's configuration. */
  backend: TritonBackend;
  counter: TokenCounter;
}

/** Input to {@link prepareGeneration}. */
export interface PrepareGenerationOptions {
  request: Readonly<Record<string, unknown>>;
  ctx: CallContext;
  stream: boolean;
  /** Fields that hold the input and are not parameters (`messages`, `prompt`). */
  inputFields: readonly string[];
  /** Builds `text_input`; gets the request's `chat_template_kwargs`. */
  renderPrompt: (chatTemplateKwargs: Record<string, unknown> | undefined) => string;
  /** Reads the backend from the model's configuration when `triton_backend` is not set. */
  detector?: BackendDetector;
}

/**
 * Everything a chat or text completion call needs before it is sent: the
 * options checked, the URL chosen, the OpenAI params mapped for the
 * backend, the prompt rendered, the body laid out for the endpoint.
 */
export async function prepareGeneration(
  options: PrepareGenerationOptions,
): Promise<PreparedGeneration> {
  const { request, ctx, stream } = options;
  const tritonOptions = readTritonOptions(ctx.options);
  const { url, endpoint } = resolveTritonUrl({
    apiBase: ctx.apiBase,
    model: ctx.model,
    operation: 'chat',
    stream,
    route: tritonOptions.route,
    modelVersion: tritonOptions.modelVersion,
  });
  if (endpoint === 'embeddings') {
    throw new BadRequestError({
      message:
        'api_base ends in /embeddings, which serves embeddings only; completions need an api_base ending in /generate or /infer, or a server URL',
      param: 'api_base',
      provider: 'triton',
      model: ctx.model,
    });
  }
  const samplingInput = {
    request,
    dropParams: ctx.dropParams === true,
    inputFields: options.inputFields,
  };
  const headers = requestHeaders(ctx);
  if (tritonOptions.backend === undefined) {
    // A param no backend takes fails before the configuration is read: bad
    // input never costs an upstream request.
    readSamplingParams({ ...samplingInput, backend: 'vllm' });
  }
  const backend = await chooseBackend({
    explicit: tritonOptions.backend,
    url,
    headers,
    ctx,
    detector: options.detector,
  });
  const params = readSamplingParams({ ...samplingInput, backend });
  const prompt = options.renderPrompt(params.chatTemplateKwargs);
  const layoutOptions = {
    backend,
    prompt,
    params,
    stream: endpoint === 'generate_stream',
    endpoint: endpoint === 'infer' ? ('infer' as const) : ('generate' as const),
  };
  const layout = layoutRequest(layoutOptions);
  return {
    url,
    endpoint,
    body:
      endpoint === 'infer'
        ? inferBody({
            layout,
            batched: backend === 'trtllm',
            binaryOutput: tritonOptions.binaryOutput,
          })
        : generateBody(layout),
    prompt,
    maxTokens: maxTokensSent(layoutOptions),
    headers,
    options: tritonOptions,
    backend,
    counter: await tokenCounterFor(tritonOptions.tokenizerPath),
  };
}
