import { describe, expect, it } from 'vitest';
import {
  MessageStartEvent,
  messageDeltaText,
  messageStartText,
  PingEvent,
  textDeltaParts,
} from '../src/anthropic/stream-text';
import type { AnthropicMessage, AnthropicUsage } from '../src/anthropic/types';
import { eventText } from '../src/shared/event-text';
import { namedEventText } from '../src/shared/named-event';

/** What serialising the event object makes: the templates must write exactly this. */
const serialised = <E extends { type: string }>(event: E) =>
  namedEventText(event.type, JSON.stringify(event));

const message = (over: Partial<AnthropicMessage>): AnthropicMessage => ({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'm',
  content: [],
  stop_reason: null,
  stop_sequence: null,
  usage: { input_tokens: null, output_tokens: 0 },
  ...over,
});

describe('Anthropic event texts from templates', () => {
  it('message_start: byte for byte the object serialised, a model left out included', () => {
    const cases = [
      message({}),
      message({
        model: 'org/model "quoted" \u00e9',
        usage: { input_tokens: 12, output_tokens: 0 },
      }),
      message({ model: undefined as unknown as string }),
    ];
    for (const m of cases) {
      const text = messageStartText(m);
      expect(text).toBe(serialised({ type: 'message_start', message: m }));
      const event = new MessageStartEvent(m, text);
      expect(serialised(event)).toBe(text);
      expect(eventText(event)).toBe(text);
      // A copy carries no text: it may have been changed.
      expect(eventText({ ...event })).toBeUndefined();
    }
    expect(eventText(new PingEvent())).toBe(serialised({ type: 'ping' }));
  });

  it('message_delta: every stop and usage shape as serialised', () => {
    const stops = [
      { stop_reason: 'end_turn' as const, stop_sequence: null },
      { stop_reason: 'stop_sequence' as const, stop_sequence: '\n\nHuman: "x"' },
      { stop_reason: null, stop_sequence: null },
    ];
    const usages: AnthropicUsage[] = [
      { input_tokens: 7, output_tokens: 18 },
      { input_tokens: null, output_tokens: null },
      { input_tokens: 7, output_tokens: 3, cache_read_input_tokens: 4 },
      { input_tokens: 7, output_tokens: 3, estimated: true },
      { input_tokens: 7, output_tokens: 3, cache_read_input_tokens: 0, estimated: true },
    ];
    for (const delta of stops)
      for (const usage of usages)
        expect(messageDeltaText(delta, usage)).toBe(
          serialised({ type: 'message_delta', delta, usage }),
        );
  });

  it('text and thinking deltas: the template around the JSON string', () => {
    for (const index of [0, 3, 100]) {
      const text = 'a "b" \\ \n \u0001 \ud800 😀';
      const [head, tail] = textDeltaParts('text', index);
      expect(head + JSON.stringify(text) + tail).toBe(
        serialised({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } }),
      );
      const [h, t] = textDeltaParts('thinking', index);
      expect(h + JSON.stringify(text) + t).toBe(
        serialised({
          type: 'content_block_delta',
          index,
          delta: { type: 'thinking_delta', thinking: text },
        }),
      );
    }
  });
});
