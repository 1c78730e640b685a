import {
  type AnthropicRequest,
  anthropicToChatRequest,
  chatChunksToAnthropicEvents,
  chatChunksToResponseEvents,
  chatToAnthropicMessage,
  chatToResponse,
  type ResponsesRequest,
  responsesToChatRequest,
} from '@switchyard/api-shapes';
import {
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  estimateTokens,
  type ProviderOperation,
  type ProviderResponse,
  type ProviderStream,
} from '@switchyard/core';

/** The operations of other API shapes, answered natively or through chat. */
export type ShapeOperation = 'messages' | 'messagesStream' | 'responses' | 'responsesStream';

const SHAPES: ReadonlySet<string> = new Set([
  'messages',
  'messagesStream',
  'responses',
  'responsesStream',
]);

/** True for {@link ShapeOperation}s. */
export function isShapeOperation(operation: string): operation is ShapeOperation {
  return SHAPES.has(operation);
}

/** One provider call: an operation and its request (plus whatever call options ride along). */
export type ProviderCall = (
  operation: ProviderOperation,
  request: Record<string, unknown>,
) => Promise<ProviderResponse<unknown> | ProviderStream<unknown>>;

type Bag = Record<string, unknown>;

/**
 * Serves an Anthropic or Responses operation: natively (the provider's own
 * endpoint, the body as given) when `native` is set, otherwise translated
 * to a chat request, sent as chat, and the answer or each streamed chunk
 * translated back as it arrives. `carry` holds the call's own options
 * (api_base, signal, …), which go along with the translated request.
 */
export function invokeShape(args: {
  operation: ShapeOperation;
  request: Bag;
  native: boolean;
  carry?: Bag;
  call: ProviderCall;
}): Promise<ProviderResponse<unknown> | ProviderStream<unknown>> {
  const { operation, request, call } = args;
  if (args.native) return call(operation, { ...request, ...args.carry });
  try {
    const chat = operation.startsWith('messages')
      ? anthropicToChatRequest(request as AnthropicRequest)
      : responsesToChatRequest(request as ResponsesRequest);
    const body = { ...(chat as Bag), ...args.carry };
    if (operation === 'messages' || operation === 'responses') {
      return (call('chat', body) as Promise<ProviderResponse<ChatCompletion>>).then(res => ({
        data: answerFor(operation, res.data, request),
        headers: res.headers,
      }));
    }
    return (call('chatStream', body) as Promise<ProviderStream<ChatCompletionChunk>>).then(res => ({
      stream:
        operation === 'messagesStream'
          ? chatChunksToAnthropicEvents(res.stream, { stopSequences: stopsOf(request) })
          : chatChunksToResponseEvents(res.stream, request as ResponsesRequest),
      headers: res.headers,
    }));
  } catch (error) {
    return Promise.reject(error);
  }
}

function answerFor(operation: 'messages' | 'responses', data: ChatCompletion, request: Bag) {
  return operation === 'messages'
    ? chatToAnthropicMessage(data, { stopSequences: stopsOf(request) })
    : chatToResponse(data, request as ResponsesRequest);
}

function stopsOf(request: Bag): readonly string[] | undefined {
  const stops = request.stop_sequences;
  return Array.isArray(stops) ? (stops as string[]) : undefined;
}

/**
 * The prompt token count of a chat request: the provider counts it
 * (`countTokens`, with the model's tokenizer) when it can; otherwise the
 * prompt's text is estimated and the answer says `estimated: true`.
 */
export function countChatTokens(args: {
  request: Bag;
  canCount: boolean;
  call: ProviderCall;
}): Promise<ProviderResponse<unknown>> {
  if (args.canCount)
    return args.call('countTokens', args.request) as Promise<ProviderResponse<unknown>>;
  return Promise.resolve({
    data: {
      input_tokens: estimateTokens(promptText(args.request as ChatCompletionRequest)),
      estimated: true,
    },
    headers: {},
  });
}

function promptText(chat: ChatCompletionRequest): string {
  let text = '';
  for (const message of chat.messages ?? []) {
    const content = message.content;
    if (typeof content === 'string') text += content;
    else if (Array.isArray(content))
      for (const part of content) if (part.type === 'text') text += (part as { text: string }).text;
    if (message.role === 'assistant' && message.tool_calls)
      for (const call of message.tool_calls) text += call.function.name + call.function.arguments;
  }
  if (chat.tools) text += JSON.stringify(chat.tools);
  return text;
}
