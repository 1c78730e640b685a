import type { ToolCallDelta } from '@switchyard/core';
import { newId } from '../shared/ids';
import { plainTextDelta } from '../shared/plain-text-delta';
import type { EventSink, Write } from './event-sink';
import {
  itemDoneText,
  messageClosedText,
  messageDeltaParts,
  messageOpenedText,
} from './message-event-text';
import type { ResponsesOutputItem } from './types';

type Item = ResponsesOutputItem;
/** The open item: what it is, where it is, and the text gathered so far. */
interface OpenItem {
  item: Item;
  index: number;
  text: string;
  /** Chat tool-call index, for function calls. */
  toolIndex?: number;
  /** This item's `response.output_text.delta` event text around the delta and sequence number. */
  deltaParts?: string[];
}

/**
 * The output items of a streamed response as chat deltas open, grow and
 * close them (reasoning, message, function call), each item's events made
 * through the stream's {@link EventSink}. A message item's events are
 * written from templates when the consumer takes text (see
 * message-event-text).
 */
export class OutputItems {
  readonly #sink: EventSink;
  /** The response's output, in order. */
  readonly items: Item[] = [];
  /**
   * Each closed item's JSON, while every item was closed as text: the
   * final response's output is then these joined, not serialised again.
   */
  texts: string[] | undefined = [];
  #open: OpenItem | undefined;
  readonly #tools = new Map<number, OpenItem>();

  constructor(sink: EventSink) {
    this.#sink = sink;
  }

  /**
   * A chunk adding answer text to the open message, given as the chunk's
   * JSON text, written as its `response.output_text.delta` event's text:
   * the envelope made once per item, the delta spliced in. Anything else
   * (the first chunk, a new item, tool calls, usage, a finish) is declined.
   */
  frame(data: string, write: Write): boolean {
    const open = this.#open;
    if (open === undefined || open.item.type !== 'message') return false;
    const delta = plainTextDelta(data);
    if (delta === undefined) return false;
    // An empty delta makes no event (as in text()).
    if (delta.text === '') return true;
    open.text += delta.text;
    this.#delta(open, delta.json, write);
    return true;
  }

  /** An `output_text.delta` of the open message, written from its template. */
  #delta(open: OpenItem, deltaJson: string, write: Write): void {
    open.deltaParts ??= messageDeltaParts(open.item.id, open.index);
    const parts = open.deltaParts;
    write(parts[0]! + deltaJson + parts[1]! + this.#sink.seq++ + parts[2]!);
  }

  /** Reasoning or answer text: into the open item of its kind, else a new one (closing the open one). */
  text(kind: 'reasoning' | 'message', delta: string): void {
    let open = this.#open;
    if (open?.item.type !== kind) {
      this.close();
      open = kind === 'message' ? this.#openMessage() : this.#openReasoning();
    }
    open.text += delta;
    const write = this.#sink.write;
    if (kind === 'message' && write !== undefined) {
      this.#delta(open, JSON.stringify(delta), write);
      return;
    }
    const type =
      kind === 'message' ? 'response.output_text.delta' : 'response.reasoning_text.delta';
    const extra = kind === 'message' ? { logprobs: [] } : {};
    this.#sink.event({
      type,
      item_id: open.item.id,
      output_index: open.index,
      content_index: 0,
      delta,
      ...extra,
    });
  }

  /** A new message item: its added events, written from templates when the consumer takes text. */
  #openMessage(): OpenItem {
    const item: Item = {
      type: 'message',
      id: newId('msg_'),
      role: 'assistant',
      status: 'in_progress',
      content: [],
    };
    const write = this.#sink.write;
    if (write !== undefined) {
      const open = this.#track(item);
      write(messageOpenedText(item.id, open.index, this.#sink.seq));
      this.#sink.seq += 2;
      return open;
    }
    const open = this.#add(item);
    this.#partAdded(open, { type: 'output_text', text: '', annotations: [] });
    return open;
  }

  #openReasoning(): OpenItem {
    const open = this.#add({ type: 'reasoning', id: newId('rs_'), summary: [], content: [] });
    this.#partAdded(open, { type: 'reasoning_text', text: '' });
    return open;
  }

  #partAdded(open: OpenItem, part: Record<string, unknown>): void {
    this.#sink.event({
      type: 'response.content_part.added',
      item_id: open.item.id,
      output_index: open.index,
      content_index: 0,
      part,
    });
  }

  /** A tool-call delta: a new function call item at a new chat index, else arguments for its item. */
  toolCall(call: ToolCallDelta): void {
    let open = this.#tools.get(call.index);
    if (open === undefined) {
      this.close();
      open = this.#add({
        type: 'function_call',
        id: newId('fc_'),
        call_id: call.id ?? '',
        name: call.function?.name ?? '',
        arguments: '',
        status: 'in_progress',
      });
      open.toolIndex = call.index;
      this.#tools.set(call.index, open);
    }
    const args = call.function?.arguments;
    if (typeof args === 'string' && args !== '') {
      open.text += args;
      this.#sink.event({
        type: 'response.function_call_arguments.delta',
        item_id: open.item.id,
        output_index: open.index,
        delta: args,
      });
    }
  }

  /** Opens `item` as the response's next output item, its added event not yet made. */
  #track(item: Item): OpenItem {
    const open: OpenItem = { item, index: this.items.length, text: '' };
    this.items.push(item);
    this.#open = open;
    return open;
  }

  #add(item: Item): OpenItem {
    const open = this.#track(item);
    this.#sink.event({
      type: 'response.output_item.added',
      output_index: open.index,
      item: { ...item },
    });
    return open;
  }

  /** Closes the open item, if any: its done events. */
  close(): void {
    const open = this.#open;
    if (open === undefined) return;
    this.#open = undefined;
    const { item, index, text } = open;
    const write = this.#sink.write;
    if (item.type === 'message' && write !== undefined) {
      item.content = [{ type: 'output_text', text, annotations: [] }];
      item.status = 'completed';
      const closed = messageClosedText(item.id, index, text, this.#sink.seq);
      this.#sink.seq += 3;
      write(closed.text);
      this.texts?.push(closed.item);
      return;
    }
    const at = { item_id: item.id, output_index: index };
    if (item.type === 'function_call') {
      item.arguments = text;
      item.status = 'completed';
      this.#sink.event({
        type: 'response.function_call_arguments.done',
        ...at,
        name: item.name,
        arguments: text,
      });
    } else if (item.type === 'message') {
      const part = { type: 'output_text' as const, text, annotations: [] };
      item.content = [part];
      item.status = 'completed';
      this.#sink.event({
        type: 'response.output_text.done',
        ...at,
        content_index: 0,
        text,
        logprobs: [],
      });
      this.#sink.event({ type: 'response.content_part.done', ...at, content_index: 0, part });
    } else {
      const part = { type: 'reasoning_text' as const, text };
      item.content = [part];
      this.#sink.event({ type: 'response.reasoning_text.done', ...at, content_index: 0, text });
      this.#sink.event({ type: 'response.content_part.done', ...at, content_index: 0, part });
    }
    if (write === undefined) {
      // Closed as an object: the final response is serialised whole.
      this.texts = undefined;
      this.#sink.event({ type: 'response.output_item.done', output_index: index, item });
      return;
    }
    const json = JSON.stringify(item);
    write(itemDoneText(index, json, this.#sink.seq++));
    this.texts?.push(json);
  }
}
