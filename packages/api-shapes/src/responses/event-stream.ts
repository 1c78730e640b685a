import type { ChatCompletionChunk, ToolCallDelta, Usage } from '@switchyard/core';
import { idFromChatId, newId } from '../shared/ids';
import { HOLE, namedEventParts, namedEventText } from '../shared/named-event';
import { plainTextDelta } from '../shared/plain-text-delta';
import { type ChunkTranslator, TranslatedStream } from '../shared/translated-stream';
import { finalStatus, responseEnvelope, responsesUsage } from './envelope';
import type {
  ResponseObject,
  ResponsesOutputItem,
  ResponsesRequest,
  ResponsesStreamEvent,
} from './types';

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

type Emit = (event: ResponsesStreamEvent) => void;
type Write = (text: string) => void;
type Item = ResponsesOutputItem;
/** The open item: what it is, where it is, and the text gathered so far. */
interface OpenItem {
  item: Item;
  index: number;
  text: string;
  /** Chat tool-call index, for function calls. */
  toolIndex?: number;
  /** This item's `response.output_text.delta` event text around the delta and sequence number (see frame()). */
  deltaParts?: string[];
}

class ResponsesTranslator implements ChunkTranslator<ResponsesStreamEvent> {
  readonly #request: ResponsesRequest;
  readonly #options: ResponseEventOptions;
  #response: ResponseObject | undefined;
  #seq = 0;
  #open: OpenItem | undefined;
  readonly #output: Item[] = [];
  readonly #tools = new Map<number, OpenItem>();
  #finishReason: string | null | undefined;
  #usage: Usage | undefined;
  /** The text writer of the chunk in hand, when its consumer takes SSE text (see #emit). */
  #write: Write | undefined;

  constructor(request: ResponsesRequest, options: ResponseEventOptions) {
    this.#request = request;
    this.#options = options;
  }

  chunk(chunk: ChatCompletionChunk, emit: Emit, write?: Write): void {
    this.#write = write;
    if (this.#response === undefined) this.#start(chunk, emit);
    if (chunk.usage) this.#usage = chunk.usage;
    const choice = chunk.choices[0];
    if (choice === undefined) return;
    const delta = choice.delta;
    const reasoning = delta.reasoning_content;
    if (typeof reasoning === 'string' && reasoning !== '') this.#text('reasoning', reasoning, emit);
    const text = delta.content;
    if (typeof text === 'string' && text !== '') this.#text('message', text, emit);
    if (delta.tool_calls) for (const call of delta.tool_calls) this.#toolCall(call, emit);
    if (choice.finish_reason != null) this.#finishReason = choice.finish_reason;
  }

  /**
   * A chunk adding answer text to the open message, written as its
   * `response.output_text.delta` event's text: the envelope made once per
   * item, the delta spliced in, the sequence number appended. Anything
   * else (the first chunk, a new item, tool calls, usage, a finish) is
   * declined and parsed.
   */
  frame(data: string, write: (text: string) => void): boolean {
    const open = this.#open;
    if (open === undefined || open.item.type !== 'message') return false;
    const delta = plainTextDelta(data);
    if (delta === undefined) return false;
    // An empty delta makes no event (as in chunk()).
    if (delta.text === '') return true;
    open.text += delta.text;
    // Key order as the event objects have it: the text must equal theirs serialised.
    open.deltaParts ??= namedEventParts(
      'response.output_text.delta',
      `{"type":"response.output_text.delta","item_id":${JSON.stringify(open.item.id)},"output_index":${open.index},"content_index":0,"delta":${HOLE},"logprobs":[],"sequence_number":${HOLE}}`,
    );
    const parts = open.deltaParts;
    write(parts[0]! + delta.json + parts[1]! + this.#seq++ + parts[2]!);
    return true;
  }

  end(emit: Emit, write?: Write): void {
    this.#write = write;
    this.#close(emit);
    const response = this.#response!;
    const status = finalStatus(this.#finishReason);
    Object.assign(response, status);
    response.output = this.#output;
    response.usage = responsesUsage(this.#usage);
    const type = status.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    this.#emit(emit, { type, response });
  }

  /**
   * Numbers and emits an event. When the consumer takes SSE text, an event
   * that carries no response object (every one but created, in_progress
   * and the final one, which the proxy reads for usage and storage) is
   * written as its text instead: serialised here, where it is made, it
   * joins the text around it in one write rather than going out as one
   * object, one hop and one write of its own.
   */
  #emit(emit: Emit, event: Omit<ResponsesStreamEvent, 'sequence_number'>): void {
    const numbered = { ...event, sequence_number: this.#seq++ } as ResponsesStreamEvent;
    const write = this.#write;
    if (write !== undefined && !('response' in numbered))
      write(namedEventText(numbered.type, JSON.stringify(numbered)));
    else emit(numbered);
  }

  #start(chunk: ChatCompletionChunk, emit: Emit): void {
    const response = responseEnvelope(this.#request, {
      id: this.#options.id ?? idFromChatId('resp_', chunk.id),
      createdAt: chunk.created,
      model: this.#options.model ?? chunk.model,
    });
    this.#response = response;
    // Each event carries its own copy: the object goes on changing after it was sent.
    this.#emit(emit, { type: 'response.created', response: { ...response } });
    this.#emit(emit, { type: 'response.in_progress', response: { ...response } });
  }

  #text(kind: 'reasoning' | 'message', delta: string, emit: Emit): void {
    let open = this.#open;
    if (open?.item.type !== kind) {
      this.#close(emit);
      const item: Item =
        kind === 'message'
          ? {
              type: 'message',
              id: newId('msg_'),
              role: 'assistant',
              status: 'in_progress',
              content: [],
            }
          : { type: 'reasoning', id: newId('rs_'), summary: [], content: [] };
      open = this.#add(item, emit);
      const part =
        kind === 'message'
          ? { type: 'output_text', text: '', annotations: [] }
          : { type: 'reasoning_text', text: '' };
      this.#emit(emit, {
        type: 'response.content_part.added',
        item_id: item.id,
        output_index: open.index,
        content_index: 0,
        part,
      });
    }
    open.text += delta;
    const type =
      kind === 'message' ? 'response.output_text.delta' : 'response.reasoning_text.delta';
    const extra = kind === 'message' ? { logprobs: [] } : {};
    this.#emit(emit, {
      type,
      item_id: open.item.id,
      output_index: open.index,
      content_index: 0,
      delta,
      ...extra,
    });
  }

  #toolCall(call: ToolCallDelta, emit: Emit): void {
    let open = this.#tools.get(call.index);
    if (open === undefined) {
      this.#close(emit);
      open = this.#add(
        {
          type: 'function_call',
          id: newId('fc_'),
          call_id: call.id ?? '',
          name: call.function?.name ?? '',
          arguments: '',
          status: 'in_progress',
        },
        emit,
      );
      open.toolIndex = call.index;
      this.#tools.set(call.index, open);
    }
    const args = call.function?.arguments;
    if (typeof args === 'string' && args !== '') {
      open.text += args;
      this.#emit(emit, {
        type: 'response.function_call_arguments.delta',
        item_id: open.item.id,
        output_index: open.index,
        delta: args,
      });
    }
  }

  #add(item: Item, emit: Emit): OpenItem {
    const open: OpenItem = { item, index: this.#output.length, text: '' };
    this.#output.push(item);
    this.#open = open;
    this.#emit(emit, {
      type: 'response.output_item.added',
      output_index: open.index,
      item: { ...item },
    });
    return open;
  }

  #close(emit: Emit): void {
    const open = this.#open;
    if (open === undefined) return;
    this.#open = undefined;
    const { item, index, text } = open;
    const at = { item_id: item.id, output_index: index };
    if (item.type === 'function_call') {
      item.arguments = text;
      item.status = 'completed';
      this.#emit(emit, {
        type: 'response.function_call_arguments.done',
        ...at,
        name: item.name,
        arguments: text,
      });
    } else if (item.type === 'message') {
      const part = { type: 'output_text' as const, text, annotations: [] };
      item.content = [part];
      item.status = 'completed';
      this.#emit(emit, {
        type: 'response.output_text.done',
        ...at,
        content_index: 0,
        text,
        logprobs: [],
      });
      this.#emit(emit, { type: 'response.content_part.done', ...at, content_index: 0, part });
    } else {
      const part = { type: 'reasoning_text' as const, text };
      item.content = [part];
      this.#emit(emit, { type: 'response.reasoning_text.done', ...at, content_index: 0, text });
      this.#emit(emit, { type: 'response.content_part.done', ...at, content_index: 0, part });
    }
    this.#emit(emit, { type: 'response.output_item.done', output_index: index, item });
  }
}
