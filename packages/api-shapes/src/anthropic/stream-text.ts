import { TextEvent } from '../shared/event-text';
import { jsonFields, jsonValue } from '../shared/json-value';
import { HOLE, namedEventParts, namedEventText } from '../shared/named-event';
import type { AnthropicMessage, AnthropicStopReason, AnthropicUsage } from './types';

/**
 * The SSE text of Anthropic's stream events, made from templates rather
 * than by serialising event objects: on Node 20 `JSON.stringify` of even a
 * small nested object costs about a microsecond, and these are written
 * for every stream (the deltas, for every token). Each text is byte for
 * byte what `JSON.stringify` makes of the event the object path emits (key
 * order included); the translator's tests hold both paths to that.
 */

/** The events with no value but a block index, made once. */
export const PING = namedEventText('ping', '{"type":"ping"}');
export const MESSAGE_STOP = namedEventText('message_stop', '{"type":"message_stop"}');
export const BLOCK_STOP = namedEventParts(
  'content_block_stop',
  `{"type":"content_block_stop","index":${HOLE}}`,
);
export const TEXT_BLOCK_START = namedEventParts(
  'content_block_start',
  `{"type":"content_block_start","index":${HOLE},"content_block":{"type":"text","text":""}}`,
);
export const THINKING_BLOCK_START = namedEventParts(
  'content_block_start',
  `{"type":"content_block_start","index":${HOLE},"content_block":{"type":"thinking","thinking":"","signature":""}}`,
);

const MESSAGE_START = namedEventParts(
  'message_start',
  `{"type":"message_start","message":{"id":${HOLE},"type":"message","role":"assistant","model":${HOLE},"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":${HOLE},"output_tokens":0}}}`,
) as [string, string, string, string];

/**
 * `message_start`'s text (the stream's first event), from the template
 * when its strings are strings (an upstream chunk without a model leaves
 * `model` out, as serialising the object does).
 */
export function messageStartText(message: AnthropicMessage): string {
  const { id, model } = message;
  if (typeof id !== 'string' || typeof model !== 'string')
    return namedEventText('message_start', JSON.stringify({ type: 'message_start', message }));
  const [head, afterId, afterModel, tail] = MESSAGE_START;
  return `${head}${JSON.stringify(id)}${afterId}${JSON.stringify(model)}${afterModel}${jsonValue(message.usage.input_tokens)}${tail}`;
}

/** The `message_start` event object, with its text ({@link messageStartText}). */
export class MessageStartEvent extends TextEvent {
  readonly type = 'message_start';
  message: AnthropicMessage;

  constructor(message: AnthropicMessage, text: string) {
    super(text);
    this.message = message;
  }
}

/** The `ping` event object, with its text. */
export class PingEvent extends TextEvent {
  readonly type = 'ping';

  constructor() {
    super(PING);
  }
}

/** Usage's keys in the order anthropicUsage sets them. */
const USAGE_KEYS = ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'estimated'];

/** The `message_delta` event's text: the stop reason and the final usage. */
export function messageDeltaText(
  stop: { stop_reason: AnthropicStopReason; stop_sequence: string | null },
  usage: AnthropicUsage,
): string {
  return namedEventText(
    'message_delta',
    `{"type":"message_delta","delta":{"stop_reason":${jsonValue(stop.stop_reason)},"stop_sequence":${jsonValue(stop.stop_sequence)}},"usage":${jsonFields(usage as unknown as Record<string, unknown>, USAGE_KEYS)}}`,
  );
}

/** The block kinds whose deltas carry text. */
export type TextDeltaKind = 'text' | 'thinking';

const DELTA_PARTS: Record<TextDeltaKind, string[][]> = { text: [], thinking: [] };

/**
 * A `content_block_delta` of text or thinking, cut where the JSON string
 * goes: `parts[0] + JSON.stringify(text) + parts[1]`. Made once per kind
 * and block index in the process.
 */
export function textDeltaParts(kind: TextDeltaKind, index: number): string[] {
  const made = DELTA_PARTS[kind];
  let parts = made[index];
  if (parts === undefined) {
    const delta =
      kind === 'text'
        ? `{"type":"text_delta","text":${HOLE}}`
        : `{"type":"thinking_delta","thinking":${HOLE}}`;
    parts = namedEventParts(
      'content_block_delta',
      `{"type":"content_block_delta","index":${index},"delta":${delta}}`,
    );
    // Indexes are small; an unbounded one (thousands of tool calls) is not kept.
    if (index < 64) made[index] = parts;
  }
  return parts;
}
