import {
  BadRequestError,
  type CallContext,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type Provider,
  readSseJson,
} from '@switchyard/core';
import { renderPrompt } from '@switchyard/prompt-templates';

/** What llama.cpp's `/completion` answers (the fields this provider reads). */
interface LlamaCppCompletion {
  content: string;
  stop: boolean;
  /** Newer servers say why they stopped in one field … */
  stop_type?: 'eos' | 'word' | 'limit' | 'none';
  /** … older ones in three flags. */
  stopped_eos?: boolean;
  stopped_word?: boolean;
  stopped_limit?: boolean;
  tokens_predicted?: number;
  tokens_evaluated?: number;
}

/**
 * A `llamacpp/` provider for llama.cpp's server, through its native
 * `/completion` API: the conversation is rendered to a prompt with
 * @switchyard/prompt-templates, sampling parameters are renamed to
 * llama.cpp's, and the answer's real token counts become usage.
 */
export const llamaCppProvider: Provider = {
  id: 'llamacpp',
  optionKeys: ['prompt_template_model'],

  async chat(request, ctx) {
    const { data, headers } = await ctx.http.json<LlamaCppCompletion>({
      url: completionUrl(ctx),
      json: completionBody(request, ctx, false),
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      provider: 'llamacpp',
      model: ctx.model,
    });
    return { data: toChatCompletion(data, ctx.model), headers };
  },

  async chatStream(request, ctx) {
    const res = await ctx.http.stream({
      url: completionUrl(ctx),
      json: completionBody(request, ctx, true),
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      provider: 'llamacpp',
      model: ctx.model,
    });
    return {
      stream: toChunks(readSseJson<LlamaCppCompletion>(res.body), ctx.model),
      headers: res.headers,
    };
  },
};

function completionUrl(ctx: CallContext): string {
  if (!ctx.apiBase) {
    throw new BadRequestError({
      message: 'llamacpp/ needs api_base (the llama.cpp server URL)',
      param: 'api_base',
    });
  }
  return `${ctx.apiBase.replace(/\/+$/, '')}/completion`;
}

function completionBody(request: ChatCompletionRequest, ctx: CallContext, stream: boolean) {
  const templateModel = String(ctx.options.prompt_template_model ?? ctx.model);
  return {
    prompt: renderPrompt(templateModel, request.messages),
    n_predict: request.max_completion_tokens ?? request.max_tokens ?? -1,
    ...(request.temperature != null ? { temperature: request.temperature } : {}),
    ...(request.top_p != null ? { top_p: request.top_p } : {}),
    ...(request.stop != null
      ? { stop: typeof request.stop === 'string' ? [request.stop] : request.stop }
      : {}),
    ...(request.seed != null ? { seed: request.seed } : {}),
    stream,
  };
}

/** llama.cpp's stop types in OpenAI's words; anything else is left unsaid (null). */
function finishReason(answer: LlamaCppCompletion): string | null {
  if (!answer.stop) return null;
  if (answer.stop_type === 'limit' || answer.stopped_limit) return 'length';
  if (answer.stop_type === 'eos' || answer.stop_type === 'word') return 'stop';
  if (answer.stopped_eos || answer.stopped_word) return 'stop';
  return null;
}

function usageOf(answer: LlamaCppCompletion) {
  if (answer.tokens_evaluated === undefined || answer.tokens_predicted === undefined)
    return undefined;
  return {
    prompt_tokens: answer.tokens_evaluated,
    completion_tokens: answer.tokens_predicted,
    total_tokens: answer.tokens_evaluated + answer.tokens_predicted,
  };
}

function toChatCompletion(answer: LlamaCppCompletion, model: string): ChatCompletion {
  const usage = usageOf(answer);
  return {
    id: `chatcmpl-${crypto.randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answer.content },
        finish_reason: finishReason(answer),
      },
    ],
    ...(usage ? { usage } : {}),
  };
}

async function* toChunks(
  events: AsyncIterable<LlamaCppCompletion>,
  model: string,
): AsyncGenerator<ChatCompletionChunk> {
  const base = {
    id: `chatcmpl-${crypto.randomUUID()}`,
    object: 'chat.completion.chunk' as const,
    created: Math.floor(Date.now() / 1000),
    model,
  };
  yield { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] };
  for await (const event of events) {
    if (event.content)
      yield { ...base, choices: [{ index: 0, delta: { content: event.content } }] };
    if (event.stop) {
      const usage = usageOf(event);
      yield {
        ...base,
        choices: [{ index: 0, delta: {}, finish_reason: finishReason(event) }],
        ...(usage ? { usage } : {}),
      };
    }
  }
}
