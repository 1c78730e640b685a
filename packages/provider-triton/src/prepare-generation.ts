import { BadRequestError, type CallContext } from '@switchyard/core';
import { generateBody, type InferRequestBody, inferBody } from './request-body';
import { requestHeaders } from './request-headers';
import { layoutRequest } from './request-layout';
import { readSamplingParams } from './sampling-params';
import { type TokenCounter, tokenCounterFor } from './token-counter';
import { readTritonOptions, type TritonOptions } from './triton-options';
import { resolveTritonUrl } from './triton-url';

/** A generation call, ready to send. */
export interface PreparedGeneration {
  url: string;
  endpoint: 'generate' | 'generate_stream' | 'infer';
  body: Record<string, unknown> | InferRequestBody;
  /** The `text_input` sent, for token counting. */
  prompt: string;
  headers: Record<string, string>;
  options: TritonOptions;
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
  const params = readSamplingParams({
    request,
    backend: tritonOptions.backend,
    dropParams: ctx.dropParams === true,
    inputFields: options.inputFields,
  });
  const prompt = options.renderPrompt(params.chatTemplateKwargs);
  const layout = layoutRequest({
    backend: tritonOptions.backend,
    prompt,
    params,
    stream: endpoint === 'generate_stream',
    endpoint: endpoint === 'infer' ? 'infer' : 'generate',
  });
  return {
    url,
    endpoint,
    body:
      endpoint === 'infer'
        ? inferBody({
            layout,
            batched: tritonOptions.backend === 'trtllm',
            binaryOutput: tritonOptions.binaryOutput,
          })
        : generateBody(layout),
    prompt,
    headers: requestHeaders(ctx),
    options: tritonOptions,
    counter: await tokenCounterFor(tritonOptions.tokenizerPath),
  };
}
