import type { ChatCompletionChunk, ToolCallDelta, Usage } from '@switchyard/core';
import { idFromChatId } from '../shared/ids';
import { namedEventText } from '../shared/named-event';
import { plainTextDelta } from '../shared/plain-text-delta';
import { type ChunkTranslator, TranslatedStream } from '../shared/translated-stream';
import { anthropicStopReason, reportedFinishReason } from './stop-reason';
import {
  BLOCK_STOP,
  MESSAGE_STOP,
  MessageStartEvent,
  messageDeltaText,
  messageStartText,
  PING,
  PingEvent,
  TEXT_BLOCK_START,
  type TextDeltaKind,
  THINKING_BLOCK_START,
  textDeltaParts,
} from './stream-text';
import type { AnthropicMessage, AnthropicStreamEvent } from './types';
import { anthropicUsage } from './usage';

/** Options for {@link chatChunksToAnthropicEvents}. */
export interface AnthropicEventOptions {
  /** The model name to report; default the upstream's. */
  model?: string;
  /** The request's `stop_sequences`, to tell `stop_sequence` from `end_turn`. */
  stopSequences?: readonly string[];
}

/**
 * Chat chunks as Anthropic's event stream, translated as each chunk
 * arrives: `message_start` and a `ping` at the first chunk, then for each
 * run of reasoning, text or one tool call a `content_block_start`, its
 * deltas (`thinking_delta`, `text_delta`, `input_json_delta` carrying the
 * arguments as they stream) and `content_block_stop`; after the last
 * chunk, `message_delta` with the stop reason and usage, and
 * `message_stop`. Usage the upstream did not report stays null.
 */
export function chatChunksToAnthropicEvents(
  chunks: AsyncIterable<ChatCompletionChunk>,
  options: AnthropicEventOptions = {},
): AsyncIterableIterator<AnthropicStreamEvent> {
  return new TranslatedStream(chunks, new AnthropicTranslator(options));
}

type Emit = (event: AnthropicStreamEvent) => void;
type Write = (text: string) => void;
type BlockKind = 'thinking' | 'text' | 'tool_use';

class AnthropicTranslator implements ChunkTranslator<AnthropicStreamEvent> {
  readonly #options: AnthropicEventOptions;
  #started = false;
  /** The open block: its kind and index, or -1 when none is open. */
  #kind: BlockKind | undefined;
  #index = -1;
  #nextIndex = 0;
  /** Block index of each tool call (by its chat `index`). */
  readonly #toolBlocks = new Map<number, number>();
  #finishReason: string | null | undefined;
  #matched: unknown;
  #usage: Usage | undefined;
  /** The chunk in hand's emit and write (see ChunkTranslator): write is set only for a consumer of SSE text. */
  #emit: Emit = () => {};
  #write: Write | undefined;

  constructor(options: AnthropicEventOptions) {
    this.#options = options;
  }

  chunk(chunk: ChatCompletionChunk, emit: Emit, write?: Write): void {
    this.#emit = emit;
    this.#write = write;
    if (!this.#started) this.#start(chunk, emit);
    if (chunk.usage) this.#usage = chunk.usage;
    const choice = chunk.choices[0];
    if (choice === undefined) return;
    const delta = choice.delta;
    const reasoning = delta.reasoning_content;
    if (typeof reasoning === 'string' && reasoning !== '') {
      this.#open('thinking', emit);
      this.#textDelta('thinking', reasoning);
    }
    const text = delta.content;
    if (typeof text === 'string' && text !== '') {
      this.#open('text', emit);
      this.#textDelta('text', text);
    }
    if (delta.tool_calls) for (const call of delta.tool_calls) this.#toolCall(call, emit);
    if (choice.finish_reason != null) {
      this.#finishReason = reportedFinishReason(choice) ?? null;
      this.#matched = (choice as { stop_reason?: unknown }).stop_reason;
    }
  }

  /**
   * A chunk adding answer text to the open text block, written as its
   * `text_delta` event's text (made once per block, the text spliced in).
   * Anything else is declined and parsed.
   */
  frame(data: string, write: (text: string) => void): boolean {
    if (this.#kind !== 'text') return false;
    const delta = plainTextDelta(data);
    if (delta === undefined) return false;
    // An empty delta makes no event (as in chunk()).
    if (delta.text === '') return true;
    const parts = textDeltaParts('text', this.#index);
    write(parts[0]! + delta.json + parts[1]!);
    return true;
  }

  end(emit: Emit, write?: Write): void {
    this.#emit = emit;
    this.#write = write;
    this.#close(emit);
    const stop = anthropicStopReason({
      finishReason: this.#finishReason,
      matched: this.#matched,
      stopSequences: this.#options.stopSequences,
      hasToolCalls: this.#toolBlocks.size > 0,
    });
    const usage = anthropicUsage(this.#usage);
    if (write !== undefined) {
      // Its usage reaches the proxy beside the text (SseFrames.usage).
      write(messageDeltaText(stop, usage) + MESSAGE_STOP);
      return;
    }
    emit({ type: 'message_delta', delta: stop, usage });
    emit({ type: 'message_stop' });
  }

  /** A text or thinking delta into the open block: its text from the template, or the event. */
  #textDelta(kind: TextDeltaKind, text: string): void {
    const write = this.#write;
    if (write !== undefined) {
      const parts = textDeltaParts(kind, this.#index);
      write(parts[0]! + JSON.stringify(text) + parts[1]!);
    } else if (kind === 'text') {
      this.#emit({
        type: 'content_block_delta',
        index: this.#index,
        delta: { type: 'text_delta', text },
      });
    } else {
      this.#emit({
        type: 'content_block_delta',
        index: this.#index,
        delta: { type: 'thinking_delta', thinking: text },
      });
    }
  }

  /**
   * Emits an event, or, when the consumer takes SSE text, writes it as its
   * text where it is made, so it joins the frames around it in one write.
   */
  #event(event: AnthropicStreamEvent): void {
    const write = this.#write;
    if (write !== undefined) write(namedEventText(event.type, JSON.stringify(event)));
    else this.#emit(event);
  }

  #start(chunk: ChatCompletionChunk, emit: Emit): void {
    this.#started = true;
    const message: AnthropicMessage = {
      id: idFromChatId('msg_', chunk.id),
      type: 'message',
      role: 'assistant',
      model: this.#options.model ?? chunk.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // Nothing generated yet; the prompt's count is known only when the upstream sends it.
      usage: { input_tokens: chunk.usage?.prompt_tokens ?? null, output_tokens: 0 },
    };
    const text = messageStartText(message);
    const write = this.#write;
    if (write !== undefined) {
      // Its usage reaches the proxy beside the text (SseFrames.usage).
      write(text + PING);
      return;
    }
    // The first chunk is read as events (the router waits for it before the stream is
    // handed out): objects, each with its text, so the proxy serialises neither.
    emit(new MessageStartEvent(message, text));
    emit(new PingEvent());
  }

  #toolCall(call: ToolCallDelta, emit: Emit): void {
    let index = this.#toolBlocks.get(call.index);
    if (index === undefined) {
      this.#close(emit);
      index = this.#nextIndex++;
      this.#toolBlocks.set(call.index, index);
      this.#kind = 'tool_use';
      this.#index = index;
      this.#event({
        type: 'content_block_start',
        index,
        content_block: {
          type: 'tool_use',
          id: call.id ?? '',
          name: call.function?.name ?? '',
          input: {},
        },
      });
    }
    const args = call.function?.arguments;
    if (typeof args === 'string' && args !== '') {
      this.#event({
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: args },
      });
    }
  }

  #open(kind: 'thinking' | 'text', emit: Emit): void {
    if (this.#kind === kind) return;
    this.#close(emit);
    this.#kind = kind;
    this.#index = this.#nextIndex++;
    const write = this.#write;
    if (write !== undefined) {
      const parts = kind === 'text' ? TEXT_BLOCK_START : THINKING_BLOCK_START;
      write(parts[0]! + this.#index + parts[1]!);
      return;
    }
    emit({
      type: 'content_block_start',
      index: this.#index,
      content_block:
        kind === 'text'
          ? { type: 'text', text: '' }
          : { type: 'thinking', thinking: '', signature: '' },
    });
  }

  #close(emit: Emit): void {
    if (this.#kind === undefined) return;
    const write = this.#write;
    if (write !== undefined) write(BLOCK_STOP[0]! + this.#index + BLOCK_STOP[1]!);
    else emit({ type: 'content_block_stop', index: this.#index });
    this.#kind = undefined;
  }
}
