import type { ChatCompletionChunk, Usage } from '@switchyard/core';
import { idFromChatId } from '../shared/ids';
import { type ChunkTranslator, TranslatedStream } from '../shared/translated-stream';
import { finalStatus, responseEnvelope, responsesUsage } from './envelope';
import { completedJson, freshEnvelopeText } from './envelope-text';
import { type Emit, EventSink, type Write } from './event-sink';
import { OutputItems } from './output-items';
import type { ResponseObject, ResponsesRequest, ResponsesStreamEvent } from './types';

/** Options for {@link chatChunksToResponseEvents}. */
export interface ResponseEventOptions {
  /** The response id; default one made from the upstream's chunk id. */
  id?: string;
  /** The model name to report; default the upstream's (the first chunk's `model`). */
  model?: string;
}

/**
 * Chat chunks as the Responses event stream, translated as each chunk
 * arrives, every event numbered by `sequence_number`: `response.created`
 * and `response.in_progress` at the first chunk; per output item
 * `response.output_item.added`, its parts and deltas
 * (`response.reasoning_text.delta`, `response.output_text.delta`,
 * `response.function_call_arguments.delta`) and their `.done` events, then
 * `response.output_item.done`; at the end `response.completed` (or
 * `response.incomplete` when cut short) carrying the whole response.
 */
export function chatChunksToResponseEvents(
  chunks: AsyncIterable<ChatCompletionChunk>,
  request: ResponsesRequest,
  options: ResponseEventOptions = {},
): AsyncIterableIterator<ResponsesStreamEvent> {
  return new TranslatedStream(chunks, new ResponsesTranslator(request, options));
}

class ResponsesTranslator implements ChunkTranslator<ResponsesStreamEvent> {
  readonly #request: ResponsesRequest;
  readonly #options: ResponseEventOptions;
  readonly #sink = new EventSink();
  readonly #items = new OutputItems(this.#sink);
  #response: ResponseObject | undefined;
  /** The in-progress response's JSON cut where what changes goes (see envelopeText). */
  #parts: string[] | undefined;
  #finishReason: string | null | undefined;
  #usage: Usage | undefined;

  constructor(request: ResponsesRequest, options: ResponseEventOptions) {
    this.#request = request;
    this.#options = options;
  }

  chunk(chunk: ChatCompletionChunk, emit: Emit, write?: Write): void {
    this.#sink.emit = emit;
    this.#sink.write = write;
    if (this.#response === undefined) this.#start(chunk);
    if (chunk.usage) this.#usage = chunk.usage;
    const choice = chunk.choices[0];
    if (choice === undefined) return;
    const delta = choice.delta;
    const reasoning = delta.reasoning_content;
    if (typeof reasoning === 'string' && reasoning !== '') this.#items.text('reasoning', reasoning);
    const text = delta.content;
    if (typeof text === 'string' && text !== '') this.#items.text('message', text);
    if (delta.tool_calls) for (const call of delta.tool_calls) this.#items.toolCall(call);
    if (choice.finish_reason != null) this.#finishReason = choice.finish_reason;
  }

  /** Answer text into the open message, written as text (see OutputItems.frame). */
  frame(data: string, write: Write): boolean {
    return this.#items.frame(data, write);
  }

  end(emit: Emit, write?: Write): void {
    this.#sink.emit = emit;
    this.#sink.write = write;
    this.#items.close();
    const response = this.#response!;
    const status = finalStatus(this.#finishReason);
    Object.assign(response, status);
    response.output = this.#items.items;
    response.usage = responsesUsage(this.#usage);
    const type = status.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    const texts = this.#items.texts;
    const parts = this.#parts;
    if (parts === undefined || texts === undefined || texts.length !== response.output.length) {
      this.#sink.event({ type, response });
      return;
    }
    this.#sink.whole(type, response, completedJson(parts, response, `[${texts.join(',')}]`));
  }

  #start(chunk: ChatCompletionChunk): void {
    const response = responseEnvelope(this.#request, {
      id: this.#options.id ?? idFromChatId('resp_', chunk.id),
      createdAt: chunk.created,
      model: this.#options.model ?? chunk.model,
    });
    this.#response = response;
    const { json, parts } = freshEnvelopeText(response);
    this.#parts = parts;
    const sink = this.#sink;
    if (sink.write !== undefined) {
      // Nobody reads these two as objects (no usage yet, nothing to store): text alone.
      sink.wholeText('response.created', json);
      sink.wholeText('response.in_progress', json);
      return;
    }
    // Each event carries its own copy: the object goes on changing after it was sent.
    sink.whole('response.created', { ...response }, json);
    sink.whole('response.in_progress', { ...response }, json);
  }
}
