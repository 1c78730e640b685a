import { SseDecoder } from './sse-decoder';

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
  const decoder = new SseDecoder(message => {
    const event: SseEvent = { data: message.data };
    if (message.event) event.event = message.event;
    if (message.id) event.id = message.id;
    pending.push(event);
  });
  for await (const chunk of body) {
    decoder.feed(chunk);
    for (const event of pending) yield event;
    pending.length = 0;
  }
  decoder.end();
  yield* pending;
}
