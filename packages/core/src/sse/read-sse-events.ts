import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One server-sent event. */
export interface SseEvent {
  data: string;
  event?: string;
  id?: string;
}

/**
 * Parses a byte stream into server-sent events. Events split across TCP
 * packets (or across a multi-byte UTF-8 character) are reassembled; CRLF,
 * CR and LF line endings are all accepted.
 */
export async function* readSseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const pending: SseEvent[] = [];
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      pending.push({
        data: message.data,
        ...(message.event ? { event: message.event } : {}),
        ...(message.id ? { id: message.id } : {}),
      });
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (pending.length > 0) yield pending.shift()!;
  }
  const tail = decoder.decode();
  // A last event without its blank line still counts: some servers end that way.
  parser.feed(tail.length > 0 ? `${tail}\n\n` : '\n\n');
  while (pending.length > 0) yield pending.shift()!;
}
